"""Read-only queries for message threads and unread counts: victims' with the police, witnesses' with witness
care, and the person referred's with their support organisation."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from portal.auth.staff_names import staff_names
from portal.cases.models import Report, WitnessLink
from portal.extensions import db
from portal.messages.models import CaseMessage, ReferralMessage, WitnessMessage


def thread(report) -> list[CaseMessage]:
    """Every message on the case, oldest first."""
    return list(db.session.scalars(select(CaseMessage).where(CaseMessage.report_id == report.id)
                                   .order_by(CaseMessage.sent_at, CaseMessage.id)))


def unread_for_staff(report_ids: Iterable[int]) -> dict[int, int]:
    """For each case with any, how many of the victim's messages staff have not read. One grouped query."""
    ids = list(report_ids)
    if not ids:
        return {}
    return {report_id: count for report_id, count in db.session.execute(
        select(CaseMessage.report_id, func.count(CaseMessage.id))
        .where(CaseMessage.report_id.in_(ids), CaseMessage.from_staff.is_(False), CaseMessage.read_at.is_(None))
        .group_by(CaseMessage.report_id)
    )}


def unread_for_victims(report_ids: Iterable[int]) -> dict[int, int]:
    """For each of these cases with any, how many staff messages the victim has not read. One grouped query."""
    ids = list(report_ids)
    if not ids:
        return {}
    return {report_id: count for report_id, count in db.session.execute(
        select(CaseMessage.report_id, func.count(CaseMessage.id))
        .where(CaseMessage.report_id.in_(ids), CaseMessage.from_staff.is_(True), CaseMessage.read_at.is_(None))
        .group_by(CaseMessage.report_id)
    )}


def unread_for_victim(report) -> int:
    """How many staff messages on the case the victim has not read."""
    return db.session.scalar(select(func.count(CaseMessage.id))
                             .where(CaseMessage.report_id == report.id, CaseMessage.from_staff.is_(True),
                                    CaseMessage.read_at.is_(None))) or 0


def staff_senders(messages: list[CaseMessage]) -> dict[int, str]:
    """The name of each member of staff who sent one of these messages."""
    return staff_names(m.sender_id for m in messages if m.from_staff)


def witness_thread(link) -> list[WitnessMessage]:
    """Every message between this witness and witness care on the case, oldest first."""
    return list(db.session.scalars(select(WitnessMessage).where(WitnessMessage.witness_link_id == link.id)
                                   .order_by(WitnessMessage.sent_at, WitnessMessage.id)))


def unread_for_witness(link) -> int:
    """How many of witness care's messages this witness has not read."""
    return db.session.scalar(select(func.count(WitnessMessage.id))
                             .where(WitnessMessage.witness_link_id == link.id, WitnessMessage.from_staff.is_(True),
                                    WitnessMessage.read_at.is_(None))) or 0


def unread_from_witnesses(link_ids: Iterable[int] | None = None) -> dict[int, int]:
    """For each witness thread with any (of these links, or all), how many witness messages witness care has not
    read. One grouped query."""
    query = (select(WitnessMessage.witness_link_id, func.count(WitnessMessage.id))
             .where(WitnessMessage.from_staff.is_(False), WitnessMessage.read_at.is_(None))
             .group_by(WitnessMessage.witness_link_id))
    if link_ids is not None:
        ids = list(link_ids)
        if not ids:
            return {}
        query = query.where(WitnessMessage.witness_link_id.in_(ids))
    return {link_id: count for link_id, count in db.session.execute(query)}


@dataclass(frozen=True)
class WaitingThread:
    """A witness's thread with messages witness care has not read, for witness care's list."""

    crime_number: str
    link_id: int
    invited_email: str
    unread: int
    waiting_since: datetime


def threads_waiting() -> list[WaitingThread]:
    """Every witness thread with unread witness messages, the longest waiting first."""
    rows = db.session.execute(
        select(Report.crime_number, WitnessLink.id, WitnessLink.invited_email, func.count(WitnessMessage.id),
               func.min(WitnessMessage.sent_at))
        .join(WitnessLink, WitnessLink.id == WitnessMessage.witness_link_id)
        .join(Report, Report.id == WitnessLink.report_id)
        .where(WitnessMessage.from_staff.is_(False), WitnessMessage.read_at.is_(None))
        .group_by(Report.crime_number, WitnessLink.id, WitnessLink.invited_email)
        .order_by(func.min(WitnessMessage.sent_at), WitnessLink.id))
    return [WaitingThread(*row) for row in rows]


def referral_thread(referral) -> list[ReferralMessage]:
    """Every message between the person referred and the organisation on this referral, oldest first."""
    return list(db.session.scalars(select(ReferralMessage).where(ReferralMessage.referral_id == referral.id)
                                   .order_by(ReferralMessage.sent_at, ReferralMessage.id)))


def _unread_on_referrals(referral_ids: Iterable[int], from_partner: bool) -> dict[int, int]:
    ids = list(referral_ids)
    if not ids:
        return {}
    return {referral_id: count for referral_id, count in db.session.execute(
        select(ReferralMessage.referral_id, func.count(ReferralMessage.id))
        .where(ReferralMessage.referral_id.in_(ids), ReferralMessage.from_partner.is_(from_partner),
               ReferralMessage.read_at.is_(None))
        .group_by(ReferralMessage.referral_id)
    )}


def unread_for_partner(referral_ids: Iterable[int]) -> dict[int, int]:
    """For each of these referrals with any, how many of the person's messages the organisation has not read."""
    return _unread_on_referrals(referral_ids, from_partner=False)


def unread_from_support(referral_ids: Iterable[int]) -> dict[int, int]:
    """For each of these referrals with any, how many of the organisation's messages the person has not read."""
    return _unread_on_referrals(referral_ids, from_partner=True)
