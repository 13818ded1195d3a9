"""Satisfaction surveys and cope-and-recover check-ins: who is asked what and when, and answering them."""

import re
import threading
from datetime import timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.enums import CaseStatus
from portal.cases.models import Report, TimelineEvent
from portal.cases.timeline import add_timeline_event
from portal.clock import utcnow
from portal.extensions import db
from portal.support import referrals
from portal.support.models import Consent
from portal.surveys import schedule
from portal.surveys.models import CheckIn, Survey, SurveyKind
from tests.conftest import outbox_rows, sign_in_as
from tests.pagecheck import assert_good_page, h1_text
from tests.support_helpers import make_organisation, make_service
from tests.triage_helpers import make_report
from tests.wizard import error_messages as raw_error_messages

SURVEY_ANSWERS = {"overall": "4", "kept_informed": "2", "treated_fairly": "5", "ease_of_reporting": "3",
                  "comment": "The officer was kind."}
CHECK_IN_ANSWERS = {"coping": "2", "safety": "3", "wellbeing": "2", "confidence": "1", "daily_life": "4"}
HOSTILE = ["9", "0", "-1", "abc", "' OR 1=1 --", "<script>alert(1)</script>", "3.5", "\u202e5", "5" * 500]


# Helpers --------------------------------------------------------------------------------------------------------


def text_of(response) -> str:
    """The page's visible text."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def error_messages(response) -> list[str]:
    """The field error messages on a page."""
    return [message.removeprefix("Error: ") for message in raw_error_messages(response)]


def update_report(app, crime_number: str, **fields) -> None:
    """Change a report's fields directly, as the triage and tracking services would have."""
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        for name, value in fields.items():
            setattr(report, name, value)
        db.session.commit()


def decided(app, crime_number: str, at=None, status=CaseStatus.UNDER_INVESTIGATION) -> None:
    """The triage decision was made (at the given time)."""
    update_report(app, crime_number, status=status, triaged_at=at or utcnow() - timedelta(hours=1))


def closed(app, crime_number: str, at=None) -> None:
    """The case was closed, with the closing update on the victim's timeline."""
    at = at or utcnow() - timedelta(minutes=30)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        report.status = CaseStatus.CLOSED
        report.triaged_at = report.triaged_at or at
        event = add_timeline_event(report.id, "update", "Your case is now closed", victim=True)
        event.occurred_at = at
        db.session.commit()


def send(app, now=None) -> schedule.SendCounts:
    """Run the job once."""
    with app.app_context():
        try:
            return schedule.send_due(now)
        finally:
            db.session.remove()


def surveys(app) -> list[tuple[str, SurveyKind]]:
    """Every survey row as (crime number, kind)."""
    with app.app_context():
        return [(number, kind) for number, kind in db.session.execute(
            select(Report.crime_number, Survey.kind).join(Report, Report.id == Survey.report_id)
            .order_by(Survey.id))]


def check_ins(app) -> list[CheckIn]:
    """Every check-in row, detached."""
    with app.app_context():
        rows = db.session.scalars(select(CheckIn).order_by(CheckIn.weeks, CheckIn.id)).all()
        db.session.expunge_all()
        return rows


def invitations_sent(app, template: str) -> list:
    """The invitation emails in the outbox."""
    return [message for message in outbox_rows(app) if message.template == template]


@pytest.fixture
def victim(make_user) -> User:
    """A victim with an active account."""
    return make_user(Role.VICTIM)


def refer(app, user: User, crime_number: str, *, sent_at=None, level: str = "contact", organisation=None):
    """Refer the case with the victim's consent (through the referral service); returns (referral id, sent_at)."""
    with app.app_context():
        org = make_organisation(organisation or f"Charity {utcnow().timestamp()}")
        service = make_service(org)
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        referral = referrals.refer_with_consent(db.session.get(User, user.id), report, service, level,
                                                ["category_and_dates"])
        if sent_at is not None:
            referral.sent_at = sent_at
            db.session.commit()
        return referral.id, referral.sent_at


# The schedule: surveys ---------------------------------------------------------------------------------------------


