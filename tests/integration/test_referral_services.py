"""The consent and referral services, called directly: what each one writes, and what each one refuses."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases import victims_code
from portal.cases.enums import DeadlineKind
from portal.cases.models import Report, TimelineEvent, VictimsCodeDeadline
from portal.clock import utcnow
from portal.domain import DomainError
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.support import referrals
from portal.support.assessments import send_due_offers
from portal.support.enums import ConsentScope, ConsentSource, ReferralStatus
from portal.support.models import Consent, Referral
from portal.support.referrals import StaleReferral
from tests.support_helpers import make_organisation, make_peer_group, make_service
from tests.triage_helpers import make_report

ALL = ["category_and_dates", "contact_details", "description"]
ORG_EMAIL = "referrals@camden.example.org"
FRIDAY = datetime(2026, 3, 6, 10, 0, tzinfo=UTC)


@pytest.fixture
def people(app, make_user):
    """A victim, another victim, an officer, and partners of two organisations (made below)."""
    return {"victim": make_user(Role.VICTIM, email="victim.one@example.org"),
            "other_victim": make_user(Role.VICTIM),
            "officer": make_user(Role.OFFICER, display_name="PC 1 Sam Lee")}


@pytest.fixture
def world(app, ctx, people, make_user):
    """A case, an accredited organisation with a service and a group, and partners of it and of another one."""
    crime_number = make_report(app, people["victim"], contact_name="Vic Tim", description="A very private story.")
    camden = make_organisation("Camden Victim Support", email=ORG_EMAIL)
    other = make_organisation("Other Charity", email="other@charity.example.org")
    service = make_service(camden, "Support after theft")
    group = make_peer_group(camden, "Tuesday peer group", capacity=1)
    partner = make_user(Role.PARTNER, email="worker@camden.example.org", organisation_id=camden.id)
    stranger = make_user(Role.PARTNER, email="worker@other.example.org", organisation_id=other.id)
    # End this session's transaction, so the accounts just made in other sessions are kept when a refused service
    # rolls this session back (each test runs in one rolled-back transaction; see tests/conftest.py).
    db.session.commit()
    users = {name: db.session.get(User, user.id) for name, user in
             {**people, "partner": partner, "stranger": stranger}.items()}
    report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
    return {**users, "report": report, "camden": camden, "other": other, "service": service, "group": group}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def org_emails() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == ORG_EMAIL)))


def refused(call, *args, **kwargs) -> DomainError:
    """Call a service that must refuse, and return its error."""
    with pytest.raises(DomainError) as error:
        call(*args, **kwargs)
    return error.value


def support_deadline(report) -> VictimsCodeDeadline:
    return db.session.scalar(select(VictimsCodeDeadline).where(
        VictimsCodeDeadline.report_id == report.id, VictimsCodeDeadline.kind == DeadlineKind.SUPPORT_REFERRAL))


# The victim refers themselves ----------------------------------------------------------------------------------


def test_referring_with_consent_writes_everything_in_one_go(world, monkeypatch):
    """Consent with its scopes and time, a sent referral, a neutral email, the victim's timeline, the audit, and
    the Victims' Code promise met."""
    monkeypatch.setattr("portal.support.referrals.utcnow", lambda: FRIDAY)
    report = world["report"]
    referral = referrals.refer_with_consent(world["victim"], report, world["service"], "contact",
                                            ["description", "category_and_dates"])
    consent = referral.consent
    assert consent.scopes == ["category_and_dates", "description"]
    assert consent.given_at == FRIDAY and consent.source == ConsentSource.ONLINE and consent.is_active
    assert consent.organisation_id == world["camden"].id and consent.report_id == report.id
    assert referral.status == ReferralStatus.SENT and referral.sent_at == FRIDAY
    assert referral.reference.startswith("RF-") and len(referral.reference) == 11
    # Two working days after a Friday: the end of Tuesday, London time (GMT in March).
    assert referral.first_contact_due_at == datetime(2026, 3, 10, 23, 59, 59, tzinfo=UTC)
    [email] = org_emails()
    assert email.subject == "You have a new item to review"
    for detail in (report.crime_number, "Vic Tim", "victim.one@example.org", "private story", "Bicycle",
                   "Support after theft", referral.reference):
        assert detail not in email.body_text and detail not in email.subject
    event = db.session.scalar(select(TimelineEvent).where(TimelineEvent.report_id == report.id,
                                                          TimelineEvent.kind == "support"))
    assert event.visible_to_victim and not event.visible_to_witness
    assert event.shown_title == "You asked to be referred to Camden Victim Support"
    assert event.title == "You asked to be referred to %(organisation)s"  # stored in English, translated when shown
    assert "what kind of crime it was, and when it happened" in event.shown_body
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "referral.sent"))
    assert (audit.actor_id, audit.object_type, audit.object_id, audit.detail) == (
        world["victim"].id, "referral", referral.reference, report.crime_number)
    assert support_deadline(report).met_at == FRIDAY
    assert [e.status for e in referral.events] == ["sent"]


