"""Issue 23: the support network. A victim shares how their case is going with the organisation their referral
went to (its victim-visible updates and hearing dates), and stops at any time: the organisation loses it at once,
every read is audited and listed under who viewed the case. The victim and the support worker write to each other on
the referral, with neutral notifications by the victim's safe channels, and the partner's inbox counts what is
unread."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report
from portal.cases.timeline import add_timeline_event
from portal.clock import utcnow
from portal.extensions import db
from portal.messages.models import ReferralMessage
from portal.notifications.models import OutboxMessage
from portal.support.models import Consent, Referral
from tests.conftest import sign_in_as
from tests.integration.test_partner_portal import charity, referral_to
from tests.pagecheck import assert_good_page, h1_text

UPDATE = "We have spoken to a neighbour who saw the van."
INTERNAL = "Officer's note: check the van's plates with the DVLA."
OWN_WORDS = "I remembered the van was white."
HEARING_PLACE = "Wood Green Crown Court"
QUESTION = "Could we talk on Tuesday evening?"
REPLY = "Yes, I will call you on Tuesday at 7pm."


@pytest.fixture
def network(app, make_user):
    """A victim referred to a charity with consent to share how the case is going, a support worker at the charity,
    and a case with a victim update, an internal note, the victim's own words and a hearing to come."""
    setup = charity(app)
    reference = referral_to(app, make_user, setup, scopes=("category_and_dates", "contact_details", "progress"),
                            safe_channels=["email"])
    with app.app_context():
        referral = db.session.scalar(select(Referral).where(Referral.reference == reference))
        report = db.session.get(Report, referral.report_id)
        add_timeline_event(report.id, "update", "An update on your case", UPDATE, victim=True)
        add_timeline_event(report.id, "note", "Working note", INTERNAL)
        add_timeline_event(report.id, "information_added", "You added information", OWN_WORDS, victim=True)
        when = (utcnow() + timedelta(days=30)).replace(microsecond=0)
        add_timeline_event(report.id, "update", "A court hearing is set", "At the crown court.", victim=True,
                           reason_code="court_hearing_scheduled",
                           values={"when": {"datetime": when.isoformat()}, "place": HEARING_PLACE})
        db.session.commit()
        victim = db.session.get(User, report.reporter_user_id)
        db.session.expunge(victim)
        ids = {"crime_number": report.crime_number, "consent": referral.consent_id, "referral": referral.id}
    victim_client, partner_client = app.test_client(), app.test_client()
    sign_in_as(victim_client, victim)
    partner = make_user(Role.PARTNER, organisation_id=setup.organisation_id)
    sign_in_as(partner_client, partner)
    return {"reference": reference, "victim": victim_client, "partner": partner_client, "partner_user": partner,
            "setup": setup, "victim_id": victim.id, **ids}


def progress_url(world) -> str:
    return f"/partner/referrals/{world['reference']}/progress"


def victim_thread(world) -> str:
    return f"/cases/{world['crime_number']}/support/{world['reference']}/messages"


def partner_thread(world) -> str:
    return f"/partner/referrals/{world['reference']}/messages"


def audited(app, action: str, reference: str) -> int:
    with app.app_context():
        return len(list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action,
                                                                    AuditEvent.object_id == reference))))


def test_progress_consent_given_seen_withdrawn_gone(app, network):
    partner, victim = network["partner"], network["victim"]
    referral_page = partner.get(f"/partner/referrals/{network['reference']}").get_data(as_text=True)
    assert progress_url(network) in referral_page

    # Seen: the victim's updates and the hearing, never the internal note nor the victim's own words.
    page = partner.get(progress_url(network))
    assert page.status_code == 200
    assert_good_page(page)
    html = page.get_data(as_text=True)
    assert UPDATE in html and HEARING_PLACE in html
    assert INTERNAL not in html and OWN_WORDS not in html
    assert audited(app, "referral.progress_viewed", network["reference"]) == 1

    # Listed for the victim under who viewed their case, by the organisation's name.
    viewings = victim.get("/account/data/views").get_data(as_text=True)
    assert "How your case is going, which you agreed to share with them" in viewings
    assert "Camden Victim Support" in viewings

    # Withdrawn: the victim stops sharing it, and the referral stays open.
    consents = victim.get(f"/support/{network['crime_number']}/consents")
    assert_good_page(consents)
    assert "Stop sharing how my case is going" in consents.get_data(as_text=True)
    stopped = victim.post(f"/support/{network['crime_number']}/consents/{network['consent']}/progress",
                          data={"share": "no"})
    assert stopped.status_code == 302
    assert "can no longer see how your case is going" in victim.get(stopped.headers["Location"]).get_data(as_text=True)

    # Gone: the same 'not found' as for a referral that does not exist; the referral itself is still theirs.
    gone = partner.get(progress_url(network))
    made_up = partner.get("/partner/referrals/RF-ZZZZZZZZ/progress")
    assert gone.status_code == made_up.status_code == 404
    assert h1_text(gone) == h1_text(made_up)
    referral_page = partner.get(f"/partner/referrals/{network['reference']}")
    assert referral_page.status_code == 200 and progress_url(network) not in referral_page.get_data(as_text=True)
    with app.app_context():
        assert "progress" not in db.session.get(Consent, network["consent"]).scopes
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "consent.progress_withdrawn"))

    # Given again, then the whole consent withdrawn: gone again.
    victim.post(f"/support/{network['crime_number']}/consents/{network['consent']}/progress", data={"share": "yes"})
    assert partner.get(progress_url(network)).status_code == 200
    victim.post(f"/support/{network['crime_number']}/consents/{network['consent']}/withdraw")
    assert partner.get(progress_url(network)).status_code == 404