def test_the_after_decision_survey_comes_only_after_the_triage_decision(app, victim):
    """Nothing before triage; after it, one survey and one neutral email to the account's address."""
    crime_number = make_report(app, victim)
    assert send(app).surveys == 0
    assert surveys(app) == []

    decided(app, crime_number)
    counts = send(app)
    assert (counts.surveys, counts.emails) == (1, 1)
    assert surveys(app) == [(crime_number, SurveyKind.AFTER_DECISION)]
    [email] = invitations_sent(app, "survey_invite")
    assert email.recipient == victim.email
    assert email.subject == "Tell us what you think"


def test_the_closure_survey_comes_only_once_the_case_is_closed(app, client, victim):
    """An open case gets the decision survey; the closure survey waits for closure."""
    crime_number = make_report(app, victim)
    decided(app, crime_number)
    send(app)
    update_report(app, crime_number, status=CaseStatus.CHARGED)
    assert send(app).surveys == 0

    closed(app, crime_number)
    counts = send(app)
    assert (counts.surveys, counts.emails) == (1, 1)
    assert surveys(app) == [(crime_number, SurveyKind.AFTER_DECISION), (crime_number, SurveyKind.AT_CLOSURE)]
    assert len(invitations_sent(app, "survey_invite")) == 2
    sign_in_as(client, victim)
    page = client.get(f"/cases/{crime_number}/surveys/at_closure")
    assert page.status_code == 200
    assert_good_page(page)
    assert "Your case is closed" in text_of(page)


def test_a_case_decided_and_closed_before_we_asked_gets_only_the_closure_survey(app, victim):
    """Information-only or duplicate: the decision closed the case, so one event, one survey, even if reopened."""
    crime_number = make_report(app, victim)
    closed(app, crime_number)
    assert send(app).surveys == 1
    update_report(app, crime_number, status=CaseStatus.UNDER_INVESTIGATION)
    assert send(app).surveys == 0
    assert surveys(app) == [(crime_number, SurveyKind.AT_CLOSURE)]
    assert len(invitations_sent(app, "survey_invite")) == 1


def test_old_decisions_and_closures_are_not_asked_about(app, victim):
    """A decision or closure from weeks ago (a missed run, or the first run) is not surveyed."""
    long_ago = utcnow() - schedule.OFFER_WINDOW - timedelta(days=1)
    decided_long_ago = make_report(app, victim)
    decided(app, decided_long_ago, at=long_ago)
    closed_long_ago = make_report(app, victim)
    closed(app, closed_long_ago, at=long_ago)
    with app.app_context():  # the whole case is old: it was reported before it was closed
        db.session.execute(update(TimelineEvent).values(occurred_at=long_ago - timedelta(days=1))
                           .where(TimelineEvent.occurred_at > long_ago))
        db.session.commit()
    assert send(app).surveys == 0
    assert invitations_sent(app, "survey_invite") == []


def test_running_twice_asks_once(app, victim):
    """The job is idempotent: a second run offers and sends nothing."""
    crime_number = make_report(app, victim)
    decided(app, crime_number)
    first, second = send(app), send(app)
    assert (first.surveys, first.emails) == (1, 1)
    assert (second.surveys, second.check_ins, second.emails) == (0, 0, 0)
    assert len(surveys(app)) == 1
    assert len(invitations_sent(app, "survey_invite")) == 1


def test_a_run_working_from_a_stale_list_does_not_ask_again(app, victim, monkeypatch):
    """Two runs that both read the same due cases: the second's guarded insert adds nothing and sends nothing."""
    crime_number = make_report(app, victim)
    decided(app, crime_number)
    with app.app_context():
        stale = schedule._due_surveys(SurveyKind.AFTER_DECISION, utcnow(), 500)
        stale_ids = [report.id for report, _account in stale]
        db.session.remove()
    assert send(app).surveys == 1

    real = schedule._due_surveys

    def stale_list(kind, now, limit):
        if kind != SurveyKind.AFTER_DECISION:
            return real(kind, now, limit)
        return list(db.session.execute(select(Report, User).join(User, User.id == Report.reporter_user_id)
                                       .where(Report.id.in_(stale_ids))).tuples())

    monkeypatch.setattr(schedule, "_due_surveys", stale_list)
    counts = send(app)
    assert (counts.surveys, counts.emails) == (0, 0)
    assert len(surveys(app)) == 1
    assert len(invitations_sent(app, "survey_invite")) == 1