def test_first_contact_follows_the_organisations_own_target(world, monkeypatch):
    """An organisation that aims for 5 working days gets until the end of the following Friday."""
    monkeypatch.setattr("portal.support.referrals.utcnow", lambda: FRIDAY)
    world["camden"].first_contact_target_days = 5
    db.session.commit()
    referral = referrals.refer_with_consent(world["victim"], world["report"], world["service"], "contact", ALL)
    assert referral.first_contact_due_at == datetime(2026, 3, 13, 23, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(("scopes", "message"), [
    (["contact_details", "description"], "Select ‘what kind of crime it was, and when’"),
    ([], "Select ‘what kind of crime it was, and when’"),
    (None, "Select ‘what kind of crime it was, and when’"),
    (["category_and_dates", "bank_details"], "Select what you agree to share"),
])
def test_a_referral_needs_consent_to_share_at_least_the_category_and_dates(world, scopes, message):
    """Without it nothing is written: no consent, no referral, no email."""
    error = refused(referrals.refer_with_consent, world["victim"], world["report"], world["service"], "contact",
                    scopes)
    assert error.message.startswith(message) and error.field == "scopes"
    assert count(Consent) == count(Referral) == len(org_emails()) == 0


def test_only_the_victim_refers_their_own_case(world):
    """Another victim, an officer or a partner cannot give the victim's consent."""
    for who in ("other_victim", "officer", "partner"):
        error = refused(referrals.refer_with_consent, world[who], world["report"], world["service"], "contact", ALL)
        assert error.message == "That case is not linked to your account"
    assert count(Referral) == 0


def test_a_second_open_referral_to_the_same_service_is_refused(world):
    """One open referral per service; after a decline the victim may ask again."""
    first = referrals.refer_with_consent(world["victim"], world["report"], world["service"], "contact", ALL)
    error = refused(referrals.refer_with_consent, world["victim"], world["report"], world["service"], "specialist",
                    ALL)
    assert (error.message, error.field) == ("There is already an open referral to this service", "service")
    referrals.decline(world["partner"], first, first.version, "lack_of_capacity")
    again = referrals.refer_with_consent(world["victim"], world["report"], world["service"], "contact", ALL)
    assert again.status == ReferralStatus.SENT and count(Referral) == 2


@pytest.mark.parametrize("change", ["unapproved", "unaccredited", "expired", "not_yet_assured", "inactive"])
def test_services_that_are_not_listed_take_no_referrals(world, change):
    """Unapproved, unaccredited, expired or paused: refused on the service."""
    organisation, service = world["camden"], world["service"]
    today = utcnow().date()
    if change == "unapproved":
        organisation.approved = False
    elif change == "unaccredited":
        organisation.assured_date = organisation.accreditation_expires_on = None
    elif change == "expired":
        organisation.accreditation_expires_on = today - timedelta(days=1)
    elif change == "not_yet_assured":
        organisation.assured_date = today + timedelta(days=1)
    else:
        service.active = False
    db.session.commit()
    error = refused(referrals.refer_with_consent, world["victim"], world["report"], service, "contact", ALL)
    assert (error.message, error.field) == ("This service is not taking referrals. Choose another one", "service")
    assert count(Consent) == 0


def test_a_full_group_takes_no_referrals(app, world, make_user):
    """The group's one place is held by an accepted referral on another case."""
    other_number = make_report(app, world["other_victim"])
    other_case = db.session.scalar(select(Report).where(Report.crime_number == other_number))
    taken = referrals.refer_with_consent(world["other_victim"], other_case, world["group"], "peer", ALL)
    assert not referrals.is_full(world["group"])
    referrals.accept(world["partner"], taken, taken.version)
    assert referrals.is_full(world["group"]) and referrals.places_taken([world["group"].id]) == {world["group"].id: 1}
    error = refused(referrals.refer_with_consent, world["victim"], world["report"], world["group"], "peer", ALL)
    assert (error.message, error.field) == ("This group is full at the moment. Choose another one", "service")


def test_an_unknown_level_is_refused(world):
    """Only contact, specialist or peer support can be referred."""
    error = refused(referrals.refer_with_consent, world["victim"], world["report"], world["service"], "information",
                    ALL)
    assert (error.message, error.field) == ("Select a level of support", "level")


# An officer suggests ---------------------------------------------------------------------------------------


def test_a_suggestion_waits_for_the_victim_and_then_is_sent_on_their_consent(world):
    """Proposed: nothing shared and the organisation not told; the victim is told. Consent sends it."""
    report = world["report"]
    proposal = referrals.propose_referral(world["officer"], report, world["service"], "contact")
    assert proposal.status == ReferralStatus.PROPOSED and proposal.consent is None and proposal.sent_at is None
    assert proposal.suggested_by_id == world["officer"].id
    assert not org_emails() and not referrals.partner_can_see(world["partner"], proposal)
    assert support_deadline(report).met_at is not None
    titles = [e.shown_title for e in db.session.scalars(select(TimelineEvent).where(TimelineEvent.visible_to_victim))]
    assert "We suggest support from Camden Victim Support" in titles
    victim_emails = db.session.scalars(select(OutboxMessage.subject).where(
        OutboxMessage.recipient == "victim.one@example.org")).all()
    assert "You have an update" in victim_emails
    sent = referrals.consent_to_proposal(world["victim"], proposal, ["category_and_dates", "contact_details"])
    assert sent.status == ReferralStatus.SENT and sent.consent.source == ConsentSource.ONLINE
    assert sent.first_contact_due_at is not None and len(org_emails()) == 1
    assert referrals.partner_can_see(world["partner"], sent)
    assert [e.status for e in sent.events] == ["proposed", "sent"]


def test_the_victim_can_say_no_to_a_suggestion(world):
    """Turned down: withdrawn, and nothing was ever shared."""
    proposal = referrals.propose_referral(world["officer"], world["report"], world["service"], "contact")
    referrals.turn_down_proposal(world["victim"], proposal)
    assert proposal.status == ReferralStatus.WITHDRAWN and proposal.consent is None
    assert not org_emails() and count(Consent) == 0
    error = refused(referrals.consent_to_proposal, world["victim"], proposal, ALL)
    assert "withdrawn" in error.message


def test_only_police_staff_suggest_or_record_consent(world):
    """A partner or a victim cannot suggest a referral or record verbal consent."""
    for who in ("partner", "victim"):
        assert refused(referrals.propose_referral, world[who], world["report"], world["service"],
                       "contact").message == "Only police staff can suggest a referral"
    proposal = referrals.propose_referral(world["officer"], world["report"], world["service"], "contact")
    assert refused(referrals.record_verbal_consent, world["partner"], proposal, "the victim",
                   utcnow() - timedelta(hours=1), ALL).message == "Only police staff can record consent"


def test_verbal_consent_records_who_when_and_what(world):
    """The officer's record: who agreed, when (kept as given) and the scopes; the referral is sent."""
    given = utcnow() - timedelta(hours=3)
    proposal = referrals.propose_referral(world["officer"], world["report"], world["service"], "contact")
    sent = referrals.record_verbal_consent(world["officer"], proposal, "  Her mother, Ana Silva  ", given,
                                           ["category_and_dates"])
    consent = sent.consent
    assert sent.status == ReferralStatus.SENT and len(org_emails()) == 1
    assert (consent.source, consent.given_by, consent.given_at, consent.recorded_by_id, consent.scopes) == (
        ConsentSource.VERBAL, "Her mother, Ana Silva", given, world["officer"].id, ["category_and_dates"])
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "referral.verbal_consent"))


