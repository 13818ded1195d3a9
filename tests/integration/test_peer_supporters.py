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
from portal.support.models import Referral
from portal.surveys.models import CheckIn
from tests.conftest import sign_in_as
from tests.integration.test_partner_portal import charity, referral_to
from tests.pagecheck import assert_good_page, h1_text
from tests.support_helpers import make_organisation, make_service

SECRET_DESCRIPTION = "Someone cut the lock and took my blue bike."
OFFER = {"categories": ["bicycle_theft"], "languages": ["en", "pl"], "availability": ["weekday_evenings", "weekends"],
         "delivery": "both", "first_name": "Jo", "shared_contact": ""}


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
    assert "Jo" in listing.get_data(as_text=True)
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
    mine = world["client"].get(base(world)).get_data(as_text=True)
    assert "They accepted you as a peer supporter." in mine
    supporters = world["first_client"].get("/partner/peer-supporters")
    assert_good_page(supporters)
    assert "Jo" in supporters.get_data(as_text=True)
    assert world["first_client"].post(f"/partner/peer-offers/{ident}/status", data={"status": "paused"}).status_code \
        == 302
    assert "It is paused for now." in world["client"].get(base(world)).get_data(as_text=True)
