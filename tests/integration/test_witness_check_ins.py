"""Issue 24: a witness's own referrals get cope-and-recover check-ins, like the victim's: at 0, 4 and 12 weeks, by the
same rules (consent in force, referral not withdrawn, an active account, never on a safeguarding case, within the
offer window, never twice). They are the witness's (check_ins.witness_link_id): offered to the witness's account by
the witness's own safe channel, shown and answered on the witness's view of the case on the same page as the
victim's, and never seen or answered by the victim or another witness. The victims' outcome figures never count
them; the witness's data download has them and the victim's does not."""

import json
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from portal.audit.models import AuditEvent
from portal.cases.models import Report, WitnessLink
from portal.clock import utcnow
from portal.domain import DomainError
from portal.extensions import db
from portal.insight import comparison, queries
from portal.insight.filters import Filters
from portal.notifications.models import OutboxMessage
from portal.support.enums import ReferralStatus
from portal.support.models import Consent, Referral
from portal.surveys import services
from portal.surveys.models import CheckIn
from portal.surveys.schedule import send_due
from tests.conftest import examples
from tests.integration.test_insight import page, supervisor, table  # noqa: F401 - supervisor is a fixture
from tests.integration.test_insight_comparison import known_data
from tests.integration.test_witness_support import referred, support  # noqa: F401 - the support fixture
from tests.integration.test_witness_tasks import hearing, hearing_world  # noqa: F401 - the fixtures
from tests.pagecheck import assert_good_page


def invitations_to(app, recipient: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.recipient == recipient, OutboxMessage.template == "check_in_invite"))


def witness_check_ins(app, referral_id: int) -> list[tuple[int, int | None, bool]]:
    """The referral's check-ins as (weeks, witness link, offered)."""
    with app.app_context():
        return [(c.weeks, c.witness_link_id, c.invited_at is not None) for c in db.session.scalars(
            select(CheckIn).where(CheckIn.referral_id == referral_id).order_by(CheckIn.weeks))]


def url(world, weeks: int = 0) -> str:
    return f"/cases/{world['number']}/witness-check-ins/{weeks}"


@pytest.fixture
def offered(app, support):  # noqa: F811 - the fixture
    """The witness was referred with consent and the survey job has run: their first check-in is offered."""
    number, referral = referred(app, support)
    with app.app_context():
        send_due()
    return {**support, "referral": referral}


# Scheduling -------------------------------------------------------------------------------------------------------


def test_the_witness_s_check_ins_are_theirs_and_reach_them_by_their_channel(app, offered):
    referral, people = offered["referral"], offered["people"]
    assert witness_check_ins(app, referral.id) == [(0, referral.witness_link_id, True),
                                                   (4, referral.witness_link_id, False),
                                                   (12, referral.witness_link_id, False)]
    assert invitations_to(app, people["witness"].email) == 1
    assert invitations_to(app, people["victim"].email) == 0
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "check_in_invite"))
        # Neutral words and a link to sign in: nothing of the case.
        for secret in (offered["number"], "Witness Help Camden", "witness", "crime", "police"):
            assert secret.lower() not in message.body_text.lower() and secret not in message.subject, secret
        assert "/login" in message.body_text
    # A second run, and a run at the same time tomorrow, add and send nothing.
    with app.app_context():
        again = send_due()
        assert (again.check_ins_created, again.check_ins, again.emails) == (0, 0, 0)
        assert send_due(now=utcnow() + timedelta(days=1)).check_ins == 0
    assert invitations_to(app, people["witness"].email) == 1
    assert len(witness_check_ins(app, referral.id)) == 3


def test_the_4_week_check_in_is_offered_when_due_by_text_when_that_is_the_safe_way(app, offered):
    witness = offered["clients"]["witness"]
    assert witness.post(f"/cases/{offered['number']}/witness-contact", data={
        "channels": ["text"], "mobile_number": "07700 900982"}).status_code == 302
    with app.app_context():
        counts = send_due(now=offered["referral"].sent_at + timedelta(weeks=4, days=1))
        assert (counts.check_ins, counts.emails) == (1, 1)
        message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "check_in_invite")
                                     .order_by(OutboxMessage.id.desc())).first()
        assert message.channel.value == "text" and message.recipient == "07700900982"
    assert invitations_to(app, offered["people"]["victim"].email) == 0


def test_one_invitation_per_person_per_run(app, support):  # noqa: F811 - the fixture
    """Two referrals of the witness's own at once: two check-ins offered, one message to the witness."""
    number, first = referred(app, support)
    with app.app_context():
        second = Referral(reference="RF-WIT-2", report_id=first.report_id, witness_link_id=first.witness_link_id,
                          organisation_id=first.organisation_id, service_id=first.service_id,
                          consent_id=first.consent_id, status=ReferralStatus.SENT, support_level="contact",
                          sent_at=first.sent_at)
        db.session.add(second)
        db.session.commit()
        assert send_due().check_ins == 2
    assert invitations_to(app, support["people"]["witness"].email) == 1