def test_without_the_progress_scope_a_partner_gets_not_found(app, make_user, client):
    setup = charity(app)
    reference = referral_to(app, make_user, setup, scopes=("category_and_dates", "contact_details"))
    sign_in_as(client, make_user(Role.PARTNER, organisation_id=setup.organisation_id))
    assert client.get(f"/partner/referrals/{reference}").status_code == 200
    hidden, made_up = client.get(f"/partner/referrals/{reference}/progress"), client.get(
        "/partner/referrals/RF-ZZZZZZZZ/progress")
    assert hidden.status_code == made_up.status_code == 404 and h1_text(hidden) == h1_text(made_up)
    # The referral page says it was not shared.
    assert "How the case is going" in client.get(f"/partner/referrals/{reference}").get_data(as_text=True)


def test_the_victim_can_share_progress_when_agreeing_to_a_referral(app, make_user, client):
    setup = charity(app)
    victim = make_user(Role.VICTIM)
    from tests.triage_helpers import make_report
    crime_number = make_report(app, victim)
    sign_in_as(client, victim)
    page = client.get(f"/support/{crime_number}/refer/{setup.service_id}")
    assert 'value="progress"' in page.get_data(as_text=True)


def test_victim_and_support_worker_exchange_messages(app, network):
    victim, partner = network["victim"], network["partner"]
    support_page = victim.get(f"/cases/{network['crime_number']}/support").get_data(as_text=True)
    assert victim_thread(network) in support_page

    page = victim.get(victim_thread(network))
    assert page.status_code == 200
    assert_good_page(page)
    sent = victim.post(victim_thread(network), data={"body": QUESTION})
    assert sent.status_code == 302 and sent.headers["Location"] == victim_thread(network)

    # The organisation is told by a neutral email, without the text; its inbox counts the unread message.
    with app.app_context():
        to_charity = list(db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.template == "partner_new_message")))
        assert len(to_charity) == 1 and QUESTION not in to_charity[0].body_text
    inbox = partner.get("/partner/referrals?view=new")
    assert_good_page(inbox)
    assert "1 new message" in inbox.get_data(as_text=True)

    thread = partner.get(partner_thread(network))
    assert thread.status_code == 200
    assert_good_page(thread)
    assert QUESTION in thread.get_data(as_text=True)
    assert "1 new message" not in partner.get("/partner/referrals?view=new").get_data(as_text=True)
    assert audited(app, "referral.messages_viewed", network["reference"]) == 1

    # The reply reaches the victim by their safe channel, in neutral words, never the text.
    replied = partner.post(partner_thread(network), data={"body": REPLY})
    assert replied.status_code == 302
    with app.app_context():
        victim_email = db.session.get(User, network["victim_id"]).email
        to_victim = list(db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.template == "new_message", OutboxMessage.recipient == victim_email)))
        assert len(to_victim) == 1
        assert REPLY not in to_victim[0].body_text and network["crime_number"] not in to_victim[0].body_text
        assert "Camden" not in to_victim[0].subject + to_victim[0].body_text
    assert "1 new message" in victim.get(f"/cases/{network['crime_number']}/support").get_data(as_text=True)
    assert REPLY in victim.get(victim_thread(network)).get_data(as_text=True)
    with app.app_context():
        assert all(m.read_at is not None for m in db.session.scalars(select(ReferralMessage)))
    assert "Your messages with them" in victim.get("/account/data/views").get_data(as_text=True)


def test_messages_stop_with_consent_and_stay_within_the_organisation(app, network, make_user, client):
    # Another charity's support worker cannot read the thread: the same 'not found' as a made-up referral.
    other = charity(app, "Another Charity", "Other service")
    sign_in_as(client, make_user(Role.PARTNER, organisation_id=other.organisation_id))
    assert client.get(partner_thread(network)).status_code == 404
    assert client.post(partner_thread(network), data={"body": "Hello"}).status_code == 404
    # Another victim cannot open this victim's thread.
    stranger = app.test_client()
    sign_in_as(stranger, make_user(Role.VICTIM))
    assert stranger.get(victim_thread(network)).status_code == 404

    network["victim"].post(victim_thread(network), data={"body": QUESTION})
    network["victim"].post(f"/support/{network['crime_number']}/consents/{network['consent']}/withdraw")
    assert network["partner"].get(partner_thread(network)).status_code == 404
    # The victim keeps what was written but cannot write on an ended referral.
    page = network["victim"].get(victim_thread(network)).get_data(as_text=True)
    assert QUESTION in page and "This referral has ended" in page
    network["victim"].post(victim_thread(network), data={"body": "Another one"})
    with app.app_context():
        assert db.session.scalar(select(ReferralMessage.id).where(ReferralMessage.body == "Another one")) is None


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_the_victims_pages_are_translated(app, network, language):
    victim = network["victim"]
    victim.set_cookie("language", language)
    for url in (victim_thread(network), f"/support/{network['crime_number']}/consents"):
        html = victim.get(url).get_data(as_text=True)
        assert "Stop sharing how my case is going" not in html and "Send message" not in html