# Threads each take their own connection and must see each other's commits.
@pytest.mark.commits
def test_two_runs_at_the_same_time_ask_once(app, make_user):
    """Two sessions run the job at once: every case is offered exactly one survey and sent one email."""
    numbers = []
    for _ in range(4):
        number = make_report(app, make_user(Role.VICTIM))
        decided(app, number)
        numbers.append(number)
    barrier = threading.Barrier(2, timeout=30)
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                barrier.wait()
                results.append(schedule.send_due())
                db.session.remove()
        except BaseException as error:  # handed back to the test
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sum(counts.surveys for counts in results) == 4
    assert sorted(surveys(app)) == sorted((number, SurveyKind.AFTER_DECISION) for number in numbers)
    assert len(invitations_sent(app, "survey_invite")) == 4


def test_no_email_when_email_is_not_a_safe_channel_but_the_case_page_offers_it(app, client, victim):
    """Safe contact forbids email: no email is queued; the survey waits on the case page for the next sign-in."""
    crime_number = make_report(app, victim, safe_channels=["phone"], contact_phone="07700900123")
    decided(app, crime_number)
    counts = send(app)
    assert (counts.surveys, counts.emails) == (1, 0)
    assert invitations_sent(app, "survey_invite") == []
    sign_in_as(client, victim)
    page = client.get(f"/cases/{crime_number}")
    assert "Tell us what you think" in text_of(page)
    assert f'href="/cases/{crime_number}/surveys/after_decision"' in page.get_data(as_text=True)


def test_quiet_hours_hold_the_invitation(app, victim):
    """The invitation goes through queue_for_reporter, so quiet hours delay it rather than drop it."""
    now = utcnow()
    london_hour = now.astimezone(ZoneInfo("Europe/London")).hour
    crime_number = make_report(app, victim)
    update_report(app, crime_number, quiet_from_hour=london_hour, quiet_until_hour=(london_hour + 2) % 24)
    decided(app, crime_number)
    send(app)
    [email] = invitations_sent(app, "survey_invite")
    assert email.next_attempt_at > now + timedelta(minutes=50)


def test_never_to_a_closed_account_nor_a_guest(app, make_user):
    """A deactivated account gets no survey and no email; nor does a report made without an account."""
    closed_account = make_user(Role.VICTIM, is_active_account=False)
    on_closed_account = make_report(app, closed_account)
    decided(app, on_closed_account)
    guest = make_report(app, None)
    decided(app, guest)
    closed(app, make_report(app, closed_account))
    assert send(app).surveys == 0
    assert surveys(app) == []
    assert invitations_sent(app, "survey_invite") == []


def test_not_for_safeguarding_cases(app, victim):
    """A case marked for safeguarding gets no survey and no check-in."""
    crime_number = make_report(app, victim)
    update_report(app, crime_number, safeguarding=True)
    decided(app, crime_number)
    refer(app, victim, crime_number)
    counts = send(app)
    assert (counts.surveys, counts.check_ins_created, counts.check_ins, counts.emails) == (0, 0, 0, 0)
    closed(app, crime_number)
    assert send(app).surveys == 0
    assert surveys(app) == [] and check_ins(app) == []


# The schedule: check-ins -------------------------------------------------------------------------------------------


def test_check_ins_fall_due_at_referral_and_after_4_and_12_weeks(app, victim):
    """Three check-ins copy the referral's organisation and level; each is offered when due, never before."""
    crime_number = make_report(app, victim)
    referral_id, sent_at = refer(app, victim, crime_number, level="specialist")

    counts = send(app, sent_at + timedelta(minutes=5))
    assert (counts.check_ins_created, counts.check_ins, counts.emails) == (3, 1, 1)
    rows = check_ins(app)
    with app.app_context():
        report_id = db.session.scalar(select(Report.id).where(Report.crime_number == crime_number))
        organisation_id = db.session.scalar(select(Consent.organisation_id))
    assert [(r.weeks, r.due_at) for r in rows] == [(0, sent_at), (4, sent_at + timedelta(weeks=4)),
                                                   (12, sent_at + timedelta(weeks=12))]
    assert {(r.referral_id, r.report_id, r.organisation_id, r.support_level) for r in rows} == {
        (referral_id, report_id, organisation_id, "specialist")}
    assert [r.invited_at is not None for r in rows] == [True, False, False]

    assert send(app, sent_at + timedelta(weeks=4) - timedelta(minutes=1)).check_ins == 0
    assert send(app, sent_at + timedelta(weeks=4)).check_ins == 1
    assert [r.invited_at is not None for r in check_ins(app)] == [True, True, False]
    assert send(app, sent_at + timedelta(weeks=12) - timedelta(minutes=1)).check_ins == 0
    assert send(app, sent_at + timedelta(weeks=12, hours=3)).check_ins == 1
    assert send(app, sent_at + timedelta(weeks=12, hours=4)).check_ins == 0
    assert [r.invited_at is not None for r in check_ins(app)] == [True, True, True]
    assert len(invitations_sent(app, "check_in_invite")) == 3