def _no_check_ins(app, referral_id: int) -> None:
    with app.app_context():
        counts = send_due()
        assert counts.check_ins == 0
        assert db.session.scalar(select(func.count()).select_from(CheckIn).where(
            CheckIn.referral_id == referral_id, CheckIn.invited_at.is_not(None))) == 0


@pytest.mark.parametrize("why", ["closed_account", "safeguarding", "consent_withdrawn", "referral_withdrawn",
                                 "link_without_account", "too_long_ago"])
def test_none_when_the_rules_say_not_to_ask(app, support, why):  # noqa: F811 - the fixture
    number, referral = referred(app, support)
    with app.app_context():
        if why == "closed_account":
            db.session.execute(update(type(support["people"]["witness"])).where(
                type(support["people"]["witness"]).id == support["people"]["witness"].id)
                .values(is_active_account=False))
        elif why == "safeguarding":
            db.session.execute(update(Report).where(Report.id == referral.report_id).values(safeguarding=True))
        elif why == "consent_withdrawn":
            db.session.execute(update(Consent).where(Consent.id == referral.consent_id).values(withdrawn_at=utcnow()))
        elif why == "referral_withdrawn":
            db.session.execute(update(Referral).where(Referral.id == referral.id)
                               .values(status=ReferralStatus.WITHDRAWN))
        elif why == "link_without_account":
            db.session.execute(update(WitnessLink).where(WitnessLink.id == referral.witness_link_id)
                               .values(witness_user_id=None))
        else:  # sent so long ago that even its 12-week check-in is past the offer window
            db.session.execute(update(Referral).where(Referral.id == referral.id)
                               .values(sent_at=utcnow() - timedelta(weeks=16)))
        db.session.commit()
    _no_check_ins(app, referral.id)
    assert invitations_to(app, support["people"]["witness"].email) == 0
    assert invitations_to(app, support["people"]["victim"].email) == 0


# Answering --------------------------------------------------------------------------------------------------------


def test_the_witness_answers_on_their_own_view_of_the_case(app, offered):
    witness, number = offered["clients"]["witness"], offered["number"]
    case_page = witness.get(f"/cases/{number}")
    assert f'id="check-in-prompt" href="{url(offered)}"' in case_page.get_data(as_text=True)
    form = witness.get(url(offered))
    assert_good_page(form)
    html = form.get_data(as_text=True)
    assert "How well are you coping?" in html and f'action="{url(offered)}"' in html
    answered = witness.post(url(offered), data={"coping": "2", "safety": "3", "daily_life": "1"})
    assert answered.status_code == 302 and answered.headers["Location"] == f"/cases/{number}"
    with app.app_context():
        row = db.session.scalar(select(CheckIn).where(CheckIn.referral_id == offered["referral"].id,
                                                      CheckIn.weeks == 0))
        assert (row.coping, row.safety, row.wellbeing, row.daily_life) == (2, 3, None, 1)
        assert row.answered_at is not None
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "check_in.answered_by_witness"))
        assert audit.actor_id == offered["people"]["witness"].id and audit.detail == "0 weeks"
    assert 'id="check-in-prompt"' not in witness.get(f"/cases/{number}").get_data(as_text=True)
    # Answering again (a second tab, a double click) is refused; the first answers stand.
    again = witness.get(url(offered))
    assert_good_page(again)
    assert "you have already answered" in again.get_data(as_text=True)
    with app.app_context():
        report = db.session.get(Report, offered["referral"].report_id)
        link = db.session.get(WitnessLink, offered["referral"].witness_link_id)
        witness_user = db.session.merge(offered["people"]["witness"])
        with pytest.raises(DomainError):
            services.answer_check_in(witness_user, report, 0, {"coping": 5}, witness_link=link)
        assert db.session.scalar(select(CheckIn.coping).where(CheckIn.referral_id == offered["referral"].id,
                                                               CheckIn.weeks == 0)) == 2


def test_only_the_witness_whose_it_is(app, offered):
    """The victim never sees or answers the witness's check-in; the other witness on the case gets 'not found'."""
    victim, other = offered["clients"]["victim"], offered["clients"]["other"]
    assert 'id="check-in-prompt"' not in victim.get(f"/cases/{offered['number']}").get_data(as_text=True)
    assert 'id="check-in-prompt"' not in other.get(f"/cases/{offered['number']}").get_data(as_text=True)
    for client in (victim, other):
        assert client.get(url(offered)).status_code == 404
        assert client.post(url(offered), data={"coping": "5"}).status_code == 404
    assert victim.get(f"/cases/{offered['number']}/check-ins/0").status_code == 404
    assert victim.post(f"/cases/{offered['number']}/check-ins/0", data={"coping": "5"}).status_code == 404
    with app.app_context():
        report = db.session.get(Report, offered["referral"].report_id)
        link = db.session.get(WitnessLink, offered["referral"].witness_link_id)
        with pytest.raises(DomainError):  # the other witness cannot borrow the link
            services.answer_check_in(db.session.merge(offered["people"]["other"]), report, 0, {"coping": 5},
                                     witness_link=link)
        with pytest.raises(DomainError):  # the victim, with no link, answers only their own: there are none
            services.answer_check_in(db.session.merge(offered["people"]["victim"]), report, 0, {"coping": 5})
        assert db.session.scalar(select(func.count()).select_from(CheckIn).where(
            CheckIn.answered_at.is_not(None))) == 0
        assert services.check_ins_for(report.id, 0) == []
        assert services.open_invitations(report.id).latest_check_in is None


