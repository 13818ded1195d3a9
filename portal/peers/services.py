"""Every change to peer supporters: an offer made with consent, withdrawn, and each organisation's checks,
decision and status. Each validates, writes the audit and queues any message in one transaction.

The portal carries the information; it never decides who is suitable. Organisations see only their own records, and
the person only in the words they chose (a first name, the crime categories, languages, times and contact details
they chose to share).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from portal.audit.services import record_audit
from portal.cases.models import Report, WitnessLink
from portal.clock import today_in_london, utcnow
from portal.domain import DomainError, refusals_roll_back
from portal.extensions import db
from portal.i18n import N_
from portal.peers import matches, queries, reach
from portal.peers.enums import Availability, Decision, DeclineReason, SupporterStatus
from portal.peers.models import PeerOffer, PeerSupporter
from portal.peers.names import CONTROL, FIRST_NAME, FIRST_NAME_MAX
from portal.support.enums import Delivery
from portal.support.matching import LANGUAGE_NAMES

CONTACT_MAX = 200
NOTE_MAX = 200


@dataclass(frozen=True)
class OfferAnswers:
    """What the person said about their offer, as typed or ticked."""

    categories: tuple[str, ...]
    languages: tuple[str, ...]
    availability: tuple[str, ...]
    delivery: str | None
    first_name: str | None
    shared_contact: str | None = None


def _chosen(values: Iterable[str], allowed: Iterable[str], message: str, field: str) -> list[str]:
    """The ticked values, in the list's order; one not on the list, or none, is an error."""
    allowed = list(allowed)
    ticked = set(values or ())
    if not ticked or not ticked <= set(allowed):
        raise DomainError(message, field=field)
    return [value for value in allowed if value in ticked]


def check_answers(answers: OfferAnswers, category_codes: Iterable[str]) -> dict:
    """The offer's values, or a DomainError naming the question that is wrong."""
    categories = _chosen(answers.categories, category_codes, N_("Select what you went through"), "categories")
    languages = _chosen(answers.languages, LANGUAGE_NAMES, N_("Select the languages you could help in"),
                        "languages")
    availability = _chosen(answers.availability, [a.value for a in Availability],
                           N_("Select when you could usually help"), "availability")
    try:
        delivery = Delivery(answers.delivery or "")
    except ValueError:
        raise DomainError(N_("Select whether you could help online, in person or either"), field="delivery") from None
    first_name = " ".join((answers.first_name or "").split())
    if not first_name:
        raise DomainError(N_("Enter the first name you want others to see"), field="first_name")
    if len(first_name) > FIRST_NAME_MAX:
        raise DomainError(N_("The first name must be %(max)d characters or fewer"), field="first_name",
                          max=FIRST_NAME_MAX)
    if not FIRST_NAME.match(first_name):
        raise DomainError(N_("Enter a first name using letters only, like Sam"), field="first_name")
    contact = (answers.shared_contact or "").strip()
    if len(contact) > CONTACT_MAX:
        raise DomainError(N_("Contact details must be %(max)d characters or fewer"), field="shared_contact",
                          max=CONTACT_MAX)
    if CONTROL.search(contact):
        raise DomainError(N_("Contact details must be plain text on one line"), field="shared_contact")
    return {"categories": categories, "languages": languages, "availability": availability, "delivery": delivery,
            "first_name": first_name, "shared_contact": contact or None}


def _eligible(user, report: Report, witness_link: WitnessLink | None) -> None:
    if witness_link is None and report.reporter_user_id != user.id:
        raise DomainError(N_("Only the person who reported can offer to help others"))
    if witness_link is not None and (witness_link.report_id != report.id or witness_link.witness_user_id != user.id):
        raise DomainError(N_("That case is not linked to your account"))
    if queries.why_not_eligible(report, witness_link.id if witness_link else None) is not None:
        raise DomainError(N_("You can offer to help others once your 12-week check-in is answered and your "
                             "support has finished"))
    if queries.live_offer(user.id) is not None:
        raise DomainError(N_("You have already offered to help. You can see your offer, or withdraw it"))


@refusals_roll_back
def make_offer(user, report: Report, answers: OfferAnswers, category_codes: Iterable[str],
               witness_link: WitnessLink | None = None) -> PeerOffer:
    """The person (the case's victim, or the witness with this link) agrees to share their offer with the
    organisations that run peer support in the case's area: one offer, and a new record of it at each
    organisation. Nothing is stored before this agreement. Organisations never learn which case it came from, nor
    whether the person was its victim or a witness."""
    _eligible(user, report, witness_link)
    values = check_answers(answers, category_codes)
    organisations = queries.receiving_organisations(report.borough, today_in_london())
    if not organisations:
        raise DomainError(N_("No organisation runs peer support in your area at the moment"))
    now = utcnow()
    offer = PeerOffer(user_id=user.id, report_id=report.id, witness_link_id=witness_link.id if witness_link else None,
                      borough=report.borough, consented_at=now, **values)
    db.session.add(offer)
    db.session.flush()
    for organisation in organisations:
        db.session.add(PeerSupporter(offer_id=offer.id, organisation_id=organisation.id, decision=Decision.NEW))
    reach.tell_organisations(organisations, "partner_referral")
    record_audit(user.id, "peer_offer.made", "peer_offer", str(offer.id),
                 f"shared with {len(organisations)} organisations")
    db.session.commit()
    return offer


