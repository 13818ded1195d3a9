"""Issue 24: witnesses can offer too. A witness whose own support has finished offers to help others from their own
support page, through the same offer, consent and withdrawal as a victim. Like the victim, a witness can offer once
their own 12-week check-in (on one of their own referrals) is answered; the victim's check-ins count only for the
victim, and the witness's only for that witness. The borough comes from the case; organisations never see the case
nor that the person was a witness; the witness hears of decisions and messages by their own safe channel, never the
case's victim."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.models import Report, WitnessLink
from portal.clock import utcnow
from portal.domain import DomainError
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.peers import queries, services
from portal.peers.enums import Decision
from portal.peers.match_models import PeerMatch
from portal.peers.models import PeerOffer, PeerSupporter
from portal.support.enums import ReferralStatus
from portal.support.models import Referral, SupportService
from portal.surveys.models import CheckIn
from portal.surveys.schedule import send_due
from tests.conftest import sign_in_as
from tests.integration.test_peer_supporters import OFFER, peer_organisation
from tests.integration.test_witness_support import referred, support  # noqa: F401 - the support fixture
from tests.integration.test_witness_tasks import hearing, hearing_world  # noqa: F401 - the fixtures
from tests.pagecheck import assert_good_page
from tests.peer_match_helpers import partner_client, person_url, text_of, victim_asking_for_one_to_one


def _set_referral(app, referral_id: int, *, weeks_ago: float, status=ReferralStatus.CLOSED) -> None:
    with app.app_context():
        referral = db.session.get(Referral, referral_id)
        referral.sent_at = utcnow() - timedelta(weeks=weeks_ago)
        referral.status = status
        db.session.commit()


def answer_twelve_weeks(app, world, referral_id: int) -> None:
    """The survey job runs the day after the witness's referral turned 12 weeks old, and the witness answers the
    check-in it offered them, on their own check-in page."""
    with app.app_context():
        sent_at = db.session.get(Referral, referral_id).sent_at
        send_due(now=sent_at + timedelta(weeks=12, days=1))
    answered = world["clients"]["witness"].post(f"/cases/{world['number']}/witness-check-ins/12",
                                                data={"coping": "4", "safety": "4"})
    assert answered.status_code == 302, answered.get_data(as_text=True)


@pytest.fixture
def world(app, support):  # noqa: F811 - the fixture
    """The hearing's case with a witness whose own referral was sent 13 weeks ago and is closed, and who answered
    their 12-week check-in; an accredited organisation running one-to-one peer support in Camden, with a partner
    signed in."""
    with app.app_context():
        organisation_id = peer_organisation("Camden Peer Network")
    number, referral = referred(app, support)
    _set_referral(app, referral.id, weeks_ago=13)
    answer_twelve_weeks(app, support, referral.id)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == number))
        link = db.session.scalar(select(WitnessLink).where(WitnessLink.report_id == report.id,
                                                            WitnessLink.witness_user_id
                                                            == support["people"]["witness"].id))
        ids = {"report_id": report.id, "link_id": link.id, "borough": report.borough}
    return {**support, **ids, "referral": referral, "organisation": organisation_id,
            "partner_peer": partner_client(app, organisation_id)}


def base(world) -> str:
    return f"/cases/{world['number']}/peer-support"


def offer_and_agree(world, who: str = "witness") -> None:
    client = world["clients"][who]
    response = client.post(base(world) + "/offer", data=OFFER)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/peer-support/share")
    assert client.post(base(world) + "/share", data={"agree": "yes"}).status_code == 302


def messages_to(app, email: str, template: str = "case_update") -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.recipient == email, OutboxMessage.template == template))


def test_the_witness_offers_from_their_own_support_page(app, world):
    """The link sits on the witness's support page; the offer, the consent page and the offer as kept work as for a
    victim; the offer is the witness's, tied to their link, with the case's borough."""
    witness = world["clients"]["witness"]
    own_support = witness.get(f"/support/{world['number']}/services")
    assert_good_page(own_support)
    assert f'id="peer-supporter-link" href="{base(world)}"' in own_support.get_data(as_text=True)
    start = witness.get(base(world))
    assert_good_page(start)
    html = start.get_data(as_text=True)
    assert 'id="start-offer"' in html and f'href="/support/{world["number"]}/services"' in html
    assert_good_page(witness.get(base(world) + "/offer"))
    assert witness.post(base(world) + "/offer", data=OFFER).status_code == 302
    consent = witness.get(base(world) + "/share")
    assert_good_page(consent)
    assert "Camden Peer Network" in text_of(consent)
    assert witness.post(base(world) + "/share", data={"agree": "yes"}).status_code == 302
    with app.app_context():
        offer = db.session.scalars(select(PeerOffer)).one()
        assert (offer.user_id, offer.report_id, offer.witness_link_id, offer.borough) == (
            world["people"]["witness"].id, world["report_id"], world["link_id"], world["borough"])
        assert [s.organisation_id for s in offer.supporters] == [world["organisation"]]
    mine = witness.get(base(world))
    assert_good_page(mine)
    assert "They have not decided yet." in text_of(mine)


def test_the_organisation_never_learns_the_case_or_that_it_was_a_witness(app, world):
    offer_and_agree(world)
    with app.app_context():
        ident = db.session.scalar(select(PeerSupporter.id))
    shown = world["partner_peer"].get(f"/partner/peer-offers/{ident}")
    assert_good_page(shown)
    text = text_of(shown)
    assert "Marisol" in text and "Weekends" in text
    for secret in (world["number"], "witness", "Witness", world["people"]["witness"].email,
                   world["people"]["victim"].email, "Witness Help Camden"):
        assert secret not in text


def test_decisions_reach_the_witness_by_their_channel_never_the_victim(app, world):
    offer_and_agree(world)
    with app.app_context():
        ident = db.session.scalar(select(PeerSupporter.id))
    witness_email, victim_email = world["people"]["witness"].email, world["people"]["victim"].email
    before_witness, before_victim = messages_to(app, witness_email), messages_to(app, victim_email)
    assert world["partner_peer"].post(f"/partner/peer-offers/{ident}/accept").status_code == 302
    assert messages_to(app, witness_email) == before_witness + 1
    assert messages_to(app, victim_email) == before_victim
    assert "They accepted you as a peer supporter." in text_of(world["clients"]["witness"].get(base(world)))
    with app.app_context():
        assert [s.id for s in queries.active_supporters()] == [ident]


def test_the_witness_withdraws_like_anyone_else(app, world):
    offer_and_agree(world)
    witness = world["clients"]["witness"]
    assert_good_page(witness.get(base(world) + "/withdraw"))
    assert witness.post(base(world) + "/withdraw").status_code == 302
    with app.app_context():
        offer = db.session.scalars(select(PeerOffer)).one()
        assert offer.withdrawn_at is not None
        assert all(s.ended_at is not None for s in offer.supporters)
    assert 'id="start-offer"' in witness.get(base(world)).get_data(as_text=True)


def _unanswer(app, referral_id: int) -> None:
    with app.app_context():
        db.session.execute(update(CheckIn).where(CheckIn.referral_id == referral_id).values(answered_at=None))
        db.session.commit()


@pytest.mark.parametrize(("answered", "status", "reason"), [
    (False, ReferralStatus.CLOSED, "check_in"),
    (True, ReferralStatus.ACCEPTED, "open_referral"),
    (True, ReferralStatus.DECLINED, None),
    (True, ReferralStatus.WITHDRAWN, None),
    (True, ReferralStatus.CLOSED, None),
], ids=["not-answered", "still-open", "declined", "withdrawn", "closed"])
def test_when_a_witness_can_offer(app, world, answered, status, reason):
    """Once their own 12-week check-in is answered, and every one of their own referrals is finished."""
    _set_referral(app, world["referral"].id, weeks_ago=13, status=status)
    if not answered:
        _unanswer(app, world["referral"].id)
    with app.app_context():
        report = db.session.get(Report, world["report_id"])
        assert queries.why_not_eligible(report, world["link_id"]) == reason
    page = world["clients"]["witness"].get(base(world))
    assert_good_page(page)
    html = page.get_data(as_text=True)
    assert ('id="start-offer"' in html) == (reason is None)
    if reason == "check_in":
        assert "You can offer once you have answered your 12-week check-in." in text_of(page)
    if reason is not None:
        # The form is not offered, and a hand-made post of the consent is refused on the page.
        assert world["clients"]["witness"].get(base(world) + "/offer").status_code == 302
        assert world["clients"]["witness"].post(base(world) + "/offer", data=OFFER).status_code == 302
        with app.app_context():
            assert db.session.scalar(select(PeerOffer.id)) is None


def test_a_witness_with_no_support_of_their_own_cannot_offer_yet(app, world):
    """The other witness on the case had no referral, so no check-in: not yet, whatever the first witness had."""
    page = world["clients"]["other"].get(base(world))
    assert_good_page(page)
    assert 'id="start-offer"' not in page.get_data(as_text=True)
    assert "You can offer once you have answered your 12-week check-in." in text_of(page)


def test_the_victims_rule_is_their_own(app, world):
    """The witness's answered 12-week check-in gives the case's victim nothing: the victim still needs their own."""
    page = world["clients"]["victim"].get(base(world))
    assert_good_page(page)
    assert "You can offer once you have answered your 12-week check-in." in text_of(page)
    with app.app_context():
        assert queries.why_not_eligible(db.session.get(Report, world["report_id"])) == "check_in"


def test_the_victims_answered_check_in_gives_a_witness_nothing(app, world):
    """Nor the other way round: the victim's answered 12-week check-in does not let a witness offer."""
    _unanswer(app, world["referral"].id)
    with app.app_context():
        report = db.session.get(Report, world["report_id"])
        victim_referral = Referral(reference="RF-VICTIM-1", report_id=report.id,
                                   organisation_id=world["referral"].organisation_id,
                                   service_id=world["referral"].service_id, support_level="contact",
                                   status=ReferralStatus.CLOSED, sent_at=utcnow() - timedelta(weeks=13))
        db.session.add(victim_referral)
        db.session.flush()
        db.session.add(CheckIn(referral_id=victim_referral.id, report_id=report.id, weeks=12,
                               due_at=utcnow() - timedelta(weeks=1), invited_at=utcnow() - timedelta(weeks=1),
                               answered_at=utcnow(), coping=5))
        db.session.commit()
        assert queries.why_not_eligible(report) is None
        assert queries.why_not_eligible(report, world["link_id"]) == "check_in"