@pytest.mark.parametrize("data", [
    {"coping": "9"}, {"coping": "<script>alert(1)</script>"}, {"safety": "x" * 5000}, {"coping": "0"},
    {"coping": "4.5"}, {},
], ids=["out-of-scale", "script", "oversized", "zero", "fraction", "nothing"])
def test_bad_answers_are_shown_on_the_page(app, offered, data):
    page_ = offered["clients"]["witness"].post(url(offered), data=data)
    assert page_.status_code == 200
    assert_good_page(page_)
    html = page_.get_data(as_text=True)
    assert "govuk-error-summary" in html and "<script>alert(1)</script>" not in html
    with app.app_context():
        assert db.session.scalar(select(CheckIn.answered_at).where(CheckIn.referral_id == offered["referral"].id,
                                                                    CheckIn.weeks == 0)) is None


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["coping", "safety", "wellbeing", "confidence", "daily_life", "other"]),
                       st.text(max_size=12), max_size=4))
@example({"coping": "\r"})  # a line break alone got past the validators and crashed the page, once
def test_any_post_is_saved_or_refused_on_the_page(app, offered, data):
    """Whatever is posted, the answer is one of the scale's points or the page explains; never a 500."""
    response = offered["clients"]["witness"].post(url(offered), data=data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "govuk-error-summary" in response.get_data(as_text=True) or "already answered" in \
            response.get_data(as_text=True)


def test_unknown_weeks_are_not_found(app, offered):
    for weeks in (1, 4, 12, 52):  # 4 and 12 are not offered yet
        assert offered["clients"]["witness"].get(url(offered, weeks)).status_code == 404


# Figures and the data download -------------------------------------------------------------------------------------


def test_a_witness_s_answers_never_change_the_victims_figures(app, ctx, client, supervisor, make_user):  # noqa: F811
    """The victims' coping figures, worked out before and after witnesses on the same cases answer very differently
    (from 1 to 5 on every item), are the same, on the page and from the queries."""
    known_data()

    def figures():
        html = page(client, "/insight/experience?by=support_level")
        return (table(html, "coping-comparison-by-support"), table(html, "coping-change-by-support-level"),
                queries.coping_change(Filters()), comparison.coping_comparison(Filters()))

    before = figures()
    victims = db.session.scalars(select(Referral).where(Referral.sent_at.is_not(None))).all()
    for number, referral in enumerate(victims):
        link = WitnessLink(report_id=referral.report_id, invited_email=f"w{number}@example.org",
                           code_hash=f"{number:064d}", code_expires_at=utcnow(),
                           witness_user_id=make_user().id, linked_at=utcnow())
        db.session.add(link)
        db.session.flush()
        own = Referral(reference=f"RF-W{number:05d}", report_id=referral.report_id, witness_link_id=link.id,
                       organisation_id=referral.organisation_id, service_id=referral.service_id,
                       status=ReferralStatus.CLOSED, support_level=referral.support_level, sent_at=referral.sent_at)
        db.session.add(own)
        db.session.flush()
        for weeks, score in ((0, 1), (12, 5)):
            db.session.add(CheckIn(referral_id=own.id, report_id=own.report_id, witness_link_id=link.id,
                                   organisation_id=own.organisation_id, support_level=own.support_level,
                                   weeks=weeks, due_at=own.sent_at + timedelta(weeks=weeks), invited_at=own.sent_at,
                                   answered_at=own.sent_at + timedelta(weeks=weeks), coping=score, safety=score,
                                   wellbeing=score, confidence=score, daily_life=score))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(CheckIn).where(
        CheckIn.witness_link_id.is_not(None), CheckIn.answered_at.is_not(None))) == 2 * len(victims)
    assert figures() == before


def test_the_witness_s_download_has_their_check_ins_and_the_victim_s_does_not(app, offered):
    witness = offered["clients"]["witness"]
    assert witness.post(url(offered), data={"coping": "2", "wellbeing": "4"}).status_code == 302
    data = json.loads(witness.get("/account/data/download.json").get_data(as_text=True))
    case = next(c for c in data["witness_cases"] if c["crime_number"] == offered["number"])
    answered = [c for c in case["check_ins"] if c["answered_at"]]
    assert [(c["weeks"], c["coping"], c["wellbeing"], c["referral"]) for c in answered] == [
        (0, 2, 4, offered["referral"].reference)]
    assert [c["weeks"] for c in case["check_ins"]] == [0, 4, 12]
    victim = json.loads(offered["clients"]["victim"].get("/account/data/download.json").get_data(as_text=True))
    report = next(r for r in victim["reports"] if r["crime_number"] == offered["number"])
    assert report["check_ins"] == []
    pdf = witness.get("/account/data/download.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
