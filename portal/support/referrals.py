"""Consents and referrals: the only code that writes them.

Every change to a referral goes through `_change`: it checks who is acting, the version they saw and the
transition, then writes the referral's own history, the case timeline the victim sees, the audit record and
the neutral emails, in one transaction.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from portal.audit.services import record_audit
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases import victims_code
from portal.cases.access import POLICE_ROLES, require_person, require_victim
from portal.cases.enums import DeadlineKind
from portal.cases.models import Report, WitnessLink
from portal.cases.timeline import add_timeline_event
from portal.cases.working_days import add_working_days
from portal.clock import utcnow
from portal.domain import DomainError, refusals_roll_back
from portal.extensions import db
from portal.i18n import DEFAULT_LANGUAGE, N_
from portal.links import absolute_url
from portal.notifications.services import notify_victim, queue_email, queue_for_witness
from portal.support import places, referral_text
from portal.support.enums import ConsentScope, ConsentSource, ServiceKind
from portal.support.enums import ReferralStatus as S
from portal.support.models import Consent, Organisation, Referral, ReferralEvent, SupportService, whose
from portal.support.referral_states import OPEN_STATUSES, TAKING_A_PLACE, VISIBLE_TO_PARTNER, check_transition

NOTE_MAX = 2000
# What a witness may share about a case: what kind of crime and when, and their own contact details.
WITNESS_SCOPES = frozenset({ConsentScope.CATEGORY_AND_DATES.value, ConsentScope.CONTACT_DETAILS.value})
LEVELS = ("contact", "specialist", "peer", "restorative")


class StaleReferral(DomainError):
    """Someone else changed the referral since this person opened it."""

    def __init__(self):
        super().__init__("This referral changed while you were looking at it. Check the latest version and try "
                         "again.")


@dataclass(frozen=True)
class Change:
    """What one change writes: the new status, the history entry and what the victim reads."""

    action: str
    target: S | None
    victim_title: str | None
    victim_body: str | None = None
    reason_code: str | None = None
    note: str | None = None
    event_kind: str = "status"
    outcome: str | None = None
    # Filled into %(name)s in the victim's title and body when they are shown (in the victim's language).
    values: dict | None = None


def _clean_note(note: str | None) -> str | None:
    """A partner's or officer's note, trimmed and limited."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(N_("The note must be %(max)d characters or fewer"), field="note", max=NOTE_MAX)
    return note or None


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    """The parts of the case to share. What kind of crime and when is always needed to make a referral."""
    chosen = []
    for scope in scopes or ():
        try:
            chosen.append(ConsentScope(scope).value)
        except ValueError:
            raise DomainError(N_("Select what you agree to share"), field="scopes") from None
    if ConsentScope.CATEGORY_AND_DATES.value not in chosen:
        raise DomainError(N_("Select ‘what kind of crime it was, and when’. The organisation needs this to help you"),
                          field="scopes")
    return sorted(set(chosen))


def places_taken(service_ids: Iterable[int]) -> dict[int, int]:
    """How many places each service is holding: for accepted or contacted referrals, and, in a group, for its
    members (people who joined keep their place until they leave)."""
    ids = list(service_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Referral.service_id, func.count()).where(
        Referral.service_id.in_(ids), Referral.status.in_(list(TAKING_A_PLACE))).group_by(Referral.service_id))
    taken = {service_id: count for service_id, count in rows}
    for service_id, count in places.member_counts(ids).items():
        taken[service_id] = taken.get(service_id, 0) + count
    return taken


def is_full(service: SupportService) -> bool:
    """Whether a service with a fixed number of places has none left."""
    if service.capacity is None:
        return False
    return places_taken([service.id]).get(service.id, 0) >= service.capacity


def _check_taking_referrals(service: SupportService) -> None:
    """Only to an active service of an accredited organisation, with room. Checked again when consent arrives."""
    if not service.active or not service.organisation.is_accredited(utcnow().date()):
        raise DomainError(N_("This service is not taking referrals. Choose another one"), field="service")
    if is_full(service):
        raise DomainError(N_("This group is full at the moment. Choose another one"), field="service")