@pytest.mark.parametrize(("given_by", "hours_ago", "field", "message"), [
    ("", 1, "given_by", "Enter who gave consent"),
    ("   ", 1, "given_by", "Enter who gave consent"),
    (None, 1, "given_by", "Enter who gave consent"),
    ("x" * 201, 1, "given_by", "Who gave consent must be 200 characters or fewer"),
    ("the victim", -1, "given_at", "The time consent was given must be in the past"),
])
def test_verbal_consent_is_checked(world, given_by, hours_ago, field, message):
    """Blank, too long or in the future: refused on the right field, and the suggestion still waits."""
    proposal = referrals.propose_referral(world["officer"], world["report"], world["service"], "contact")
    error = refused(referrals.record_verbal_consent, world["officer"], proposal, given_by,
                    utcnow() - timedelta(hours=hours_ago), ALL)
    assert (error.field, error.message) == (field, message)
    db.session.refresh(proposal)
    assert proposal.status == ReferralStatus.PROPOSED and count(Consent) == 0


def test_suggesting_with_bad_verbal_consent_leaves_nothing_behind(world):
    """The one-step version checks consent first, so no half-made proposal is left."""
    error = refused(referrals.propose_and_record_consent, world["officer"], world["report"], world["service"],
                    "contact", "the victim", utcnow() + timedelta(minutes=5), ALL)
    assert error.field == "given_at"
    assert count(Referral) == count(Consent) == 0
    made = referrals.propose_and_record_consent(world["officer"], world["report"], world["service"], "contact",
                                                "the victim", utcnow() - timedelta(minutes=5), ALL)
    assert made.status == ReferralStatus.SENT and made.consent.source == ConsentSource.VERBAL