def test_the_service_refuses_a_witness_acting_on_another_link(app, world):
    """Only the witness the link joined can offer with it; another witness on the same case cannot borrow it."""
    with app.app_context():
        report = db.session.get(Report, world["report_id"])
        link = db.session.get(WitnessLink, world["link_id"])
        other = db.session.merge(world["people"]["other"])
        answers = services.OfferAnswers(categories=tuple(OFFER["categories"]), languages=("en",),
                                        availability=("weekends",), delivery="both", first_name="Ola")
        with pytest.raises(DomainError):
            services.make_offer(other, report, answers, ["bicycle_theft"], link)
        with pytest.raises(DomainError):  # nor as if they were the victim
            services.make_offer(other, report, answers, ["bicycle_theft"])
        assert db.session.scalar(select(PeerOffer.id)) is None


def test_another_witness_or_victim_gets_not_found(app, world, make_user):
    """A witness not linked to the case and a victim of another case see 'not found', as for a case that does not
    exist; the other witness on the case sees only their own (no) offer and cannot withdraw the first one."""
    offer_and_agree(world)
    stranger_witness, stranger_victim = app.test_client(), app.test_client()
    sign_in_as(stranger_witness, make_user(Role.WITNESS))
    sign_in_as(stranger_victim, make_user(Role.VICTIM))
    for client in (stranger_witness, stranger_victim):
        for tail in ("", "/offer", "/share", "/withdraw"):
            assert client.get(base(world) + tail).status_code == 404
            assert client.get(f"/cases/CR-26-0000001-A/peer-support{tail}").status_code == 404
    other = world["clients"]["other"]
    assert "Marisol" not in other.get(base(world)).get_data(as_text=True)
    assert other.get(base(world) + "/withdraw").status_code == 404
    assert other.post(base(world) + "/withdraw").status_code == 404
    with app.app_context():
        assert db.session.scalars(select(PeerOffer)).one().withdrawn_at is None