def _check_level(service: SupportService, level: str) -> None:
    """Peer support is only for peer-support groups, and a service gives only the levels it offers."""
    if level not in LEVELS:
        raise DomainError(N_("Select a level of support"), field="level")
    if (service.kind in (ServiceKind.PEER_GROUP, ServiceKind.PEER_ONE_TO_ONE)) != (level == "peer"):
        raise DomainError(N_("Peer support is only offered by peer-support groups, and a group only offers peer "
                          "support"), field="level")
    if (service.kind == ServiceKind.RESTORATIVE_JUSTICE) != (level == "restorative"):
        raise DomainError(N_("Restorative justice is only offered by restorative justice services, and they offer "
                          "nothing else"), field="level")
    if service.kind == ServiceKind.SERVICE and service.levels and level not in service.levels:
        raise DomainError(N_("This service does not offer that kind of support"), field="level")


def _check_can_refer(report: Report, service: SupportService, level: str, witness_link_id: int | None = None) -> None:
    """A fitting level, a service taking referrals, and only one open referral to it at a time for each person."""
    _check_level(service, level)
    _check_taking_referrals(service)
    already = db.session.scalar(select(Referral.id).where(
        Referral.report_id == report.id, Referral.service_id == service.id, whose(Referral, witness_link_id),
        Referral.status.in_(list(OPEN_STATUSES | {S.PROPOSED}))))
    if already:
        raise DomainError(N_("There is already an open referral to this service"), field="service")


