"""Issue 24: matching a person with a peer supporter. A victim who chose peer support asks for one-to-one support
and is referred with consent; the organisation proposes one of its accepted, active peer supporters who suits them
(a shared crime category and language); the person agrees with a first name of their choosing and they write to
each other under the organisation's supervision. Contact details stay hidden until both choose to share; the
organisation's pause stops messages both ways; either side can end it or report a concern, which becomes the
organisation's safeguarding task. The peer supporter never sees the person's case."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.roles import Role
from portal.cases.models import TimelineEvent
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.peers.enums import SupporterStatus
from portal.peers.match_enums import MatchStatus, Side
from portal.peers.match_models import PeerConcern, PeerMatch, PeerMessage
from portal.support.models import Referral
from tests.conftest import examples, kept_for_the_module, new_user, sign_in_as
from tests.pagecheck import assert_good_page
from tests.peer_match_helpers import (
    PERSON_CONTACT,
    SUPPORTER_CONTACT,
    partner_url,
    peer_supporter,
    person_url,
    propose_and_agree,
    signed_in,
    supporter_client,
    text_of,
    two_peer_organisations,
    victim_asking_for_one_to_one,
)

DESCRIPTION = "My bike was taken."  # what the person reported: never shown to the peer supporter


@pytest.fixture(scope="module")
def built(app):
    """The world below, built once for the module: each test starts from it in a savepoint of the transaction it was
    built in (conftest's kept_for_the_module)."""
    with kept_for_the_module(app):
        organisation_id, service_id, other_id = two_peer_organisations(app)
        jo = peer_supporter(app, organisation_id, "Jo", languages=("en", "pl"),
                            availability=("weekday_evenings", "weekends"))
        unsuitable = [peer_supporter(app, organisation_id, "Max", categories=("burglary",)),
                      peer_supporter(app, organisation_id, "Ola", languages=("ar",)),
                      peer_supporter(app, organisation_id, "Kim", status=SupporterStatus.PAUSED),
                      peer_supporter(app, other_id, "Lee")]
        person = victim_asking_for_one_to_one(app, service_id)
        del person["client"]
        yield {"organisation": organisation_id, "other": other_id, "jo": jo, "unsuitable": unsuitable,
               "person": person, "partner": new_user(app, Role.PARTNER, organisation_id=organisation_id),
               "other_partner": new_user(app, Role.PARTNER, organisation_id=other_id)}


@pytest.fixture
def world(app, built):
    """An organisation running one-to-one peer support, with one suitable peer supporter and several who are not;
    another organisation with its own; a victim referred for one-to-one support; each person signed in with a
    client of this test's own."""
    return signed_in(app, built)


def test_matching_end_to_end(app, world):
    """From asking for one-to-one support to a conversation: the suitable peer supporter only, the proposal as the
    person reads it, agreeing with a chosen first name, and messages both ways, each side told neutrally."""
    person, partner, jo_client = world["person"], world["partner"], world["jo_client"]
    waiting = person["client"].get(person_url(person))
    assert_good_page(waiting)
    assert "is finding a peer supporter for you" in text_of(waiting)

    listing = partner.get(partner_url(person))
    assert_good_page(listing)
    page = text_of(listing)
    assert "Jo" in page and "Weekday evenings, Weekends" in page and "English, Polish" in page
    assert [s["first_name"] for s in world["unsuitable"] if f">{s['first_name']}<" in listing.get_data(as_text=True)] \
        == []

    assert partner.post(partner_url(person), data={"supporter": str(world["jo"]["id"])}).status_code == 302
    proposal = person["client"].get(person_url(person))
    assert_good_page(proposal)
    shown = text_of(proposal)
    assert "Jo" in shown and "Weekday evenings, Weekends" in shown and "English, Polish" in shown
    assert "jo@example.org" not in shown and "supporter-offer-marker" not in shown
    # The peer supporter hears nothing, and sees no conversation, until the person agrees.
    assert world["jo"]["first_name"] and "Sam" not in text_of(jo_client.get("/peer-conversations"))

    agreed = person["client"].post(person_url(person, "/answer"), data={"agree": "yes", "first_name": "Sam"})
    assert agreed.status_code == 302
    with app.app_context():
        match = db.session.scalar(select(PeerMatch))
        assert (match.status, match.person_first_name) == (MatchStatus.AGREED, "Sam")
        match_id = match.id
    listing = jo_client.get("/peer-conversations")
    assert_good_page(listing)
    assert "Sam" in text_of(listing)
    own_support = jo_client.get(f"/cases/{world['jo']['crime_number']}/support").get_data(as_text=True)
    assert 'id="peer-conversations-link"' in own_support
    support_page = person["client"].get(f"/cases/{person['crime_number']}/support").get_data(as_text=True)
    assert person_url(person) in support_page
    assert partner_url(person) in partner.get(f"/partner/referrals/{person['reference']}").get_data(as_text=True)

    assert person["client"].post(person_url(person), data={"body": "Hello Jo, evenings suit me."}).status_code == 302
    with app.app_context():
        before = db.session.scalar(select(db.func.count(OutboxMessage.id)))
    conversation = jo_client.get(f"/peer-conversations/{match_id}")
    assert_good_page(conversation)
    assert "Hello Jo, evenings suit me." in text_of(conversation)
    assert jo_client.post(f"/peer-conversations/{match_id}", data={"body": "Hi Sam, happy to talk."}).status_code \
        == 302
    seen = person["client"].get(person_url(person))
    assert_good_page(seen)
    assert "Hi Sam, happy to talk." in text_of(seen)
    with app.app_context():
        told = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()[before:]
        assert told, "the person was not told about the reply"
        assert all("happy to talk" not in (m.body_text or "") and "Jo" not in (m.subject or "") for m in told)
        events = db.session.scalars(select(TimelineEvent.title).where(TimelineEvent.kind == "peer_match")).all()
        assert "You agreed to talk with %(name)s" in events
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"peer_match.proposed", "peer_match.agreed", "peer_match.message_sent"} <= actions


