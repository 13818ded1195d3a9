"""Read-only queries for message threads and unread counts."""

from collections.abc import Iterable

from sqlalchemy import func, select

from portal.auth.staff_names import staff_names
from portal.extensions import db
from portal.messages.models import CaseMessage


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


def unread_for_victim(report) -> int:
    """How many staff messages on the case the victim has not read."""
    return db.session.scalar(select(func.count(CaseMessage.id))
                             .where(CaseMessage.report_id == report.id, CaseMessage.from_staff.is_(True),
                                    CaseMessage.read_at.is_(None))) or 0


def staff_senders(messages: list[CaseMessage]) -> dict[int, str]:
    """The name of each member of staff who sent one of these messages."""
    return staff_names(m.sender_id for m in messages if m.from_staff)