@refusals_roll_back
def withdraw_offer(user, offer_id: int) -> PeerOffer:
    """The person withdraws their offer: it leaves every organisation at once, and their peer supporter records
    end (an organisation's status becomes 'left'), and so do their pairings (ended by the organisation)."""
    offer = db.session.get(PeerOffer, offer_id)
    if offer is None or offer.user_id != user.id or offer.withdrawn_at is not None:
        raise DomainError(N_("There is no offer to withdraw"))
    now = utcnow()
    offer.withdrawn_at = now
    for supporter in offer.supporters:
        if supporter.decision == Decision.ACCEPTED and supporter.status != SupporterStatus.LEFT:
            supporter.status = SupporterStatus.LEFT
        supporter.ended_at = supporter.ended_at or now
    matches.follow_supporter_status(user.id, [s.id for s in offer.supporters], SupporterStatus.LEFT,
                                    by_supporter=True)
    reach.tell_organisations([supporter.organisation for supporter in offer.supporters], "partner_referral_withdrawn")
    record_audit(user.id, "peer_offer.withdrawn", "peer_offer", str(offer.id))
    db.session.commit()
    return offer


def _own(actor, supporter_id: int) -> PeerSupporter:
    supporter = queries.supporter_of(actor.organisation_id, supporter_id) if actor.organisation_id else None
    if supporter is None:
        raise DomainError(N_("This offer is no longer there"))
    return supporter


def _past(value: date | None, field: str) -> date | None:
    if value is not None and value > today_in_london():
        raise DomainError(N_("The date must be today or in the past"), field=field)
    return value


@refusals_roll_back
def record_checks(actor, supporter_id: int, training_completed_on: date | None,
                  references_received_on: date | None, safeguarding_checked_on: date | None) -> PeerSupporter:
    """The organisation's own checks, as dates (empty for not done yet). Dates only: no documents."""
    supporter = _own(actor, supporter_id)
    supporter.training_completed_on = _past(training_completed_on, "training_completed_on")
    supporter.references_received_on = _past(references_received_on, "references_received_on")
    supporter.safeguarding_checked_on = _past(safeguarding_checked_on, "safeguarding_checked_on")
    record_audit(actor.id, "peer_supporter.checks_recorded", "peer_supporter", str(supporter.id))
    db.session.commit()
    return supporter


def _tell_the_person(supporter: PeerSupporter) -> None:
    """A neutral message by the person's safe channel (as the case's victim or as a witness): something to read,
    and a link to sign in."""
    reach.tell_offerer(supporter.offer)


@refusals_roll_back
def accept(actor, supporter_id: int) -> PeerSupporter:
    """The organisation takes the person on as a peer supporter (active). Its decision, not the portal's."""
    supporter = _own(actor, supporter_id)
    if supporter.decision != Decision.NEW:
        raise DomainError(N_("You have already decided on this offer"))
    supporter.decision, supporter.status = Decision.ACCEPTED, SupporterStatus.ACTIVE
    supporter.decided_at, supporter.decided_by_id = utcnow(), actor.id
    record_audit(actor.id, "peer_supporter.accepted", "peer_supporter", str(supporter.id))
    _tell_the_person(supporter)
    db.session.commit()
    return supporter


@refusals_roll_back
def decline(actor, supporter_id: int, reason: str | None, note: str | None) -> PeerSupporter:
    """The organisation does not take the offer up, with a reason from the list ('other' needs a few words)."""
    supporter = _own(actor, supporter_id)
    if supporter.decision != Decision.NEW:
        raise DomainError(N_("You have already decided on this offer"))
    try:
        code = DeclineReason(reason or "")
    except ValueError:
        raise DomainError(N_("Select a reason"), field="reason") from None
    note = " ".join((note or "").split()) or None
    if note is not None and len(note) > NOTE_MAX:
        raise DomainError(N_("The reason must be %(max)d characters or fewer"), field="note", max=NOTE_MAX)
    if code == DeclineReason.OTHER and note is None:
        raise DomainError(N_("Enter the reason"), field="note")
    supporter.decision, supporter.decline_reason = Decision.DECLINED, code.value
    supporter.decline_note = note if code == DeclineReason.OTHER else None
    supporter.decided_at, supporter.decided_by_id = utcnow(), actor.id
    record_audit(actor.id, "peer_supporter.declined", "peer_supporter", str(supporter.id), code.value)
    _tell_the_person(supporter)
    db.session.commit()
    return supporter


@refusals_roll_back
def set_status(actor, supporter_id: int, status: str | None) -> PeerSupporter:
    """An accepted peer supporter's status with the organisation: active, paused or left. Their pairings follow in
    the same transaction (paused pauses their conversations, left ends them; making them active again restarts
    none: the coordinator starts each again)."""
    supporter = _own(actor, supporter_id)
    if supporter.decision != Decision.ACCEPTED:
        raise DomainError(N_("Accept the offer before you change the status"), field="status")
    try:
        new = SupporterStatus(status or "")
    except ValueError:
        raise DomainError(N_("Select the status"), field="status") from None
    supporter.status = new
    supporter.ended_at = utcnow() if new == SupporterStatus.LEFT else None
    record_audit(actor.id, "peer_supporter.status_changed", "peer_supporter", str(supporter.id), new.value)
    matches.follow_supporter_status(actor.id, [supporter.id], new)
    db.session.commit()
    return supporter