def test_the_peer_supporter_never_sees_the_case(app, world):
    """The conversation shows the person only by the first name they chose: no crime number, no name, no account
    of what happened; the case pages themselves are 'not found' for the peer supporter."""
    person, jo_client = world["person"], world["jo_client"]
    match_id = propose_and_agree(app, person, world["partner"], world["jo"], "Sam")
    person["client"].post(person_url(person), data={"body": "Thank you for this."})
    html = jo_client.get(f"/peer-conversations/{match_id}").get_data(as_text=True)
    assert "Thank you for this." in html
    for secret in (person["crime_number"], person["reference"], DESCRIPTION, "Sam Victim", "sam@example.org"):
        assert secret not in html
    for path in (f"/cases/{person['crime_number']}", person_url(person), f"/support/{person['crime_number']}/services"):
        assert jo_client.get(path).status_code == 404, path


def test_contact_details_never_appear_until_both_choose(app, world):
    person, jo_client = world["person"], world["jo_client"]
    match_id = propose_and_agree(app, person, world["partner"], world["jo"])
    jo_page = f"/peer-conversations/{match_id}"
    assert person["client"].post(person_url(person, "/share"), data={"contact": PERSON_CONTACT}).status_code == 302
    assert PERSON_CONTACT not in jo_client.get(jo_page).get_data(as_text=True)
    assert PERSON_CONTACT in person["client"].get(person_url(person)).get_data(as_text=True)  # their own, shown
    assert PERSON_CONTACT not in world["partner"].get(partner_url(person, "/conversation")).get_data(as_text=True)

    assert jo_client.post(f"{jo_page}/share", data={"contact": SUPPORTER_CONTACT}).status_code == 302
    assert PERSON_CONTACT in jo_client.get(jo_page).get_data(as_text=True)
    assert SUPPORTER_CONTACT in person["client"].get(person_url(person)).get_data(as_text=True)

    # Either side taking theirs back hides both again.
    assert person["client"].post(person_url(person, "/stop-sharing")).status_code == 302
    assert PERSON_CONTACT not in jo_client.get(jo_page).get_data(as_text=True)
    assert SUPPORTER_CONTACT not in person["client"].get(person_url(person)).get_data(as_text=True)


def test_the_organisations_pause_stops_messages_both_ways(app, world):
    person, jo_client, partner = world["person"], world["jo_client"], world["partner"]
    match_id = propose_and_agree(app, person, partner, world["jo"])
    assert partner.post(partner_url(person, "/pause")).status_code == 302
    for page in (person["client"].get(person_url(person)), jo_client.get(f"/peer-conversations/{match_id}")):
        assert_good_page(page)
        assert 'id="conversation-paused"' in page.get_data(as_text=True)
        assert 'name="body"' not in page.get_data(as_text=True)
    refused_person = person["client"].post(person_url(person), data={"body": "Are you there?"})
    refused_jo = jo_client.post(f"/peer-conversations/{match_id}", data={"body": "I am here."})
    for refused in (refused_person, refused_jo):
        assert refused.status_code == 200
        assert "You cannot send messages in this conversation now" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(PeerMessage.id))) == 0
    assert partner.post(partner_url(person, "/resume")).status_code == 302
    assert jo_client.post(f"/peer-conversations/{match_id}", data={"body": "I am here."}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(db.func.count(PeerMessage.id))) == 1
        assert {"peer_match.paused", "peer_match.resumed"} <= set(db.session.scalars(select(AuditEvent.action)))