def test_a_check_in_missed_by_more_than_the_window_is_not_offered_late(app, victim):
    """If the job did not run, people are not asked weeks later how they were at referral."""
    crime_number = make_report(app, victim)
    _referral_id, sent_at = refer(app, victim, crime_number)
    counts = send(app, sent_at + timedelta(weeks=4, days=1))
    assert (counts.check_ins_created, counts.check_ins, counts.emails) == (3, 1, 1)
    assert [r.weeks for r in check_ins(app) if r.invited_at] == [4]


def test_two_referrals_and_a_survey_due_together_make_one_email(app, victim):
    """One email per case per run; everything due is offered on the case page."""
    crime_number = make_report(app, victim)
    refer(app, victim, crime_number, organisation="First charity")
    refer(app, victim, crime_number, organisation="Second charity")
    decided(app, crime_number)
    counts = send(app)
    assert (counts.surveys, counts.check_ins, counts.emails) == (1, 2, 1)
    assert len(invitations_sent(app, "survey_invite")) == 1
    assert invitations_sent(app, "check_in_invite") == []


def test_no_check_ins_once_consent_is_withdrawn_nor_for_a_closed_account(app, make_user):
    """Withdrawing consent stops check-ins not yet offered; a closed account gets none."""
    victim = make_user(Role.VICTIM)
    crime_number = make_report(app, victim)
    _referral_id, sent_at = refer(app, victim, crime_number)
    send(app, sent_at)
    with app.app_context():
        consent = db.session.scalar(select(Consent))
        referrals.withdraw_consent(db.session.get(User, victim.id), consent)
    assert send(app, sent_at + timedelta(weeks=4, hours=1)).check_ins == 0

    other = make_user(Role.VICTIM)
    other_case = make_report(app, other)
    _id, other_sent = refer(app, other, other_case)
    with app.app_context():
        db.session.get(User, other.id).is_active_account = False
        db.session.commit()
    counts = send(app, other_sent + timedelta(minutes=1))
    assert (counts.check_ins_created, counts.check_ins) == (0, 0)


def test_the_rules_as_plain_functions(app):
    """The due dates and rules the job follows."""
    sent = utcnow()
    assert [schedule.check_in_due_at(sent, weeks) for weeks in (0, 4, 12)] == [
        sent, sent + timedelta(days=28), sent + timedelta(days=84)]
    with pytest.raises(ValueError):
        schedule.check_in_due_at(sent, 6)
    assert schedule.may_ask(User(is_active_account=True), safeguarding=False)
    assert not schedule.may_ask(User(is_active_account=False), safeguarding=False)
    assert not schedule.may_ask(None, safeguarding=False)
    assert not schedule.may_ask(User(is_active_account=True), safeguarding=True)
    now = utcnow()
    due = dict(status=CaseStatus.UNDER_INVESTIGATION, triaged_at=now - timedelta(hours=1), last_update_at=now,
               now=now, asked=set())
    assert schedule.survey_due(SurveyKind.AFTER_DECISION, **due)
    assert not schedule.survey_due(SurveyKind.AFTER_DECISION, **{**due, "triaged_at": None})
    assert not schedule.survey_due(SurveyKind.AFTER_DECISION, **{**due, "asked": {SurveyKind.AFTER_DECISION}})
    assert not schedule.survey_due(SurveyKind.AFTER_DECISION, **{**due, "status": CaseStatus.CLOSED})
    assert not schedule.survey_due(SurveyKind.AT_CLOSURE, **due)
    assert schedule.survey_due(SurveyKind.AT_CLOSURE, **{**due, "status": CaseStatus.CLOSED})
    assert not schedule.survey_due(SurveyKind.AT_CLOSURE, **{**due, "status": CaseStatus.CLOSED,
                                                            "asked": {SurveyKind.AT_CLOSURE}})


