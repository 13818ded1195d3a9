"""Issue 24: a peer supporter's status and their one-to-one pairings move together. When the organisation pauses a
peer supporter their conversations pause (nobody can write, both sides see it); making them active again starts
none of them again: the coordinator starts each again. When they leave, or withdraw their offer, their
conversations end as ended by the organisation. A suggestion of them that the person has not answered ends either
way, so nobody agrees to talk with someone who cannot. Each change is audited, written on the person's timeline and
told to each side in neutral words, in the same transaction as the status change."""

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.roles import Role
from portal.cases.models import Report, TimelineEvent
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.peers.enums import SupporterStatus
from portal.peers.match_enums import MatchStatus, Side
from portal.peers.match_models import PeerMatch, PeerMessage
from portal.peers.models import PeerSupporter
from tests.conftest import kept_for_the_module, new_user
from tests.pagecheck import assert_good_page
from tests.peer_match_helpers import (
    match_id_of,
    partner_url,
    peer_supporter,
    person_url,
    propose_and_agree,
    signed_in,
    text_of,
    two_peer_organisations,
    victim_asking_for_one_to_one,
)

REFUSED = "You cannot send messages in this conversation now"


@pytest.fixture(scope="module")
def built(app):
    """The world below, built once for the module: each test starts from it in a savepoint of the transaction it was
    built in (conftest's kept_for_the_module)."""
    with kept_for_the_module(app):
        organisation_id, service_id, other_id = two_peer_organisations(app)
        jo = peer_supporter(app, organisation_id, "Jo")
        ali = peer_supporter(app, organisation_id, "Ali")
        person = victim_asking_for_one_to_one(app, service_id)
        del person["client"]
        yield {"jo": jo, "ali": ali, "person": person,
               "partner": new_user(app, Role.PARTNER, organisation_id=organisation_id),
               "other_partner": new_user(app, Role.PARTNER, organisation_id=other_id)}


@pytest.fixture
def world(app, built):
    """An organisation running one-to-one peer support with two suitable peer supporters (Jo and Ali), another
    organisation, and a victim referred for one-to-one support; each signed in with a client of this test's own."""
    return signed_in(app, built)


def _set_status(world, status: str, who: str = "jo"):
    return world["partner"].post(f"/partner/peer-offers/{world[who]['id']}/status", data={"status": status})


def _match(app, match_id: int) -> PeerMatch:
    with app.app_context():
        match = db.session.get(PeerMatch, match_id)
        db.session.expunge(match)
        return match


def _outbox_report_ids(app, after: int) -> list[int | None]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage.report_id).where(OutboxMessage.id > after)))


def _last_outbox_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(db.func.coalesce(db.func.max(OutboxMessage.id), 0)))


def _report_id(app, crime_number: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Report.id).where(Report.crime_number == crime_number))


def _person_timeline(app, crime_number: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(TimelineEvent.title).where(
            TimelineEvent.report_id == _report_id(app, crime_number), TimelineEvent.kind == "peer_match")
            .order_by(TimelineEvent.id)))


def test_pausing_the_peer_supporter_pauses_their_conversation(app, world):
    person, jo_client, partner = world["person"], world["jo_client"], world["partner"]
    match_id = propose_and_agree(app, person, partner, world["jo"])
    before = _last_outbox_id(app)
    assert _set_status(world, "paused").status_code == 302

    match = _match(app, match_id)
    assert match.status == MatchStatus.PAUSED and match.paused_at is not None and match.ended_at is None
    for page in (person["client"].get(person_url(person)), jo_client.get(f"/peer-conversations/{match_id}")):
        assert_good_page(page)
        assert 'id="conversation-paused"' in page.get_data(as_text=True)
        assert 'name="body"' not in page.get_data(as_text=True)
    for refused in (person["client"].post(person_url(person), data={"body": "Are you there?"}),
                    jo_client.post(f"/peer-conversations/{match_id}", data={"body": "I am here."})):
        assert refused.status_code == 200 and REFUSED in refused.get_data(as_text=True)
    assert "%(organisation)s paused your peer support conversation" in _person_timeline(app, person["crime_number"])
    told = _outbox_report_ids(app, before)
    assert _report_id(app, person["crime_number"]) in told and _report_id(app, world["jo"]["crime_number"]) in told
    with app.app_context():
        assert db.session.scalar(select(db.func.count(PeerMessage.id))) == 0
        paused = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "peer_match.paused"))
        assert paused is not None and paused.detail == "peer supporter paused"
        for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.id > before)):
            assert "Jo" not in message.subject and "Sam" not in message.body_text
            assert person["crime_number"] not in message.body_text