def test_the_coordinator_reads_the_conversation_and_it_is_audited(app, world):
    person, partner = world["person"], world["partner"]
    propose_and_agree(app, person, partner, world["jo"], "Sam")
    person["client"].post(person_url(person), data={"body": "A message the coordinator can read."})
    page = partner.get(partner_url(person, "/conversation"))
    assert_good_page(page)
    assert "A message the coordinator can read." in text_of(page)
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "peer_match.conversation_viewed"))
    assert world["other_partner"].get(partner_url(person, "/conversation")).status_code == 404


@pytest.mark.parametrize("who", ["person", "supporter"])
def test_either_side_can_end_it(app, world, who):
    person, jo_client = world["person"], world["jo_client"]
    match_id = propose_and_agree(app, person, world["partner"], world["jo"])
    client, base = ((person["client"], person_url(person)) if who == "person"
                    else (jo_client, f"/peer-conversations/{match_id}"))
    assert_good_page(client.get(f"{base}/end"))
    assert client.post(f"{base}/end").status_code == 302
    with app.app_context():
        match = db.session.get(PeerMatch, match_id)
        assert (match.status, match.ended_by) == (MatchStatus.ENDED, Side(who))
    refused = jo_client.post(f"/peer-conversations/{match_id}", data={"body": "One more thing"})
    assert "You cannot send messages in this conversation now" in refused.get_data(as_text=True)
    assert 'id="conversation-ended"' in person["client"].get(person_url(person)).get_data(as_text=True)


def test_a_concern_becomes_the_organisations_task(app, world):
    person, jo_client, partner = world["person"], world["jo_client"], world["partner"]
    match_id = propose_and_agree(app, person, partner, world["jo"])
    assert_good_page(jo_client.get(f"/peer-conversations/{match_id}/concern"))
    empty = jo_client.post(f"/peer-conversations/{match_id}/concern", data={"reason": "   "})
    assert empty.status_code == 200 and "Say what worries you" in empty.get_data(as_text=True)
    assert_good_page(empty)
    sent = jo_client.post(f"/peer-conversations/{match_id}/concern",
                          data={"reason": "Sam said they might hurt themselves."})
    assert sent.status_code == 302
    listing = partner.get("/partner/peer-concerns")
    assert_good_page(listing)
    assert "The peer supporter" in text_of(listing)
    with app.app_context():
        concern_id = db.session.scalar(select(PeerConcern.id))
    assert world["other_partner"].get(f"/partner/peer-concerns/{concern_id}").status_code == 404
    detail = partner.get(f"/partner/peer-concerns/{concern_id}")
    assert_good_page(detail)
    assert "Sam said they might hurt themselves." in text_of(detail)
    assert partner.post(f"/partner/peer-concerns/{concern_id}", data={"note": "Called Sam; safe."}).status_code == 302
    with app.app_context():
        concern = db.session.get(PeerConcern, concern_id)
        assert concern.dealt_with_at is not None and concern.note == "Called Sam; safe."
        assert concern.raised_by == Side.SUPPORTER
    assert "Dealt with (1)" in text_of(partner.get("/partner/peer-concerns"))


def test_saying_no_lets_the_organisation_propose_someone_else(app, world):
    person, partner = world["person"], world["partner"]
    sky = peer_supporter(app, world["organisation"], "Sky")
    partner.post(partner_url(person), data={"supporter": str(world["jo"]["id"])})
    assert person["client"].post(person_url(person, "/answer"), data={"agree": "no"}).status_code == 302
    listing = partner.get(partner_url(person)).get_data(as_text=True)
    assert f'value="{sky["id"]}"' in listing and f'value="{world["jo"]["id"]}"' not in listing
    # Jo, declined on this referral, cannot be proposed again by a crafted post.
    again = partner.post(partner_url(person), data={"supporter": str(world["jo"]["id"])})
    assert again.status_code == 200 and "Select a peer supporter from the list" in again.get_data(as_text=True)