def test_the_command_runs_the_job(app, victim):
    """`flask surveys send` offers what is due and says what it did."""
    from portal.commands import surveys_send

    decided(app, make_report(app, victim))
    result = app.test_cli_runner().invoke(surveys_send)
    assert result.exit_code == 0, result.output
    assert "offered 1 survey(s) and 0 check-in(s)" in result.output
    assert "emailed 1" in result.output


def test_the_emails_carry_no_case_details(app, victim):
    """No crime number, category, description or place: a neutral subject and a link to sign in."""
    crime_number = make_report(app, victim, description="Someone took my red Raleigh bicycle",
                               location="Outside Kentish Town station")
    decided(app, crime_number)
    refer(app, victim, crime_number, organisation="Northside Helpers")
    send(app)
    send(app, utcnow() + timedelta(weeks=4, minutes=5))
    messages = invitations_sent(app, "survey_invite") + invitations_sent(app, "check_in_invite")
    assert {m.template for m in messages} == {"survey_invite", "check_in_invite"}
    for message in messages:
        words = (message.subject + "\n" + message.body_text).lower()
        for detail in (crime_number, "bicycle", "raleigh", "kentish", "camden", "theft", "northside"):
            assert detail.lower() not in words, (detail, message.template)
        assert "/login" in message.body_text


# Answering -------------------------------------------------------------------------------------------------------


@pytest.fixture
def invited(app, client, victim):
    """A signed-in victim offered the after-decision survey and the first check-in; returns the crime number."""
    crime_number = make_report(app, victim)
    decided(app, crime_number)
    refer(app, victim, crime_number)
    send(app)
    sign_in_as(client, victim)
    return crime_number


def test_the_survey_page_is_short_plain_and_labels_every_option(app, client, invited):
    """Four optional questions with words on every option, a free-text question and a way to skip."""
    page = client.get(f"/cases/{invited}/surveys/after_decision")
    assert page.status_code == 200
    assert_good_page(page)
    assert h1_text(page) == "Tell us what you think"
    html, text = page.get_data(as_text=True), text_of(page)
    for name in ("overall", "kept_informed", "treated_fairly", "ease_of_reporting"):
        assert len(re.findall(rf'type="radio"[^>]*name="{name}"|name="{name}"[^>]*type="radio"', html)) == 5
    assert text.count("Very dissatisfied") == 4 and text.count("Very satisfied") == 4
    assert text.count("Neither satisfied nor dissatisfied") == 4
    assert 'name="comment"' in html
    assert "Skip this survey" in text
    assert "Every question is optional" in text


def test_answering_the_survey_saves_it_once_and_thanks_the_victim(app, client, invited, victim):
    """The answers are saved and audited; the prompt goes; a second visit says it is already answered."""
    response = client.post(f"/cases/{invited}/surveys/after_decision", data=SURVEY_ANSWERS)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{invited}")
    with app.app_context():
        survey = db.session.scalar(select(Survey))
        assert (survey.overall, survey.kept_informed, survey.treated_fairly, survey.ease_of_reporting) == (4, 2, 5, 3)
        assert survey.comment == "The officer was kind." and survey.answered_at is not None
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "survey.answered"))
        assert (audit.actor_id, audit.object_id, audit.detail) == (victim.id, invited, "after_decision")
    case_page = client.get(f"/cases/{invited}")
    assert "Thank you" in text_of(case_page)
    assert "/surveys/after_decision" not in case_page.get_data(as_text=True)

    again = client.get(f"/cases/{invited}/surveys/after_decision")
    assert again.status_code == 200
    assert_good_page(again)
    assert h1_text(again) == "Thank you, you have already answered"
    second = client.post(f"/cases/{invited}/surveys/after_decision", data={"overall": "1"})
    assert second.status_code == 200 and "already answered" in text_of(second)
    with app.app_context():
        assert db.session.scalar(select(Survey.overall)) == 4


def test_some_answers_are_enough(app, client, invited):
    """Every question is optional: one answer on its own is saved, the rest stay empty."""
    assert client.post(f"/cases/{invited}/surveys/after_decision", data={"treated_fairly": "1"}).status_code == 302
    with app.app_context():
        survey = db.session.scalar(select(Survey))
        assert (survey.overall, survey.treated_fairly, survey.comment) == (None, 1, None)