def test_a_witness_peer_supporter_talks_with_a_victim_and_is_told_by_their_channel(app, world):
    """Accepted and active, the witness is proposed to a victim of another case who asked for one-to-one support;
    the victim's messages are announced to the witness by the witness's channel; the witness reads them at
    /peer-conversations and replies, and the victim is told by theirs."""
    offer_and_agree(world)
    with app.app_context():
        ident = db.session.scalar(select(PeerSupporter.id))
    assert world["partner_peer"].post(f"/partner/peer-offers/{ident}/accept").status_code == 302
    with app.app_context():
        service_id = db.session.scalar(select(SupportService.id).where(
            SupportService.organisation_id == world["organisation"]))
    person = victim_asking_for_one_to_one(app, service_id, talk_times=("weekends",))
    pairing = world["partner_peer"].get(f"/partner/referrals/{person['reference']}/peer-supporter")
    assert ">Marisol<" in pairing.get_data(as_text=True)
    assert world["partner_peer"].post(f"/partner/referrals/{person['reference']}/peer-supporter",
                                      data={"supporter": str(ident)}).status_code == 302
    assert person["client"].post(person_url(person, "/answer"),
                                 data={"agree": "yes", "first_name": "Sam"}).status_code == 302
    witness_email, victim_email = world["people"]["witness"].email, world["people"]["victim"].email
    before_witness, before_victim = (messages_to(app, witness_email, "new_message"),
                                     messages_to(app, victim_email, "new_message"))
    assert person["client"].post(person_url(person), data={"body": "Hello Marisol"}).status_code == 302
    assert messages_to(app, witness_email, "new_message") == before_witness + 1
    assert messages_to(app, victim_email, "new_message") == before_victim
    witness = world["clients"]["witness"]
    own_support = witness.get(f"/support/{world['number']}/services").get_data(as_text=True)
    assert 'id="peer-conversations-link"' in own_support
    listing = witness.get("/peer-conversations")
    assert_good_page(listing)
    assert "Sam" in text_of(listing)
    with app.app_context():
        match_id = db.session.scalar(select(PeerMatch.id))
        assert db.session.get(PeerSupporter, ident).decision == Decision.ACCEPTED
    conversation = witness.get(f"/peer-conversations/{match_id}")
    assert_good_page(conversation)
    assert "Hello Marisol" in text_of(conversation) and world["number"] not in text_of(conversation)
    assert witness.post(f"/peer-conversations/{match_id}", data={"body": "Hi Sam"}).status_code == 302
    assert "Hi Sam" in text_of(person["client"].get(person_url(person)))