# Withdrawing and partners -------------------------------------------------------------------------------------


def test_withdrawing_consent_ends_the_organisations_access_at_once(world):
    """Every open referral the consent covered is withdrawn, finished ones keep their outcome, and the
    organisation is told neutrally."""
    service_referral = referrals.refer_with_consent(world["victim"], world["report"], world["service"], "contact",
                                                    ALL)
    referrals.accept(world["partner"], service_referral, service_referral.version)
    assert referrals.partner_can_see(world["partner"], service_referral)
    group_referral = referrals.refer_with_consent(world["victim"], world["report"], world["group"], "peer", ALL)
    referrals.decline(world["partner"], group_referral, group_referral.version, "lack_of_capacity")
    consent = service_referral.consent
    referrals.withdraw_consent(world["victim"], consent)
    assert consent.withdrawn_at is not None and not consent.covers(ConsentScope.CATEGORY_AND_DATES)
    assert service_referral.status == ReferralStatus.WITHDRAWN and service_referral.closed_at is not None
    assert not referrals.partner_can_see(world["partner"], service_referral)
    assert group_referral.status == ReferralStatus.DECLINED
    assert "An item has been withdrawn" in [m.subject for m in org_emails()]
    for email in org_emails():
        assert world["report"].crime_number not in email.body_text
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "consent.withdrawn"))
    error = refused(referrals.withdraw_consent, world["victim"], consent)
    assert error.message == "You have already withdrawn this consent"
    assert refused(referrals.withdraw_consent, world["other_victim"], group_referral.consent).message == \
        "That case is not linked to your account"