def test_making_them_active_again_does_not_start_conversations_again(app, world):
    person, jo_client, partner = world["person"], world["jo_client"], world["partner"]
    match_id = propose_and_agree(app, person, partner, world["jo"])
    _set_status(world, "paused")

    # While the peer supporter is paused, the coordinator cannot start the conversation again.
    refused = partner.post(partner_url(person, "/resume"), follow_redirects=True)
    assert "Make the peer supporter active again before you start their conversations again" in text_of(refused)
    assert _match(app, match_id).status == MatchStatus.PAUSED

    page = partner.get(f"/partner/peer-offers/{world['jo']['id']}")
    assert_good_page(page)
    assert "does not start their paused conversations again" in text_of(page)
    assert _set_status(world, "active").status_code == 302
    assert _match(app, match_id).status == MatchStatus.PAUSED
    assert REFUSED in jo_client.post(f"/peer-conversations/{match_id}", data={"body": "Hello?"}).get_data(
        as_text=True)

    assert partner.post(partner_url(person, "/resume")).status_code == 302
    assert _match(app, match_id).status == MatchStatus.AGREED
    assert jo_client.post(f"/peer-conversations/{match_id}", data={"body": "I am back."}).status_code == 302


def test_leaving_ends_their_conversations_as_ended_by_the_organisation(app, world):
    person, jo_client, partner = world["person"], world["jo_client"], world["partner"]
    match_id = propose_and_agree(app, person, partner, world["jo"])
    person["client"].post(person_url(person), data={"body": "Thank you for listening."})
    before = _last_outbox_id(app)
    assert _set_status(world, "left").status_code == 302

    match = _match(app, match_id)
    assert (match.status, match.ended_by) == (MatchStatus.ENDED, Side.ORGANISATION) and match.ended_at is not None
    for page in (person["client"].get(person_url(person)), jo_client.get(f"/peer-conversations/{match_id}")):
        assert_good_page(page)
        assert 'id="conversation-ended"' in page.get_data(as_text=True)
        assert "Thank you for listening." in text_of(page)  # the messages stay readable
    assert REFUSED in jo_client.post(f"/peer-conversations/{match_id}", data={"body": "Hi"}).get_data(as_text=True)
    assert _person_timeline(app, person["crime_number"])[-1] == "Your peer support conversation ended"
    told = _outbox_report_ids(app, before)
    assert _report_id(app, person["crime_number"]) in told and _report_id(app, world["jo"]["crime_number"]) in told
    with app.app_context():
        ended = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "peer_match.ended"))
        assert ended is not None and ended.detail == "peer supporter left"
    # The organisation can suggest someone else.
    assert partner.post(partner_url(person), data={"supporter": str(world["ali"]["id"])}).status_code == 302
    assert _match(app, match_id_of(app, person["reference"])).status == MatchStatus.PROPOSED


def test_withdrawing_the_offer_ends_their_conversations(app, world):
    person, jo_client, partner = world["person"], world["jo_client"], world["partner"]
    match_id = propose_and_agree(app, person, partner, world["jo"])
    before = _last_outbox_id(app)
    withdrawn = jo_client.post(f"/cases/{world['jo']['crime_number']}/peer-support/withdraw")
    assert withdrawn.status_code == 302

    match = _match(app, match_id)
    assert (match.status, match.ended_by) == (MatchStatus.ENDED, Side.ORGANISATION)
    with app.app_context():
        assert db.session.get(PeerSupporter, world["jo"]["id"]).status == SupporterStatus.LEFT
        ended = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "peer_match.ended"))
        assert ended is not None and ended.actor_id == world["jo"]["user"].id
    told = _outbox_report_ids(app, before)
    assert _report_id(app, person["crime_number"]) in told
    assert _report_id(app, world["jo"]["crime_number"]) not in told  # they withdrew: nothing to tell them
    assert 'id="conversation-ended"' in person["client"].get(person_url(person)).get_data(as_text=True)
    assert REFUSED in person["client"].post(person_url(person), data={"body": "Hi"}).get_data(as_text=True)