def _new_reference() -> str:
    """A short reference partners can quote, which says nothing about the case."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "RF-" + "".join(secrets.choice(alphabet) for _ in range(8))


def _new_referral(report: Report, service: SupportService, level: str, status: S,
                  suggested_by: User | None = None, witness_link_id: int | None = None) -> Referral:
    referral = Referral(reference=_new_reference(), report_id=report.id, witness_link_id=witness_link_id,
                        organisation_id=service.organisation_id,
                        service_id=service.id, status=status, support_level=level,
                        suggested_by_id=suggested_by.id if suggested_by else None)
    referral.service = service
    referral.organisation = service.organisation
    db.session.add(referral)
    return referral


def _mark_sent(referral: Referral, consent: Consent, now: datetime) -> None:
    """The referral goes to the organisation: start its first-contact clock and tell them, neutrally."""
    referral.consent = consent
    referral.status = S.SENT
    referral.sent_at = now
    referral.first_contact_due_at = add_working_days(now, referral.organisation.first_contact_target_days)
    if referral.organisation.email:
        queue_email(referral.organisation.email, "partner_referral", locale=DEFAULT_LANGUAGE,
                    sign_in_link=absolute_url("auth.login"))


def _history(referral: Referral, actor: User | None, change: Change, now: datetime) -> None:
    db.session.add(ReferralEvent(referral=referral, occurred_at=now, actor_id=actor.id if actor else None,
                                 kind=change.event_kind, status=referral.status.value, outcome=change.outcome,
                                 note=change.note))


def _write(actor: User, referral: Referral, report: Report, change: Change, now: datetime,
           notify: bool) -> None:
    """The shared writes of every change: history, the audit, and for the victim their timeline and their email.
    A witness's referral is theirs alone: it is not written on the case's timeline (the victim's, or the one all
    witnesses share); the witness follows it on their support page and is told there is an update by their safe
    channel, in neutral words."""
    _history(referral, actor, change, now)
    if change.victim_title and referral.witness_link_id is None:
        add_timeline_event(report.id, "support", change.victim_title, change.victim_body, actor_id=actor.id,
                           victim=True, reason_code=change.reason_code, values=change.values)
    record_audit(actor.id, change.action, "referral", referral.reference, report.crime_number)
    if notify and referral.witness_link_id is not None:
        link = db.session.get(WitnessLink, referral.witness_link_id)
        if link is not None and link.witness_user_id is not None:
            queue_for_witness(link, db.session.get(User, link.witness_user_id), "case_update",
                              sign_in_link=absolute_url("auth.login"))
    elif notify and not report.safeguarding:
        notify_victim(report)



def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleReferral() from None


def _refuse(error: DomainError) -> None:
    """Roll back anything the caller prepared, then raise."""
    db.session.rollback()
    raise error


# The victim -------------------------------------------------------------------------------------------------


def refer_with_consent(user: User, report: Report, service: SupportService, level: str,
                       scopes: Iterable[str], witness_link: WitnessLink | None = None) -> Referral:
    """The victim, or a witness on the case, chooses a service and agrees what to share: the referral is sent at
    once. A witness can share only the kind of crime and its dates, and their own contact details: what the victim
    said happened is not theirs to share."""
    link_id = witness_link.id if witness_link else None
    try:
        require_person(user, report, witness_link)
        _check_can_refer(report, service, level, link_id)
        chosen = _clean_scopes(scopes)
        if witness_link is not None and not set(chosen) <= WITNESS_SCOPES:
            raise DomainError(N_("Select what to share from the list"), field="scopes")
    except DomainError as error:
        _refuse(error)
    now = utcnow()
    consent = Consent(report_id=report.id, witness_link_id=link_id, organisation_id=service.organisation_id,
                      scopes=chosen, source=ConsentSource.ONLINE, given_at=now,
                      given_by="the witness, online" if witness_link else "the victim, online")
    db.session.add(consent)
    referral = _new_referral(report, service, level, S.SENT, witness_link_id=link_id)
    _mark_sent(referral, consent, now)
    if witness_link is None:
        victims_code.meet(report, DeadlineKind.SUPPORT_REFERRAL, now)
    _write(user, referral, report, Change(
        "referral.sent", S.SENT, N_("You asked to be referred to %(organisation)s"),
        N_("Service: %(service)s. You agreed to share: %(shared)s."),
        values={"organisation": service.organisation.name, "service": service.name,
                "shared": [referral_text.SCOPE_WORDS[s] for s in chosen]}), now, notify=False)
    _commit()
    return referral


def consent_to_proposal(user: User, referral: Referral, scopes: Iterable[str]) -> Referral:
    """The victim agrees to a referral an officer suggested."""
    report = db.session.get(Report, referral.report_id)
    try:
        require_victim(user, report)
        check_transition(referral.status, S.SENT)
        chosen = _clean_scopes(scopes)
        _check_taking_referrals(referral.service)
    except DomainError as error:
        _refuse(error)
    now = utcnow()
    consent = Consent(report_id=report.id, organisation_id=referral.organisation_id, scopes=chosen,
                      source=ConsentSource.ONLINE, given_at=now, given_by="the victim, online")
    db.session.add(consent)
    _mark_sent(referral, consent, now)
    _write(user, referral, report, Change(
        "referral.consented", S.SENT, N_("You agreed to be referred to %(organisation)s"),
        N_("You agreed to share: %(shared)s."),
        values={"organisation": referral.organisation.name,
                "shared": [referral_text.SCOPE_WORDS[s] for s in chosen]}), now, notify=False)
    _commit()
    return referral


def turn_down_proposal(user: User, referral: Referral) -> Referral:
    """The victim does not want the referral an officer suggested. Nothing was shared."""
    report = db.session.get(Report, referral.report_id)
    try:
        require_victim(user, report)
        check_transition(referral.status, S.WITHDRAWN)
        if referral.status != S.PROPOSED:
            raise DomainError(N_("This referral has already been sent. Withdraw your consent instead"))
    except DomainError as error:
        _refuse(error)
    now = utcnow()
    referral.status = S.WITHDRAWN
    referral.closed_at = now
    _write(user, referral, report, Change("referral.turned_down", S.WITHDRAWN,
                                          N_("You said no to a referral to %(organisation)s"),
                                          N_("Nothing was shared with them."),
                                          values={"organisation": referral.organisation.name}), now, notify=False)
    _commit()
    return referral


def withdraw_consent(user: User, consent: Consent) -> Consent:
    """The victim or witness takes back their consent. The organisation loses access to every referral it covered,
    at once."""
    report = db.session.get(Report, consent.report_id)
    witness_link = db.session.get(WitnessLink, consent.witness_link_id) if consent.witness_link_id else None
    try:
        require_person(user, report, witness_link)
        if not consent.is_active:
            raise DomainError(N_("You have already withdrawn this consent"))
    except DomainError as error:
        _refuse(error)
    now = utcnow()
    consent.withdrawn_at = now
    for referral in db.session.scalars(select(Referral).where(Referral.consent_id == consent.id)):
        if referral.status in (S.DECLINED, S.CLOSED, S.WITHDRAWN):
            continue
        referral.status = S.WITHDRAWN
        referral.closed_at = now
        _history(referral, user, Change("referral.withdrawn", S.WITHDRAWN, None), now)
        record_audit(user.id, "referral.withdrawn", "referral", referral.reference, report.crime_number)
    if consent.organisation.email:
        queue_email(consent.organisation.email, "partner_referral_withdrawn", locale=DEFAULT_LANGUAGE,
                    sign_in_link=absolute_url("auth.login"))
    if witness_link is None:
        add_timeline_event(report.id, "support", N_("You withdrew your consent for %(organisation)s"),
                           N_("They can no longer see any of your details."), actor_id=user.id, victim=True,
                           values={"organisation": consent.organisation.name})
    record_audit(user.id, "consent.withdrawn", "consent", str(consent.id), report.crime_number)
    _commit()
    return consent


def set_progress_sharing(user: User, consent: Consent, share: bool) -> Consent:
    """The victim starts or stops sharing how their case is going (its updates and hearing dates) with an
    organisation they consented to. Stopping takes effect at once: the organisation's next page no longer has it."""
    report = db.session.get(Report, consent.report_id)
    try:
        require_victim(user, report)
        if consent.witness_link_id is not None:
            raise DomainError(N_("Select what to share from the list"))
        if not consent.is_active:
            raise DomainError(N_("You have already withdrawn this consent"))
    except DomainError as error:
        _refuse(error)
    scopes = set(consent.scopes or [])
    if (ConsentScope.PROGRESS.value in scopes) == share:
        return consent
    scopes ^= {ConsentScope.PROGRESS.value}
    consent.scopes = sorted(scopes)  # a new list, so the JSON column is written
    if share:
        title = N_("You started sharing how your case is going with %(organisation)s")
        body = N_("They can see the updates we send you and any court dates, until you stop sharing them.")
    else:
        title = N_("You stopped sharing how your case is going with %(organisation)s")
        body = N_("They can no longer see your updates or court dates.")
    add_timeline_event(report.id, "support", title, body, actor_id=user.id, victim=True,
                       values={"organisation": consent.organisation.name})
    record_audit(user.id, "consent.progress_shared" if share else "consent.progress_withdrawn", "consent",
                 str(consent.id), report.crime_number)
    _commit()
    return consent