def test_an_empty_survey_is_not_saved(app, client, invited):
    """Sending nothing explains how to skip instead, and records no answer."""
    response = client.post(f"/cases/{invited}/surveys/after_decision", data={"comment": "   "})
    assert response.status_code == 200
    assert_good_page(response)
    assert re.search(r"<title>\s*Error: Tell us what you think", response.get_data(as_text=True))
    assert error_messages(response) == [
        "Answer at least one question. If you would rather not, you can skip this survey"]
    with app.app_context():
        assert db.session.scalar(select(Survey.answered_at)) is None


@pytest.mark.parametrize("value", HOSTILE)
def test_invalid_or_hostile_answers_get_a_clear_error(app, client, invited, value):
    """A value that is not an option is refused on the page, never a crash, and nothing is saved."""
    response = client.post(f"/cases/{invited}/surveys/after_decision", data={**SURVEY_ANSWERS, "kept_informed": value})
    assert response.status_code == 200
    assert error_messages(response) == ["Select one of the answers"]
    assert_good_page(response)
    check = client.post(f"/cases/{invited}/check-ins/0", data={**CHECK_IN_ANSWERS, "safety": value})
    assert check.status_code == 200
    assert error_messages(check) == ["Select one of the answers"]
    with app.app_context():
        assert db.session.scalar(select(Survey.answered_at)) is None
        assert db.session.scalar(select(func.count(CheckIn.id)).where(CheckIn.answered_at.is_not(None))) == 0


@pytest.mark.parametrize("blank", [" ", "\r", "\r\n", "\t "])
def test_a_blank_answer_is_a_question_left_out(app, client, invited, blank):
    """Spaces or a line break where an answer goes (a crafted post) count as not answered, never a crash: the
    other answers are kept."""
    response = client.post(f"/cases/{invited}/surveys/after_decision", data={**SURVEY_ANSWERS, "kept_informed": blank})
    assert response.status_code == 302
    check = client.post(f"/cases/{invited}/check-ins/0", data={**CHECK_IN_ANSWERS, "safety": blank})
    assert check.status_code == 302
    with app.app_context():
        survey = db.session.scalar(select(Survey))
        assert survey.answered_at is not None and survey.kept_informed is None
        assert survey.overall == int(SURVEY_ANSWERS["overall"])
        check_in = db.session.scalar(select(CheckIn).where(CheckIn.answered_at.is_not(None)))
        assert check_in.safety is None and check_in.coping == int(CHECK_IN_ANSWERS["coping"])


def test_an_oversized_or_hostile_comment(app, client, invited):
    """Too long is refused with the limit; markup is kept as plain text and never run."""
    too_long = client.post(f"/cases/{invited}/surveys/after_decision", data={"comment": "a" * 2001})
    assert too_long.status_code == 200
    assert error_messages(too_long) == ["Your answer must be 2000 characters or fewer"]
    hostile = "<script>alert(1)</script>\x00 Robert'); DROP TABLE surveys;--"
    assert client.post(f"/cases/{invited}/surveys/after_decision", data={"comment": hostile}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Survey.comment)) == "<script>alert(1)</script> Robert'); DROP TABLE surveys;--"


def test_a_post_without_the_csrf_token_is_refused(app, client, invited):
    """A forged form post changes nothing."""
    response = client.post(f"/cases/{invited}/surveys/after_decision", data={"overall": "5"}, csrf=False)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Survey.answered_at)) is None


def test_the_check_in_page_and_answering_it(app, client, invited, victim):
    """Five optional items with words on every option; the answer is saved once, with the referral's details."""
    page = client.get(f"/cases/{invited}/check-ins/0")
    assert page.status_code == 200
    assert_good_page(page)
    assert h1_text(page) == "How are you getting on?"
    html = page.get_data(as_text=True)
    for name in ("coping", "safety", "wellbeing", "confidence", "daily_life"):
        assert len(re.findall(rf'name="{name}"[^>]*type="radio"|type="radio"[^>]*name="{name}"', html)) == 5
    assert "Very unsafe" in text_of(page) and "Not at all confident" in text_of(page)

    response = client.post(f"/cases/{invited}/check-ins/0", data=CHECK_IN_ANSWERS)
    assert response.status_code == 302
    [answered, *_later] = check_ins(app)
    assert (answered.coping, answered.safety, answered.wellbeing, answered.confidence, answered.daily_life) == (
        2, 3, 2, 1, 4)
    assert answered.support_level == "contact"
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "check_in.answered")) == (
            "0 weeks")
    again = client.post(f"/cases/{invited}/check-ins/0", data={"coping": "5"})
    assert again.status_code == 200 and h1_text(again) == "Thank you, you have already answered"
    assert check_ins(app)[0].coping == 2
    empty = client.post(f"/cases/{invited}/check-ins/0", data={})
    assert empty.status_code == 200