def test_partners_see_only_their_own_organisations_consented_referrals(world):
    """Another organisation's partner cannot see or act on the referral."""
    referral = referrals.refer_with_consent(world["victim"], world["report"], world["service"], "contact", ALL)
    assert referrals.partner_can_see(world["partner"], referral)
    assert not referrals.partner_can_see(world["stranger"], referral)
    assert not referrals.partner_can_see(world["officer"], referral)
    error = refused(referrals.accept, world["stranger"], referral, referral.version)
    assert error.message == "This referral is not available"
    db.session.refresh(referral)
    assert referral.status == ReferralStatus.SENT


def test_a_change_made_on_an_old_version_is_refused(world):
    """The partner saw version 1; someone has since accepted it, so their decline is stale."""
    referral = referrals.refer_with_consent(world["victim"], world["report"], world["service"], "contact", ALL)
    seen = referral.version
    referrals.accept(world["partner"], referral, seen)
    with pytest.raises(StaleReferral) as error:
        referrals.decline(world["partner"], referral, seen, "lack_of_capacity")
    assert "changed while you were looking at it" in error.value.message
    db.session.refresh(referral)
    assert referral.status == ReferralStatus.ACCEPTED


def test_a_partner_works_a_referral_to_its_end(world):
    """Accept, a failed attempt, contact, close: each step in the history and the victim's timeline."""
    referral = referrals.refer_with_consent(world["victim"], world["report"], world["service"], "contact", ALL)
    referrals.accept(world["partner"], referral, referral.version)
    referrals.record_contact(world["partner"], referral, referral.version, "no_answer", "Rang at 10am")
    assert referral.status == ReferralStatus.ACCEPTED
    referrals.record_contact(world["partner"], referral, referral.version, "reached")
    assert referral.status == ReferralStatus.CONTACTED and referral.first_contact_at is not None
    referrals.close(world["partner"], referral, referral.version, "support_completed")
    assert referral.status == ReferralStatus.CLOSED and referral.reason_code == "support_completed"
    assert [(e.kind, e.status) for e in referral.events] == [
        ("status", "sent"), ("status", "accepted"), ("contact_attempt", "accepted"),
        ("contact_attempt", "contacted"), ("status", "closed")]
    assert refused(referrals.accept, world["partner"], referral, referral.version).message.startswith(
        "This referral is closed")


# Offering support ---------------------------------------------------------------------------------------------


def _offer_events(report_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(TimelineEvent).where(
        TimelineEvent.report_id == report_id, TimelineEvent.kind == "support_offer"))


def test_support_is_offered_once_an_hour_after_reporting(app, world):
    """Not before 60 minutes; then once, with a neutral email; running it again changes nothing."""
    report = world["report"]
    now = report.submitted_at
    assert send_due_offers(now + timedelta(minutes=59)) == 0
    assert _offer_events(report.id) == 0
    assert send_due_offers(now + timedelta(minutes=61)) == 1
    assert _offer_events(report.id) == 1
    assert support_deadline(report).met_at is not None
    [offer] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "support_offer")).all()
    assert offer.recipient == "victim.one@example.org" and offer.subject == "You have an update"
    assert report.crime_number not in offer.body_text
    assert send_due_offers(now + timedelta(minutes=120)) == 0
    assert _offer_events(report.id) == 1