# Police staff ------------------------------------------------------------------------------------------------


@refusals_roll_back
def propose_referral(officer: User, report: Report, service: SupportService, level: str) -> Referral:
    """An officer suggests a referral. It waits for the victim's consent; nothing is shared yet."""
    referral = _propose(officer, report, service, level, announce=True)
    _commit()
    return referral


def _propose(officer: User, report: Report, service: SupportService, level: str, announce: bool) -> Referral:
    try:
        if officer.role not in POLICE_ROLES:
            raise DomainError(N_("Only police staff can suggest a referral"))
        _check_can_refer(report, service, level)
    except DomainError as error:
        _refuse(error)
    now = utcnow()
    referral = _new_referral(report, service, level, S.PROPOSED, suggested_by=officer)
    victims_code.meet(report, DeadlineKind.SUPPORT_REFERRAL, now)
    title = N_("We suggest support from %(organisation)s") if announce else None
    _write(officer, referral, report, Change(
        "referral.proposed", S.PROPOSED, title,
        N_("Nothing is shared with them unless you agree. You can say yes or no on this page."),
        values={"organisation": service.organisation.name}), now, notify=announce)
    return referral


def _check_verbal_consent(given_by: str, given_at: datetime, scopes: Iterable[str]) -> tuple[str, list[str]]:
    """Who gave consent, that it was in the past, and what it covers."""
    given_by = (given_by or "").strip()
    if not given_by:
        raise DomainError(N_("Enter who gave consent"), field="given_by")
    if len(given_by) > 200:
        raise DomainError(N_("Who gave consent must be 200 characters or fewer"), field="given_by")
    if given_at > utcnow():
        raise DomainError(N_("The time consent was given must be in the past"), field="given_at")
    return given_by, _clean_scopes(scopes)