def test_one_to_one_services_are_offered_only_to_people_who_asked(app, world, make_user):
    """A victim who chose peer-support groups only is not offered the one-to-one service."""
    from tests.triage_helpers import make_report
    victim = make_user()
    crime_number = make_report(app, user=victim)
    client = app.test_client()
    sign_in_as(client, victim)
    with app.app_context():
        from portal.cases.models import Report
        from portal.support import assessments
        from portal.support.recommendation import Impact, NeedsAnswers
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        assessments.save_assessment(db.session.merge(victim), report, NeedsAnswers(daily_life=Impact.A_LITTLE))
        service_id = db.session.scalar(select(Referral.service_id).where(Referral.reference ==
                                                                         world["person"]["reference"]))
    client.post(f"/support/{crime_number}/choose", data={"level": "information", "peer": "y"})
    page = client.get(f"/support/{crime_number}/services").get_data(as_text=True)
    assert f"/refer/{service_id}" not in page and "one-to-one-matches" not in page


@pytest.mark.parametrize("data, message", [
    ({"agree": "yes", "first_name": ""}, "Enter the first name you want to be shown by"),
    ({"agree": "yes", "first_name": "Sam 123"}, "The first name must contain only letters"),
    ({"agree": "yes", "first_name": "<script>alert(1)</script>"}, "The first name must contain only letters"),
    ({"agree": "yes", "first_name": "S" * 41}, "The first name must be 40 characters or fewer"),
    ({"agree": "maybe", "first_name": "Sam"}, "Select whether you want to talk with this peer supporter"),
    ({}, "Select whether you want to talk with this peer supporter"),
])
def test_bad_answers_are_explained_and_nothing_changes(app, world, data, message):
    person = world["person"]
    world["partner"].post(partner_url(person), data={"supporter": str(world["jo"]["id"])})
    response = person["client"].post(person_url(person, "/answer"), data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert_good_page(response)
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(PeerMatch.status)) == MatchStatus.PROPOSED


def test_hostile_and_oversized_messages_and_contacts(app, world):
    person, jo_client = world["person"], world["jo_client"]
    match_id = propose_and_agree(app, person, world["partner"], world["jo"])
    too_long = person["client"].post(person_url(person), data={"body": "x" * 3001})
    assert too_long.status_code == 200 and "Message must be 3000 characters or fewer" in too_long.get_data(as_text=True)
    assert_good_page(too_long)
    long_contact = person["client"].post(person_url(person, "/share"), data={"contact": "a" * 201})
    assert long_contact.status_code == 200 and "200 characters or fewer" in long_contact.get_data(as_text=True)
    assert person["client"].post(person_url(person), data={"body": "<b>bold</b>\x00"}).status_code == 302
    html = jo_client.get(f"/peer-conversations/{match_id}").get_data(as_text=True)
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html
    assert world["partner"].post(partner_url(person), data={"supporter": "not-a-number"}).status_code == 200


def test_only_ones_own(app, world, make_user):
    """Another peer supporter, another organisation and another victim get 'not found'; a referral that is not for
    one-to-one peer support has no pairing page."""
    person = world["person"]
    match_id = propose_and_agree(app, person, world["partner"], world["jo"])
    stranger = supporter_client(app, world["unsuitable"][0])
    for path in (f"/peer-conversations/{match_id}", f"/peer-conversations/{match_id}/end",
                 f"/peer-conversations/{match_id}/concern"):
        assert stranger.get(path).status_code == 404
    assert stranger.post(f"/peer-conversations/{match_id}", data={"body": "hi"}).status_code == 404
    assert "Sam" not in text_of(stranger.get("/peer-conversations"))
    assert world["other_partner"].get(partner_url(person)).status_code == 404
    assert world["other_partner"].post(partner_url(person, "/pause")).status_code == 404
    # The person's own account cannot open the peer supporter's side of their conversation.
    assert person["client"].get(f"/peer-conversations/{match_id}").status_code == 404
    other_victim = victim_asking_for_one_to_one(app, _service_id(app, person["reference"]))
    assert other_victim["client"].get(person_url({**other_victim, "reference": person["reference"]})).status_code \
        == 404


def _service_id(app, reference: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Referral.service_id).where(Referral.reference == reference))


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=60))
def test_first_names_are_letters_only(name):
    """Whatever is typed, a first name the service keeps is letters with single separators, 40 at most."""
    from portal.domain import DomainError
    from portal.peers.matches import clean_first_name
    try:
        kept = clean_first_name(name)
    except DomainError:
        return
    assert 0 < len(kept) <= 40
    assert all(c.isalpha() or c in " '’-" for c in kept)