def test_no_offer_once_the_victim_has_chosen_support_or_been_referred(app, world):
    """A referral already meets the promise, so no offer follows."""
    referrals.refer_with_consent(world["victim"], world["report"], world["service"], "contact", ALL)
    assert send_due_offers(utcnow() + timedelta(hours=2)) == 0


def test_information_reports_are_not_offered_support(app, world):
    """Lost property is recorded as information, not a crime: no promise, no offer."""
    number = make_report(app, world["victim"], category="lost_property")
    report = db.session.scalar(select(Report).where(Report.crime_number == number))
    assert report.is_information_report and support_deadline(report) is None
    assert send_due_offers(utcnow() + timedelta(hours=2)) == 1  # only the world's own case
    assert _offer_events(report.id) == 0


def test_no_email_offer_when_email_is_not_a_safe_channel(app, world):
    """The offer is on the case page only when the victim said email is not safe."""
    victims_code.meet(world["report"], DeadlineKind.SUPPORT_REFERRAL)  # only the new case is due
    db.session.commit()
    number = make_report(app, world["victim"], safe_channels=["phone"], contact_phone="07700 900123")
    report = db.session.scalar(select(Report).where(Report.crime_number == number))
    assert send_due_offers(utcnow() + timedelta(hours=2)) == 1
    assert _offer_events(report.id) == 1
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.template == "support_offer")) == 0


def test_the_level_must_fit_the_service(world):
    """Peer support only through a group; a group only for peer support; a service only at the levels it offers."""
    victim = world["victim"]
    assert refused(referrals.refer_with_consent, victim, world["report"], world["service"], "peer", ALL).field \
        == "level"
    assert refused(referrals.refer_with_consent, victim, world["report"], world["group"], "contact", ALL).field \
        == "level"
    world["service"].levels = ["contact"]
    db.session.commit()
    assert refused(referrals.refer_with_consent, victim, world["report"], world["service"], "specialist",
                   ALL).message == "This service does not offer that kind of support"
    assert count(Referral) == 0


def test_consent_to_a_suggestion_is_refused_once_the_group_is_full(app, world, make_user):
    """Consent given later (online or verbally) checks again that the group still has room."""
    suggestion = referrals.propose_referral(world["officer"], world["report"], world["group"], "peer")
    other_case = make_report(app, world["other_victim"])
    other_report = db.session.scalar(select(Report).where(Report.crime_number == other_case))
    referrals.refer_with_consent(world["other_victim"], other_report, world["group"], "peer", ALL)
    taken = db.session.scalar(select(Referral).where(Referral.report_id == other_report.id))
    referrals.accept(world["partner"], taken, taken.version)
    assert refused(referrals.consent_to_proposal, world["victim"], suggestion, ALL).message.startswith(
        "This group is full")
    assert refused(referrals.record_verbal_consent, world["officer"], suggestion, "the victim",
                   utcnow() - timedelta(hours=1), ALL).message.startswith("This group is full")
    assert db.session.get(Referral, suggestion.id).status == ReferralStatus.PROPOSED


def test_an_officer_recording_verbal_consent_in_one_step_writes_one_victim_event(world):
    """The victim reads one line, that the referral was sent, not a suggestion to answer."""
    referrals.propose_and_record_consent(world["officer"], world["report"], world["service"], "contact",
                                         "the victim", utcnow() - timedelta(minutes=5), ALL)
    titles = [e.shown_title for e in db.session.scalars(select(TimelineEvent).where(
        TimelineEvent.report_id == world["report"].id, TimelineEvent.kind == "support"))]
    assert titles == ["Your referral to Camden Victim Support was sent"]


def test_an_information_only_decision_drops_the_support_promise(app, world):
    """Not a crime: no referral is owed, so the promise is neither late on the victim's page nor offered later."""
    from portal.triage.services import record_information_only

    report = world["report"]
    record_information_only(world["officer"], report, report.version)
    assert support_deadline(report) is None
    assert send_due_offers(now=utcnow() + timedelta(days=3)) == 0