@refusals_roll_back
def record_verbal_consent(officer: User, referral: Referral, given_by: str, given_at: datetime,
                          scopes: Iterable[str]) -> Referral:
    """The victim agreed on the phone or in person: the officer records who, when and what, and the referral
    is sent."""
    report = db.session.get(Report, referral.report_id)
    try:
        if officer.role not in POLICE_ROLES:
            raise DomainError(N_("Only police staff can record consent"))
        check_transition(referral.status, S.SENT)
        given_by, chosen = _check_verbal_consent(given_by, given_at, scopes)
        _check_taking_referrals(referral.service)
    except DomainError as error:
        _refuse(error)
    now = utcnow()
    consent = Consent(report_id=report.id, organisation_id=referral.organisation_id, scopes=chosen,
                      source=ConsentSource.VERBAL, given_at=given_at, given_by=given_by, recorded_by_id=officer.id)
    db.session.add(consent)
    _mark_sent(referral, consent, now)
    _write(officer, referral, report, Change(
        "referral.verbal_consent", S.SENT, N_("Your referral to %(organisation)s was sent"),
        N_("You agreed to this when you spoke to us. You can see and withdraw your consent at any time."),
        values={"organisation": referral.organisation.name}), now, notify=True)
    _commit()
    return referral


@refusals_roll_back
def propose_and_record_consent(officer: User, report: Report, service: SupportService, level: str,
                               given_by: str, given_at: datetime, scopes: Iterable[str]) -> Referral:
    """An officer makes a referral the victim agreed to out loud, in one step."""
    try:
        _check_verbal_consent(given_by, given_at, scopes)
    except DomainError as error:
        _refuse(error)
    referral = _propose(officer, report, service, level, announce=False)
    db.session.flush()
    return record_verbal_consent(officer, referral, given_by, given_at, scopes)


# The partner organisation ----------------------------------------------------------------------------------


def partner_can_see(user: User, referral: Referral) -> bool:
    """A partner sees a referral only for their own organisation, only after consent, and never once withdrawn."""
    return (user.role == Role.PARTNER and user.organisation_id is not None
            and referral.organisation_id == user.organisation_id
            and referral.status in VISIBLE_TO_PARTNER
            and referral.consent is not None and referral.consent.is_active)


def _partner_change(partner: User, referral: Referral, expected_version: int, change: Change) -> Referral:
    report = db.session.get(Report, referral.report_id)
    try:
        if not partner_can_see(partner, referral):
            raise DomainError(N_("This referral is not available"))
        if referral.version != expected_version:
            raise StaleReferral()
        if change.target is not None and change.target != referral.status:
            check_transition(referral.status, change.target)
    except DomainError as error:
        _refuse(error)
    now = utcnow()
    if change.target is not None:
        referral.status = change.target
    if change.target == S.ACCEPTED:
        referral.accepted_at = now
    if change.target == S.CONTACTED and referral.first_contact_at is None:
        referral.first_contact_at = now
    if change.target in (S.DECLINED, S.CLOSED):
        referral.closed_at = now
        referral.reason_code = change.reason_code
        referral.note = change.note
    if change.target == S.CLOSED and change.reason_code == places.JOINED:
        change = places.join(referral, change, now)  # a place in the group, or on its waiting list
    _write(partner, referral, report, change, now, notify=change.victim_title is not None)
    _commit()
    return referral