def test_the_demo_witness_can_offer_and_the_demo_pairing_shows_the_persons_times(app, client, ctx):
    """`flask demo-data`: the demo witness's own support finished and their 12-week check-in answered, so their peer
    support page offers the start; on the other case they follow, their own 4-week check-in waits; the demo victim's
    case waiting for a peer supporter carries the times they gave. Loading again adds nothing."""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo-data"])
    assert first.exit_code == 0, first.output
    found = re.search(r"so they can offer to help others at (/cases/CR-\S+/peer-support) \(sign in as "
                      r"witness@example\.org\)", first.output)
    assert found, first.output
    assert "the person can usually talk on weekday evenings" in first.output
    second = runner.invoke(args=["demo-data"])
    assert "Demo witness's own support: already there" in second.output
    witness = db.session.scalar(select(User).where(User.email == "witness@example.org"))
    assert db.session.scalar(select(func.count()).select_from(Referral).where(
        Referral.witness_link_id.is_not(None))) == 2  # one on each case they follow
    # Their own 12-week check-in is answered (theirs: their link), as a victim's must be.
    assert db.session.scalar(select(func.count()).select_from(CheckIn).where(
        CheckIn.witness_link_id.is_not(None), CheckIn.weeks == 12, CheckIn.answered_at.is_not(None))) == 1
    sign_in_as(client, witness)
    page = client.get(found.group(1))
    assert_good_page(page)
    assert 'id="start-offer"' in page.get_data(as_text=True)
    # On the other case they follow, the survey job has offered them their own 4-week check-in.
    waiting = re.search(r"Demo witness's own 4-week check-in, on their referral RF-\S+ \(offered by the survey "
                        r"job\): (/cases/CR-\S+) ", first.output)
    assert waiting, first.output
    assert "Demo witness's own check-in: already there" in second.output
    case_page = client.get(waiting.group(1))
    assert_good_page(case_page)
    prompt = f'id="check-in-prompt" href="{waiting.group(1)}/witness-check-ins/4"'
    assert prompt in case_page.get_data(as_text=True)
    assert_good_page(client.get(f"{waiting.group(1)}/witness-check-ins/4"))
