"""Issue 24: becoming a peer supporter, and the organisation that runs it. After their 12-week check-in, a victim
whose support has finished offers to help others; with their consent the offer goes to the accredited organisations
that run peer support in their area, which record their own checks (dates), accept or decline with a reason and keep
each peer supporter's status. Withdrawing takes the offer from every organisation at once. Organisations see only
their own people, and only what the person chose to share."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report
from portal.clock import utcnow
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.peers import queries
from portal.peers.enums import Decision, SupporterStatus
from portal.peers.models import PeerOffer, PeerSupporter
from portal.support.enums import Delivery, ReferralStatus, ServiceKind
from portal.support.models import Organisation, Referral
from portal.surveys.models import CheckIn
from tests.conftest import examples, sign_in_as
from tests.factories import DEFAULT_PASSWORD
from tests.integration.test_partner_portal import charity, referral_to
from tests.integration.test_partner_services import VALID, service_named
from tests.pagecheck import assert_good_page, h1_text
from tests.support_helpers import make_organisation, make_service

SECRET_DESCRIPTION = "Someone cut the lock and took my blue bike."
OFFER = {"categories": ["bicycle_theft"], "languages": ["en", "pl"], "availability": ["weekday_evenings", "weekends"],
         "delivery": "both", "first_name": "Marisol", "shared_contact": ""}


def peer_organisation(name: str, *, boroughs=("Camden",), delivery=Delivery.IN_PERSON, accredited: bool = True,
                      kind=ServiceKind.PEER_ONE_TO_ONE) -> int:
    organisation = make_organisation(name, accredited=accredited, email=None)
    make_service(organisation, f"{name} peer support", kind=kind, boroughs=list(boroughs), delivery=delivery,
                 schedule_freq=None, schedule_byday=None, opens_at=None, closes_at=None)
    return organisation.id


def recovered(app, make_user, *, answered: bool = True, status=ReferralStatus.CLOSED) -> dict:
    """A victim in Camden whose referral is finished (or not) and whose 12-week check-in is answered (or not)."""
    setup = charity(app, "Camden Victim Support")
    reference = referral_to(app, make_user, setup)
    with app.app_context():
        referral = db.session.scalar(select(Referral).where(Referral.reference == reference))
        referral.status = status
        now = utcnow()
        db.session.add(CheckIn(referral_id=referral.id, report_id=referral.report_id,
                               organisation_id=referral.organisation_id, support_level="contact", weeks=12,
                               due_at=now - timedelta(days=1), invited_at=now - timedelta(days=1),
                               answered_at=now if answered else None, coping=4))
        report = db.session.get(Report, referral.report_id)
        db.session.commit()
        victim = db.session.get(User, report.reporter_user_id)
        db.session.expunge(victim)
        return {"victim": victim, "crime_number": report.crime_number, "report_id": report.id}


@pytest.fixture
def world(app, make_user):
    """Two accredited organisations running peer support in Camden, one elsewhere, one not accredited; a recovered
    victim; a partner at each Camden organisation."""
    with app.app_context():
        first = peer_organisation("Camden Peer Network")
        second = peer_organisation("London Online Peers", boroughs=("Hackney",), delivery=Delivery.ONLINE,
                                   kind=ServiceKind.PEER_GROUP)
        peer_organisation("Hackney Peers", boroughs=("Hackney",))
        peer_organisation("Unaccredited Peers", accredited=False)
    person = recovered(app, make_user)
    victim_client, first_client, second_client = app.test_client(), app.test_client(), app.test_client()
    sign_in_as(victim_client, person["victim"])
    sign_in_as(first_client, make_user(Role.PARTNER, organisation_id=first))
    sign_in_as(second_client, make_user(Role.PARTNER, organisation_id=second))
    return {**person, "client": victim_client, "first": first, "second": second, "first_client": first_client,
            "second_client": second_client}


def base(world) -> str:
    return f"/cases/{world['crime_number']}/peer-support"


def offer_and_agree(world, **changes) -> None:
    response = world["client"].post(base(world) + "/offer", data={**OFFER, **changes})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/peer-support/share")
    response = world["client"].post(base(world) + "/share", data={"agree": "yes"})
    assert response.status_code == 302


def supporter_id(app, organisation_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(PeerSupporter.id).where(PeerSupporter.organisation_id == organisation_id))


def test_the_offer_consent_and_acceptance_end_to_end(app, world):
    start = world["client"].get(base(world))
    assert_good_page(start)
    assert "Offer to help others" in start.get_data(as_text=True)
    form = world["client"].get(base(world) + "/offer")
    assert_good_page(form)
    response = world["client"].post(base(world) + "/offer", data=OFFER)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(PeerOffer.id)) is None  # nothing stored before consent
    consent = world["client"].get(base(world) + "/share")
    assert_good_page(consent)
    page = consent.get_data(as_text=True)
    # The accredited organisations running peer support in Camden, or online; not the others.
    assert "Camden Peer Network" in page and "London Online Peers" in page
    assert "Hackney Peers" not in page and "Unaccredited Peers" not in page
    world["client"].post(base(world) + "/share", data={"agree": "yes"})
    mine = world["client"].get(base(world))
    assert_good_page(mine)
    assert mine.get_data(as_text=True).count("They have not decided yet.") == 2

    # The organisation sees the first name and what the person chose, never the case.
    listing = world["first_client"].get("/partner/peer-offers")
    assert_good_page(listing)
    assert "Marisol" in listing.get_data(as_text=True)
    ident = supporter_id(app, world["first"])
    shown = world["first_client"].get(f"/partner/peer-offers/{ident}")
    assert_good_page(shown)
    text = shown.get_data(as_text=True)
    assert "Bicycle theft" in text and "Polish" in text and "Weekends" in text
    for secret in (world["crime_number"], SECRET_DESCRIPTION, "Sam Victim", "07700 900123", world["victim"].email):
        assert secret not in text
    today = utcnow().date()
    response = world["first_client"].post(f"/partner/peer-offers/{ident}/checks", data={
        "training_completed_on-day": today.day, "training_completed_on-month": today.month,
        "training_completed_on-year": today.year, "safeguarding_checked_on-day": "1",
        "safeguarding_checked_on-month": "3", "safeguarding_checked_on-year": "2026"})
    assert response.status_code == 302
    with app.app_context():
        before = db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1))
    assert world["first_client"].post(f"/partner/peer-offers/{ident}/accept").status_code == 302
    with app.app_context():
        supporter = db.session.get(PeerSupporter, ident)
        assert (supporter.decision, supporter.status) == (Decision.ACCEPTED, SupporterStatus.ACTIVE)
        assert supporter.training_completed_on == today and supporter.references_received_on is None
        message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.id > (before or 0)))
        assert message is not None and message.recipient == world["victim"].email
        assert message.template == "case_update"
        body = message.subject + message.body_text
        assert "peer" not in body.lower() and "Camden Peer Network" not in body
        assert [s.organisation_id for s in queries.active_supporters()] == [world["first"]]
    assert_good_page(world["first_client"].get(f"/partner/peer-offers/{ident}"))  # with the status form
    mine = world["client"].get(base(world)).get_data(as_text=True)
    assert "They accepted you as a peer supporter." in mine
    supporters = world["first_client"].get("/partner/peer-supporters")
    assert_good_page(supporters)
    assert "Marisol" in supporters.get_data(as_text=True)
    assert world["first_client"].post(f"/partner/peer-offers/{ident}/status", data={"status": "paused"}).status_code \
        == 302
    assert "It is paused for now." in world["client"].get(base(world)).get_data(as_text=True)


def test_withdrawal_removes_the_offer_from_every_organisation_at_once(app, world):
    offer_and_agree(world)
    first, second = supporter_id(app, world["first"]), supporter_id(app, world["second"])
    assert world["first_client"].post(f"/partner/peer-offers/{first}/accept").status_code == 302
    assert world["second_client"].get(f"/partner/peer-offers/{second}").status_code == 200
    confirm = world["client"].get(base(world) + "/withdraw")
    assert_good_page(confirm)
    assert world["client"].post(base(world) + "/withdraw").status_code == 302
    for client, ident in ((world["first_client"], first), (world["second_client"], second)):
        assert client.get(f"/partner/peer-offers/{ident}").status_code == 404
        assert client.post(f"/partner/peer-offers/{ident}/accept").status_code == 404
        for listing in ("/partner/peer-offers?view=new", "/partner/peer-offers?view=accepted",
                        "/partner/peer-supporters"):
            assert "Marisol" not in client.get(listing).get_data(as_text=True)
    with app.app_context():
        offer = db.session.scalar(select(PeerOffer))
        assert offer.withdrawn_at is not None
        ended = {s.organisation_id: (s.status, s.ended_at is not None) for s in offer.supporters}
        assert ended == {world["first"]: (SupporterStatus.LEFT, True), world["second"]: (None, True)}
        assert queries.active_supporters() == []
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "peer_offer.withdrawn"))
    page = world["client"].get(base(world)).get_data(as_text=True)
    assert "Offer to help others" in page  # they may offer again


def test_each_organisation_is_told_of_a_new_offer_and_of_its_withdrawal_in_neutral_words(app, world):
    """An offer reaches the organisations that hold it: an email to each that gave an address, saying only that
    there is something to review (then that it was withdrawn), with a link to sign in."""
    addresses = {world["first"]: "coordinator@camden-peers.example.org",
                 world["second"]: "team@online-peers.example.org"}
    with app.app_context():
        for organisation_id, email in addresses.items():
            db.session.get(Organisation, organisation_id).email = email
        db.session.commit()

    def sent() -> list[tuple[str, str, str]]:
        with app.app_context():
            return [(m.recipient, m.template, m.subject + m.body_text)
                    for m in db.session.scalars(select(OutboxMessage).where(
                        OutboxMessage.recipient.in_(list(addresses.values()))).order_by(OutboxMessage.id))]

    offer_and_agree(world)
    made = sent()
    assert sorted((recipient, template) for recipient, template, _body in made) == sorted(
        (email, "partner_referral") for email in addresses.values())
    world["client"].post(base(world) + "/withdraw")
    withdrawn = sent()[len(made):]
    assert sorted((recipient, template) for recipient, template, _body in withdrawn) == sorted(
        (email, "partner_referral_withdrawn") for email in addresses.values())
    for _recipient, _template, body in made + withdrawn:
        assert "/login" in body
        for detail in ("Marisol", "peer", "Peer", world["crime_number"], "Bicycle", "Camden"):
            assert detail not in body, detail


def test_saying_no_shares_and_keeps_nothing(app, world):
    world["client"].post(base(world) + "/offer", data=OFFER)
    assert world["client"].post(base(world) + "/share", data={"agree": "no"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(PeerOffer.id)) is None
        assert db.session.scalar(select(PeerSupporter.id)) is None
    # Without an answer, the consent page says what is missing and keeps the answers.
    world["client"].post(base(world) + "/offer", data=OFFER)
    response = world["client"].post(base(world) + "/share", data={})
    assert response.status_code == 200
    assert "Select whether you agree to share your offer" in response.get_data(as_text=True)
    assert "Marisol" in response.get_data(as_text=True)


@pytest.mark.parametrize("situation", ["not_answered", "referral_open"])
def test_only_after_the_12_week_check_in_and_finished_support(app, make_user, situation):
    with app.app_context():
        peer_organisation("Camden Peer Network")
    person = recovered(app, make_user, answered=situation != "not_answered",
                       status=ReferralStatus.CONTACTED if situation == "referral_open" else ReferralStatus.CLOSED)
    client = app.test_client()
    sign_in_as(client, person["victim"])
    url = f"/cases/{person['crime_number']}/peer-support"
    page = client.get(url)
    assert_good_page(page)
    assert "Offer to help others" not in page.get_data(as_text=True)
    assert client.post(url + "/offer", data=OFFER).status_code == 302
    assert client.post(url + "/share", data={"agree": "yes"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(PeerOffer.id)) is None


def test_another_organisation_and_another_victim_get_not_found(app, world, make_user):
    offer_and_agree(world)
    with app.app_context():
        elsewhere = peer_organisation("Hackney Only Peers", boroughs=("Hackney",))
    outsider = app.test_client()
    sign_in_as(outsider, make_user(Role.PARTNER, organisation_id=elsewhere))
    ident = supporter_id(app, world["first"])
    missing = outsider.get("/partner/peer-offers/999999")
    assert missing.status_code == 404
    for path in ("", "/decline"):
        assert outsider.get(f"/partner/peer-offers/{ident}{path}").status_code == 404
    for path in ("/accept", "/checks", "/status", "/decline"):
        assert outsider.post(f"/partner/peer-offers/{ident}{path}", data={"reason": "other"}).status_code == 404
    # The other organisation that got the offer cannot reach this organisation's record of it.
    assert world["second_client"].get(f"/partner/peer-offers/{ident}").status_code == 404
    other_victim = app.test_client()
    sign_in_as(other_victim, make_user(Role.VICTIM))
    assert other_victim.get(base(world)).status_code == 404
    assert other_victim.get(base(world) + "/withdraw").status_code == 404
    assert other_victim.post(base(world) + "/withdraw").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(PeerOffer.withdrawn_at)) is None


def test_decline_with_a_reason_and_checks_dates_not_in_the_future(app, world):
    offer_and_agree(world)
    ident = supporter_id(app, world["first"])
    client = world["first_client"]
    tomorrow = utcnow().date() + timedelta(days=2)
    response = client.post(f"/partner/peer-offers/{ident}/checks", data={
        "references_received_on-day": tomorrow.day, "references_received_on-month": tomorrow.month,
        "references_received_on-year": tomorrow.year})
    assert response.status_code == 200
    assert "must be today or in the past" in response.get_data(as_text=True)
    assert_good_page(response)
    response = client.post(f"/partner/peer-offers/{ident}/checks", data={"training_completed_on-day": "31",
                                                                         "training_completed_on-month": "2",
                                                                         "training_completed_on-year": "2026"})
    assert "must be a real date" in response.get_data(as_text=True)
    form = client.get(f"/partner/peer-offers/{ident}/decline")
    assert_good_page(form)
    response = client.post(f"/partner/peer-offers/{ident}/decline", data={"reason": "other", "note": ""})
    assert response.status_code == 200 and "Enter the reason" in response.get_data(as_text=True)
    response = client.post(f"/partner/peer-offers/{ident}/decline", data={"reason": "<script>"})
    assert response.status_code == 200 and "Select a reason" in response.get_data(as_text=True)
    assert client.post(f"/partner/peer-offers/{ident}/decline", data={"reason": "no_capacity"}).status_code == 302
    declined = client.get("/partner/peer-offers?view=declined")
    assert_good_page(declined)
    assert "Marisol" in declined.get_data(as_text=True)
    assert "They cannot take on more peer supporters at the moment." in \
        world["client"].get(base(world)).get_data(as_text=True)
    # A decided offer cannot be decided again, nor its status set.
    assert client.post(f"/partner/peer-offers/{ident}/accept").status_code == 200
    response = client.post(f"/partner/peer-offers/{ident}/status", data={"status": "active"})
    assert "Accept the offer before you change the status" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(PeerSupporter, ident).decision == Decision.DECLINED


def test_every_read_is_audited_and_the_person_sees_who_viewed_their_offer(app, world):
    offer_and_agree(world)
    ident = supporter_id(app, world["first"])
    world["first_client"].get(f"/partner/peer-offers/{ident}")
    world["first_client"].get(f"/partner/peer-offers/{ident}")
    with app.app_context():
        reads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "peer_offer.viewed")).all()
        assert [(r.object_type, r.object_id) for r in reads] == [("peer_supporter", str(ident))] * 2
    viewers = world["client"].get("/account/data/views")
    assert_good_page(viewers)
    text = viewers.get_data(as_text=True)
    assert "Camden Peer Network" in text and "Your offer to be a peer supporter" in text
    assert "London Online Peers" not in text


def test_no_organisation_in_the_area_means_nothing_is_shared(app, make_user):
    person = recovered(app, make_user)
    client = app.test_client()
    sign_in_as(client, person["victim"])
    url = f"/cases/{person['crime_number']}/peer-support"
    client.post(url + "/offer", data=OFFER)
    page = client.get(url + "/share")
    assert_good_page(page)
    assert "No organisation runs peer support in your area" in page.get_data(as_text=True)
    assert h1_text(page) == "Agree to share your offer"


@pytest.mark.parametrize("field,value,message", [
    ("first_name", "", "Enter the first name you want others to see"),
    ("first_name", "Jo 07700900123", "Enter a first name using letters only"),
    ("first_name", "jo@example.org", "Enter a first name using letters only"),
    ("first_name", "J" * 41, "The first name must be 40 characters or fewer"),
    ("categories", [], "Select what you went through"),
    ("categories", ["not_a_category"], "Select what you went through"),
    ("languages", ["xx"], "Select the languages you could help in"),
    ("availability", [], "Select when you could usually help"),
    ("delivery", "teleport", "Select whether you could help online, in person or either"),
    ("shared_contact", "x" * 201, "Contact details must be 200 characters or fewer"),
])
def test_bad_answers_are_explained_on_the_page(world, field, value, message):
    response = world["client"].post(base(world) + "/offer", data={**OFFER, field: value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert_good_page(response)


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=60), contact=st.text(max_size=220), categories=st.lists(st.text(max_size=20), max_size=3))
def test_hostile_offers_never_fail_the_page(world, name, contact, categories):
    response = world["client"].post(base(world) + "/offer", data={**OFFER, "first_name": name,
                                                                  "shared_contact": contact,
                                                                  "categories": categories})
    assert response.status_code in (200, 302)


def test_the_organisation_sees_contact_details_only_when_shared(app, world):
    offer_and_agree(world, shared_contact="jo.peer@example.org")
    page = world["first_client"].get(f"/partner/peer-offers/{supporter_id(app, world['first'])}")
    assert "jo.peer@example.org" in page.get_data(as_text=True)


def test_the_demo_has_an_accepted_peer_supporter_made_through_the_services(app, ctx):
    """`flask demo-data`: the demo victim offered after their 12-week check-in; the demo partner's organisation
    recorded its checks and accepted them; another organisation has not decided. Once only."""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo-data"])
    assert first.exit_code == 0, first.output
    assert "Demo peer supporter: victim@example.org offered to help others" in first.output
    second = runner.invoke(args=["demo-data"])
    assert "Demo peer supporter: already there" in second.output
    partner = db.session.scalar(select(User).where(User.email == "partner@example.org"))
    victim = db.session.scalar(select(User).where(User.email == "victim@example.org"))
    # The demo victim's own offer (the one-to-one demo adds a second peer supporter, Jo, with another account).
    [supporter] = [s for s in queries.active_supporters() if s.offer.user_id == victim.id]
    assert supporter.organisation_id == partner.organisation_id
    assert supporter.safeguarding_checked_on is not None
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "peer_offer.made"))
    decisions = {s.decision for s in supporter.offer.supporters}
    assert decisions == {Decision.ACCEPTED, Decision.NEW}


def test_closing_the_account_takes_the_offer_from_every_organisation(app, world):
    with app.app_context():
        db.session.get(Organisation, world["first"]).email = "coordinator@camden-peers.example.org"
        db.session.commit()
    offer_and_agree(world)
    first, second = supporter_id(app, world["first"]), supporter_id(app, world["second"])
    assert world["first_client"].post(f"/partner/peer-offers/{first}/accept").status_code == 302
    response = world["client"].post("/account/data/close", data={"understand": "y", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    for client, ident in ((world["first_client"], first), (world["second_client"], second)):
        assert client.get(f"/partner/peer-offers/{ident}").status_code == 404
    assert 'id="no-supporters"' in world["first_client"].get("/partner/peer-supporters").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(PeerOffer.id)) is None
        assert db.session.scalar(select(PeerSupporter.id)) is None
        assert queries.active_supporters() == []
        # The organisation that gave an address is told it was withdrawn, in the same neutral words.
        told = db.session.scalars(select(OutboxMessage.template).where(
            OutboxMessage.recipient == "coordinator@camden-peers.example.org").order_by(OutboxMessage.id)).all()
        assert told == ["partner_referral", "partner_referral_withdrawn"]


def test_a_partner_describes_one_to_one_peer_support_and_it_receives_offers(app, client, signed_in, make_user):
    """The services form offers 'one-to-one peer support' (peer support as its level, no facilitator check needed);
    such a service is what makes an organisation receive offers in its boroughs, and it edits without error."""
    setup = charity(app, "Islington Peers")
    signed_in(Role.PARTNER, organisation_id=setup.organisation_id)
    data = {**VALID, "name": "Peer buddies", "kind": "peer_one_to_one", "levels": [], "boroughs": ["Camden"]}
    response = client.post("/partner/services/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    service = service_named(app, "Peer buddies")
    assert (service.kind, service.levels) == (ServiceKind.PEER_ONE_TO_ONE, ["peer"])
    edit = client.get(f"/partner/services/{service.id}/edit")
    assert_good_page(edit)
    assert client.post(f"/partner/services/{service.id}/edit", data=data).status_code == 302
    with app.app_context():
        assert [o.name for o in queries.receiving_organisations("Camden", utcnow().date())] == ["Islington Peers"]
        assert queries.receiving_organisations("Hackney", utcnow().date()) == []