def test_an_empty_check_in_is_not_saved(app, client, invited):
    """Nothing chosen: a clear message, nothing recorded."""
    response = client.post(f"/cases/{invited}/check-ins/0", data={})
    assert response.status_code == 200
    assert_good_page(response)
    assert error_messages(response) == [
        "Answer at least one question. If you would rather not, you can skip this for now"]


def test_the_case_page_prompts_for_each_unanswered_invitation(app, client, invited):
    """A short prompt links to each survey and to the latest check-in, and goes once answered."""
    page = client.get(f"/cases/{invited}")
    assert_good_page(page)
    html = page.get_data(as_text=True)
    assert f'href="/cases/{invited}/surveys/after_decision"' in html
    assert f'href="/cases/{invited}/check-ins/0"' in html
    assert "How are you getting on?" in html
    client.post(f"/cases/{invited}/check-ins/0", data=CHECK_IN_ANSWERS)
    client.post(f"/cases/{invited}/surveys/after_decision", data=SURVEY_ANSWERS)
    page = client.get(f"/cases/{invited}")
    assert_good_page(page)
    assert 'id="invitations"' not in page.get_data(as_text=True)


@pytest.mark.parametrize("path", ["surveys/at_closure", "surveys/nonsense", "surveys/" + "x" * 300,
                                  "check-ins/4", "check-ins/5", "check-ins/-1", "check-ins/abc",
                                  "check-ins/99999999999999999999"])
def test_no_invitation_is_not_found(app, client, invited, path):
    """A survey or check-in that was not offered (or does not exist) is 'not found', for GET and POST."""
    assert client.get(f"/cases/{invited}/{path}").status_code == 404
    assert client.post(f"/cases/{invited}/{path}", data={"overall": "5", "coping": "5"}).status_code == 404


def test_another_victim_gets_not_found(app, client, invited, make_user):
    """Someone else's invitation is 'not found', and nothing of theirs is changed."""
    sign_in_as(client, make_user(Role.VICTIM))
    for path in ("surveys/after_decision", "check-ins/0"):
        assert client.get(f"/cases/{invited}/{path}").status_code == 404
        assert client.post(f"/cases/{invited}/{path}", data={**SURVEY_ANSWERS, **CHECK_IN_ANSWERS}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Survey.answered_at)) is None


@pytest.mark.parametrize("role", [Role.WITNESS, Role.OFFICER, Role.PARTNER, Role.ADMIN])
def test_only_victims_answer(app, client, invited, make_user, role):
    """Other roles are refused."""
    sign_in_as(client, make_user(role))
    assert client.get(f"/cases/{invited}/surveys/after_decision").status_code == 403
    assert client.post(f"/cases/{invited}/check-ins/0", data=CHECK_IN_ANSWERS).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(app, invited):
    """Not signed in: to the sign-in page."""
    response = app.test_client().get(f"/cases/{invited}/surveys/after_decision")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_answering_through_the_service_refuses_bad_values(app, invited, victim):
    """The service checks again: out-of-scale, wrong types and unknown survey kinds are refused."""
    from portal.domain import DomainError
    from portal.surveys import services

    with app.app_context():
        user = db.session.get(User, victim.id)
        report = db.session.scalar(select(Report).where(Report.crime_number == invited))
        for bad in (0, 6, "3", True, 2.5):
            with pytest.raises(DomainError):
                services.answer_survey(user, report, "after_decision", {"overall": bad})
        with pytest.raises(DomainError):
            services.answer_survey(user, report, "nonsense", {"overall": 3})
        with pytest.raises(DomainError):
            services.answer_check_in(user, report, 7, {"coping": 3})
        with pytest.raises(DomainError):
            services.answer_survey(user, report, "after_decision", {}, "x" * 2001)
        stranger = User(id=0, email="x@example.org", role=Role.VICTIM)
        with pytest.raises(DomainError):
            services.answer_survey(stranger, report, "after_decision", {"overall": 3})
        assert db.session.scalar(select(Survey.answered_at)) is None