def accept(partner: User, referral: Referral, expected_version: int) -> Referral:
    """The organisation can help."""
    return _partner_change(partner, referral, expected_version, Change(
        "referral.accepted", S.ACCEPTED, N_("%(organisation)s accepted your referral"),
        referral_text.STATUS_WORDS[S.ACCEPTED][1], values={"organisation": referral.organisation.name}))


def decline(partner: User, referral: Referral, expected_version: int, reason_code: str,
            note: str | None = None) -> Referral:
    """The organisation cannot help, with one of the standard reasons."""
    if reason_code not in referral_text.DECLINE_REASONS:
        _refuse(DomainError(N_("Select why you cannot accept this referral"), field="reason"))
    try:
        note = _clean_note(note)
    except DomainError as error:
        _refuse(error)
    return _partner_change(partner, referral, expected_version, Change(
        "referral.declined", S.DECLINED, N_("%(organisation)s could not accept your referral"),
        referral_text.DECLINE_REASONS_FOR_VICTIM[reason_code], reason_code=reason_code, note=note,
        values={"organisation": referral.organisation.name}))


def record_contact(partner: User, referral: Referral, expected_version: int, outcome: str,
                   note: str | None = None, give_up: bool = False) -> Referral:
    """One attempt to reach the person. Reaching them marks the referral contacted; giving up marks it
    'unable to contact'."""
    if outcome not in referral_text.CONTACT_OUTCOMES:
        _refuse(DomainError(N_("Select what happened when you tried to make contact"), field="outcome"))
    try:
        note = _clean_note(note)
    except DomainError as error:
        _refuse(error)
    if outcome == "reached":
        target, title = S.CONTACTED, N_("%(organisation)s has been in touch with you")
    elif give_up:
        target, title = S.UNABLE_TO_CONTACT, N_("%(organisation)s could not reach you")
    else:
        target, title = None, None
    if target is None and referral.status not in (S.ACCEPTED, S.UNABLE_TO_CONTACT):
        _refuse(DomainError(N_("Accept the referral before recording contact attempts")))
    body = referral_text.STATUS_WORDS[target][1] if target else None
    return _partner_change(partner, referral, expected_version, Change(
        "referral.contact_attempt", target, title if target != referral.status else None, body,
        note=note, event_kind="contact_attempt", outcome=outcome, values={"organisation": referral.organisation.name}))


def close(partner: User, referral: Referral, expected_version: int, outcome: str,
          note: str | None = None) -> Referral:
    """The organisation has finished, with an outcome."""
    if outcome not in referral_text.CLOSE_OUTCOMES:
        _refuse(DomainError(N_("Select the outcome"), field="outcome"))
    try:
        note = _clean_note(note)
    except DomainError as error:
        _refuse(error)
    return _partner_change(partner, referral, expected_version, Change(
        "referral.closed", S.CLOSED, N_("%(organisation)s closed your referral"),
        referral_text.CLOSE_OUTCOMES_FOR_VICTIM[outcome], reason_code=outcome, note=note,
        values={"organisation": referral.organisation.name}))


# Reading ----------------------------------------------------------------------------------------------------


def referrals_for_case(report_id: int, witness_link_id: int | None = None) -> list[Referral]:
    """Every referral of one person on a case, newest first: the victim's (for them and police staff), or the
    witness's with this link (for them)."""
    return list(db.session.scalars(select(Referral).where(Referral.report_id == report_id,
                                                          whose(Referral, witness_link_id))
                                   .order_by(Referral.id.desc())))


def consents_for_case(report_id: int, witness_link_id: int | None = None) -> list[Consent]:
    """Every consent one person gave on a case (the victim, or the witness with this link), newest first."""
    return list(db.session.scalars(select(Consent).where(Consent.report_id == report_id,
                                                         whose(Consent, witness_link_id))
                                   .order_by(Consent.given_at.desc(), Consent.id.desc())))


def service_by_id(service_id: int) -> SupportService | None:
    """A service, whether listed or not."""
    return db.session.get(SupportService, service_id)


def organisation_by_id(organisation_id: int) -> Organisation | None:
    """An organisation, whether listed or not."""
    return db.session.get(Organisation, organisation_id)