@pytest.mark.parametrize("status", ["paused", "left"])
def test_a_suggestion_not_yet_answered_ends(app, world, status):
    person, partner = world["person"], world["partner"]
    assert partner.post(partner_url(person), data={"supporter": str(world["jo"]["id"])}).status_code == 302
    match_id = match_id_of(app, person["reference"])
    before = _last_outbox_id(app)
    assert _set_status(world, status).status_code == 302

    match = _match(app, match_id)
    assert (match.status, match.ended_by, match.answered_at) == (MatchStatus.ENDED, Side.ORGANISATION, None)
    assert _person_timeline(app, person["crime_number"])[-1] == "%(name)s is no longer available to talk with"
    told = _outbox_report_ids(app, before)
    assert _report_id(app, person["crime_number"]) in told
    assert _report_id(app, world["jo"]["crime_number"]) not in told  # they never saw the suggestion
    agreed = person["client"].post(person_url(person, "/answer"), data={"agree": "yes", "first_name": "Sam"})
    assert agreed.status_code in (200, 302)
    assert _match(app, match_id).status == MatchStatus.ENDED
    with app.app_context():
        assert db.session.scalar(select(db.func.count(PeerMatch.id)).where(
            PeerMatch.status == MatchStatus.AGREED)) == 0
    page = person["client"].get(person_url(person))
    assert_good_page(page)
    assert 'name="agree"' not in page.get_data(as_text=True)
    # Another peer supporter can be suggested at once.
    assert partner.post(partner_url(person), data={"supporter": str(world["ali"]["id"])}).status_code == 302


def test_only_their_own_pairings_change(app, world):
    """Ali's pause leaves Jo's conversation alone; another organisation cannot change Jo's status (not found)."""
    person, partner = world["person"], world["partner"]
    match_id = propose_and_agree(app, person, partner, world["jo"])
    assert _set_status(world, "paused", who="ali").status_code == 302
    assert _match(app, match_id).status == MatchStatus.AGREED
    refused = world["other_partner"].post(f"/partner/peer-offers/{world['jo']['id']}/status",
                                          data={"status": "left"})
    assert refused.status_code == 404
    assert _match(app, match_id).status == MatchStatus.AGREED


@pytest.mark.parametrize("status", ["", "gone", "<script>x</script>", "paused" * 100])
def test_a_bad_status_changes_nothing(app, world, status):
    person, partner = world["person"], world["partner"]
    match_id = propose_and_agree(app, person, partner, world["jo"])
    response = _set_status(world, status)
    assert response.status_code == 200
    assert_good_page(response)
    assert "govuk-error-summary" in response.get_data(as_text=True)
    assert _match(app, match_id).status == MatchStatus.AGREED
    with app.app_context():
        assert db.session.get(PeerSupporter, world["jo"]["id"]).status == SupporterStatus.ACTIVE


def test_the_service_rolls_back_the_status_if_the_pairings_cannot_follow(app, world, monkeypatch):
    """One transaction: when bringing the pairings into line fails, the status change is not saved either."""
    person, partner = world["person"], world["partner"]
    match_id = propose_and_agree(app, person, partner, world["jo"])
    from portal.domain import DomainError
    from portal.peers import matches

    def refuse(*_args, **_kwargs):
        raise DomainError("refused for the test")

    monkeypatch.setattr(matches, "follow_supporter_status", refuse)
    response = _set_status(world, "left")
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(PeerSupporter, world["jo"]["id"]).status == SupporterStatus.ACTIVE
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "peer_supporter.status_changed")) \
            is None
    assert _match(app, match_id).status == MatchStatus.AGREED


def test_a_suggestion_of_someone_no_longer_active_cannot_be_agreed_to(app, world):
    """A suggestion left over from before this rule (the record paused outside the service) is refused on the
    page, and nothing changes."""
    person, partner = world["person"], world["partner"]
    assert partner.post(partner_url(person), data={"supporter": str(world["jo"]["id"])}).status_code == 302
    match_id = match_id_of(app, person["reference"])
    with app.app_context():
        db.session.get(PeerSupporter, world["jo"]["id"]).status = SupporterStatus.PAUSED
        db.session.commit()
    refused = person["client"].post(person_url(person, "/answer"), data={"agree": "yes", "first_name": "Sam"})
    assert refused.status_code == 200
    assert "This peer supporter is no longer available" in text_of(refused)
    match = _match(app, match_id)
    assert (match.status, match.person_first_name) == (MatchStatus.PROPOSED, None)
