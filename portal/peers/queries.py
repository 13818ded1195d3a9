"""Questions about peer supporters: who may offer, which organisations would receive an offer, and what each
organisation sees (only its own, and nothing of a withdrawn offer)."""

from datetime import date

from sqlalchemy import exists, func, select

from portal.cases.enums import Route
from portal.cases.models import CrimeCategory
from portal.extensions import db
from portal.peers.enums import Decision, SupporterStatus
from portal.peers.models import PeerOffer, PeerSupporter
from portal.support.enums import Delivery, ServiceKind
from portal.support.models import Organisation, Referral, SupportService, whose
from portal.support.referral_states import FINISHED
from portal.surveys.models import CheckIn

# The services through which an organisation runs peer support: one-to-one pairing, or groups.
PEER_KINDS = (ServiceKind.PEER_ONE_TO_ONE, ServiceKind.PEER_GROUP)
# The weeks after referral (or the comparison draw) of the person's own check-in that must be answered before they
# can offer.
LAST_CHECK_IN_WEEKS = 12


def offer_categories() -> list[CrimeCategory]:
    """The crime categories a person can say they went through: every active one that is a crime (not lost
    property), in the reporting order."""
    return list(db.session.scalars(select(CrimeCategory).where(CrimeCategory.active.is_(True),
                                                               CrimeCategory.route != Route.INFORMATION)
                                   .order_by(CrimeCategory.sort_order)))


def why_not_eligible(report, witness_link_id: int | None = None) -> str | None:
    """Why this person on the case (the victim, or the witness with this link) cannot offer to be a peer supporter
    yet, or None when they can.

    Their own 12-week check-in is answered ("check_in" until then): the victim's on the case, or the witness's on one
    of their own referrals (check-ins are one person's: `whose`). And every one of the person's own referrals on the
    case is finished (declined, closed or withdrawn; "open_referral" until then)."""
    answered = db.session.scalar(select(exists().where(
        CheckIn.report_id == report.id, whose(CheckIn, witness_link_id), CheckIn.weeks == LAST_CHECK_IN_WEEKS,
        CheckIn.answered_at.is_not(None))))
    if not answered:
        return "check_in"
    still_open = db.session.scalar(select(exists().where(
        Referral.report_id == report.id, whose(Referral, witness_link_id), Referral.status.not_in(FINISHED))))
    if still_open:
        return "open_referral"
    return None


def live_offer(user_id: int) -> PeerOffer | None:
    """The account's offer that has not been withdrawn, if any."""
    return db.session.scalar(select(PeerOffer).where(PeerOffer.user_id == user_id, PeerOffer.withdrawn_at.is_(None))
                             .order_by(PeerOffer.id.desc()).limit(1))


def receiving_organisations(borough: str, today: date) -> list[Organisation]:
    """The accredited organisations that run peer support (an active one-to-one or group service) covering the
    borough, or online, by name."""
    services = db.session.scalars(select(SupportService).where(SupportService.active.is_(True),
                                                               SupportService.kind.in_(PEER_KINDS)))
    ids = {s.organisation_id for s in services
           if not s.boroughs or borough in s.boroughs or s.delivery in (Delivery.ONLINE, Delivery.BOTH)}
    if not ids:
        return []
    organisations = db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name))
    return [organisation for organisation in organisations if organisation.is_accredited(today)]


def supporter_of(organisation_id: int, supporter_id: int) -> PeerSupporter | None:
    """One organisation's record of an offer that has not been withdrawn; None for another organisation's, or a
    withdrawn one (so both look like one that does not exist)."""
    return db.session.scalar(select(PeerSupporter).join(PeerOffer, PeerOffer.id == PeerSupporter.offer_id).where(
        PeerSupporter.id == supporter_id, PeerSupporter.organisation_id == organisation_id,
        PeerOffer.withdrawn_at.is_(None)))


LISTS = ("new", "accepted", "declined")


def offers(organisation_id: int, decision: Decision) -> list[PeerSupporter]:
    """The organisation's offers with this decision, oldest first; withdrawn offers are gone."""
    return list(db.session.scalars(
        select(PeerSupporter).join(PeerOffer, PeerOffer.id == PeerSupporter.offer_id)
        .where(PeerSupporter.organisation_id == organisation_id, PeerSupporter.decision == decision,
               PeerOffer.withdrawn_at.is_(None))
        .order_by(PeerOffer.consented_at, PeerSupporter.id)))


def offer_counts(organisation_id: int) -> dict[str, int]:
    """How many offers the organisation has in each list (withdrawn offers are gone), in one grouped query."""
    rows = db.session.execute(
        select(PeerSupporter.decision, func.count()).join(PeerOffer, PeerOffer.id == PeerSupporter.offer_id)
        .where(PeerSupporter.organisation_id == organisation_id, PeerOffer.withdrawn_at.is_(None))
        .group_by(PeerSupporter.decision))
    found = {Decision(decision).value: count for decision, count in rows.tuples()}
    return {name: found.get(name, 0) for name in LISTS}


def supporters(organisation_id: int) -> list[PeerSupporter]:
    """The organisation's peer supporters (accepted offers), by first name."""
    return list(db.session.scalars(
        select(PeerSupporter).join(PeerOffer, PeerOffer.id == PeerSupporter.offer_id)
        .where(PeerSupporter.organisation_id == organisation_id, PeerSupporter.decision == Decision.ACCEPTED,
               PeerOffer.withdrawn_at.is_(None))
        .order_by(PeerOffer.first_name, PeerSupporter.id)))


def active_supporters(organisation_ids: list[int] | None = None) -> list[PeerSupporter]:
    """Accepted, active peer supporters whose offer stands (of these organisations): the people a victim could be
    paired with."""
    query = (select(PeerSupporter).join(PeerOffer, PeerOffer.id == PeerSupporter.offer_id)
             .where(PeerSupporter.decision == Decision.ACCEPTED, PeerSupporter.status == SupporterStatus.ACTIVE,
                    PeerOffer.withdrawn_at.is_(None)))
    if organisation_ids is not None:
        query = query.where(PeerSupporter.organisation_id.in_(organisation_ids))
    return list(db.session.scalars(query.order_by(PeerSupporter.id)))


def new_offer_count(organisation_id: int) -> int:
    """How many offers wait for the organisation's decision."""
    return len(offers(organisation_id, Decision.NEW))

