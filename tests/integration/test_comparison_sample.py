"""The comparison sample (issue 24): a random tenth of the victims who were not referred get the 0, 4 and 12-week
check-ins, drawn once, never for a closed or deactivated account, an unsafe channel, a safeguarding case or
someone already referred; their check-ins are offered and answered as a referral's are."""

import math
import random
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.enums import CaseStatus
from portal.cases.models import Report
from portal.clock import utcnow
from portal.extensions import db
from portal.surveys import schedule
from portal.surveys.models import CheckIn, ComparisonDraw
from tests.conftest import sign_in_as
from tests.integration.test_surveys import (
    CHECK_IN_ANSWERS,
    check_ins,
    decided,
    invitations_sent,
    refer,
    text_of,
    update_report,
)
from tests.pagecheck import assert_good_page
from tests.triage_helpers import make_report


@pytest.fixture
def victim(make_user) -> User:
    return make_user(Role.VICTIM)


@pytest.fixture
def sample(app, monkeypatch):
    """Set the share of eligible cases chosen, for this test only."""

    def _set(rate: float) -> None:
        monkeypatch.setitem(app.config, "COMPARISON_SAMPLE_RATE", rate)

    return _set


def run(app, now=None, seed: int = 24, limit: int = schedule.BATCH) -> schedule.SendCounts:
    """The job once, with a seeded random source."""
    with app.app_context():
        try:
            return schedule.send_due(now, limit=limit, rng=random.Random(seed))
        finally:
            db.session.remove()


def draws(app) -> list[tuple[str, bool]]:
    """Every draw as (crime number, chosen), in the order the cases were reported (and drawn)."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(Report.crime_number, ComparisonDraw.chosen).join(Report, Report.id == ComparisonDraw.report_id)
            .order_by(Report.id))]


def copies_of(app, crime_number: str, how_many: int) -> None:
    """Many more eligible cases like this one (the rows copied with new crime numbers), quickly."""
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        values = {column.key: getattr(report, attribute.key)
                  for attribute in db.inspect(Report).column_attrs for column in attribute.columns
                  if column.key != "id"}
        rows = [{**values, "crime_number": f"CMP-{index:07d}"} for index in range(how_many)]
        for start in range(0, how_many, 500):
            db.session.execute(insert(Report), rows[start:start + 500])
        db.session.commit()


# Who is drawn ----------------------------------------------------------------------------------------------------


def test_about_a_tenth_of_4000_eligible_cases_are_chosen_each_drawn_once(app, sample, victim):
    """Over 4,000 eligible cases the share chosen is within four standard deviations of 10%; every case is drawn
    exactly once, and a second run draws nobody and changes nothing."""
    sample(0.10)
    crime_number = make_report(app, victim)
    decided(app, crime_number)
    copies_of(app, crime_number, 3999)
    eligible = 4000

    counts = run(app, limit=eligible + 100, seed=2024)
    drawn = draws(app)
    chosen = sum(1 for _number, was_chosen in drawn if was_chosen)
    assert counts.drawn == len(drawn) == len({number for number, _chosen in drawn}) == eligible
    spread = 4 * math.sqrt(eligible * 0.10 * 0.90)
    assert abs(chosen - eligible * 0.10) <= spread, chosen
    assert counts.chosen == chosen

    again = run(app, limit=eligible + 100, seed=7)
    assert (again.drawn, again.chosen) == (0, 0)
    assert draws(app) == drawn
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 3 * chosen


def test_the_random_source_alone_decides_who_is_chosen(app, sample, victim):
    """The random source decides (and a seeded one repeats itself): the draw is not by crime number or order."""
    sample(0.5)
    crime_number = make_report(app, victim)
    decided(app, crime_number)
    copies_of(app, crime_number, 59)
    run(app, seed=1, limit=100)
    first = draws(app)
    source = random.Random(1)
    expected = [source.random() < 0.5 for _ in range(60)]
    assert [chosen for _number, chosen in first] == expected
    assert 0 < sum(expected) < 60

def test_never_drawn_closed_deactivated_unsafe_safeguarding_referred_undecided_or_stale(app, sample, make_user):
    """With every case chosen, only the one eligible case is drawn."""
    sample(1.0)
    now = utcnow()
    eligible_victim = make_user(Role.VICTIM)
    eligible = make_report(app, eligible_victim)
    decided(app, eligible)

    deactivated_account = make_user(Role.VICTIM, is_active_account=False)
    deactivated = make_report(app, deactivated_account)
    decided(app, deactivated)

    closed_account = make_user(Role.VICTIM)
    closed = make_report(app, closed_account)
    decided(app, closed)
    update_report(app, closed, reporter_user_id=None)  # what closing an account does to its cases

    guest = make_report(app, None)
    decided(app, guest)

    unsafe_victim = make_user(Role.VICTIM)
    phone_only = make_report(app, unsafe_victim, safe_channels=["phone"])
    decided(app, phone_only)
    no_channel = make_report(app, unsafe_victim)
    decided(app, no_channel)
    update_report(app, no_channel, safe_channels=[])
    text_without_mobile = make_report(app, unsafe_victim)
    decided(app, text_without_mobile)
    update_report(app, text_without_mobile, safe_channels=["text"], contact_phone="020 7946 0000")

    other = make_user(Role.VICTIM)
    safeguarding = make_report(app, other)
    decided(app, safeguarding)
    update_report(app, safeguarding, safeguarding=True)
    referred = make_report(app, other)
    decided(app, referred)
    refer(app, other, referred)
    undecided = make_report(app, other)
    stale = make_report(app, other)
    decided(app, stale, at=now - schedule.OFFER_WINDOW - timedelta(hours=1))

    counts = run(app, now)
    assert draws(app) == [(eligible, True)]
    assert counts.drawn == counts.chosen == 1
    assert run(app, now + timedelta(hours=1)).drawn == 0
    assert draws(app) == [(eligible, True)]
    del undecided


def test_a_case_not_chosen_is_never_drawn_again(app, sample, victim):
    """Not chosen once is not chosen: the draw is final, whatever the random source says next time."""
    sample(0.0)
    crime_number = make_report(app, victim)
    decided(app, crime_number)
    run(app)
    assert draws(app) == [(crime_number, False)]
    sample(1.0)
    assert run(app).drawn == 0
    assert draws(app) == [(crime_number, False)]
    assert check_ins(app) == []


# The chosen case's check-ins ---------------------------------------------------------------------------------------


def test_a_chosen_case_is_checked_in_with_at_0_4_and_12_weeks_like_a_referral(app, sample, client, victim):
    """The three check-ins fall due from the draw, each offered once by a neutral email, and answered on the case
    page as a referral's are; no organisation or level is recorded."""
    sample(1.0)
    crime_number = make_report(app, victim)
    decided(app, crime_number)
    now = utcnow()
    counts = run(app, now)
    assert (counts.drawn, counts.chosen, counts.check_ins_created, counts.check_ins, counts.emails) == (1, 1, 3, 1, 1)
    rows = check_ins(app)
    assert [(row.weeks, row.due_at) for row in rows] == [(0, now), (4, now + timedelta(weeks=4)),
                                                         (12, now + timedelta(weeks=12))]
    assert {(row.referral_id, row.organisation_id, row.support_level) for row in rows} == {(None, None, None)}
    assert all(row.draw_id is not None for row in rows)
    # One email per case per run: the survey after the decision is due too, and both wait on the case page.
    assert len(invitations_sent(app, "survey_invite")) == 1

    sign_in_as(client, victim)
    case_page = client.get(f"/cases/{crime_number}")
    assert f"/cases/{crime_number}/check-ins/0" in case_page.get_data(as_text=True)
    form_page = client.get(f"/cases/{crime_number}/check-ins/0")
    assert_good_page(form_page)
    assert "people who were not referred for support" in text_of(form_page)
    assert "You were referred" not in text_of(form_page)
    response = client.post(f"/cases/{crime_number}/check-ins/0", data=CHECK_IN_ANSWERS)
    assert response.status_code == 302
    answered = check_ins(app)[0]
    assert (answered.coping, answered.daily_life) == (2, 4) and answered.answered_at is not None
    assert "you have already answered" in text_of(client.get(f"/cases/{crime_number}/check-ins/0"))

    assert run(app, now + timedelta(weeks=4) - timedelta(minutes=1)).check_ins == 0
    assert run(app, now + timedelta(weeks=4, minutes=1)).check_ins == 1
    assert run(app, now + timedelta(weeks=12, minutes=1)).check_ins == 1
    assert [row.invited_at is not None for row in check_ins(app)] == [True, True, True]
    assert len(invitations_sent(app, "check_in_invite")) == 2


def test_no_more_check_ins_once_the_account_is_deactivated(app, sample, victim):
    """Check-ins stop when the account is deactivated, as a referral's do."""
    sample(1.0)
    crime_number = make_report(app, victim)
    decided(app, crime_number)
    now = utcnow()
    run(app, now)
    with app.app_context():
        db.session.get(User, victim.id).is_active_account = False
        db.session.commit()
    assert run(app, now + timedelta(weeks=4, minutes=1)).check_ins == 0
    assert [row.invited_at is not None for row in check_ins(app)] == [True, False, False]


def test_someone_referred_after_the_draw_leaves_the_comparison(app, sample, client, victim):
    """Once a referral is sent, the comparison check-ins not yet answered are neither offered nor answerable; the
    referral brings its own."""
    sample(1.0)
    crime_number = make_report(app, victim)
    decided(app, crime_number)
    now = utcnow()
    run(app, now)
    referral_id, sent_at = refer(app, victim, crime_number)
    sign_in_as(client, victim)
    # The offered comparison check-in at 0 weeks is replaced by the referral's, once that is offered.
    counts = run(app, sent_at + timedelta(minutes=1))
    assert (counts.check_ins_created, counts.check_ins) == (3, 1)
    client.post(f"/cases/{crime_number}/check-ins/0", data=CHECK_IN_ANSWERS)
    rows = check_ins(app)
    answered = [(row.referral_id, row.draw_id is not None) for row in rows if row.answered_at is not None]
    assert answered == [(referral_id, False)]

    assert run(app, now + timedelta(weeks=4, minutes=2)).check_ins == 1  # the referral's, not the draw's
    offered = [(row.weeks, row.referral_id) for row in check_ins(app) if row.invited_at is not None]
    assert sorted(offered, key=lambda item: (item[0], item[1] or 0)) == [(0, None), (0, referral_id),
                                                                           (4, referral_id)]


def test_the_job_command_reports_the_draw(app, sample, victim):
    """The draw runs in the ordinary survey job (`flask surveys send`)."""
    from portal.commands import surveys_send

    sample(1.0)
    decided(app, make_report(app, victim), status=CaseStatus.UNDER_INVESTIGATION)
    result = app.test_cli_runner().invoke(surveys_send)
    assert result.exit_code == 0, result.output
    assert "drew 1 case(s) for the comparison, 1 chosen" in result.output


def test_the_data_download_holds_the_comparison_check_ins(app, sample, client, victim):
    """The check-ins without a referral are in the person's download, named for what they are."""
    import io

    from pypdf import PdfReader

    sample(1.0)
    crime_number = make_report(app, victim)
    decided(app, crime_number)
    run(app)
    sign_in_as(client, victim)
    client.post(f"/cases/{crime_number}/check-ins/0", data=CHECK_IN_ANSWERS)
    [report] = client.get("/account/data/download.json").get_json()["reports"]
    assert [(item["weeks"], item["coping"], item["referral"]) for item in report["check_ins"]] == [
        (0, 2, None), (4, None, None), (12, None, None)]
    pdf = client.get("/account/data/download.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Check-in 0 weeks after we first asked how you were coping" in text


# Threads each take their own connection and must see each other's commits.
@pytest.mark.commits
def test_two_runs_at_the_same_time_draw_each_case_once(app, sample, make_user):
    """Two sessions run the job at once, each with its own random source: every case has one draw, and a chosen
    case three check-ins, whichever session drew it."""
    import threading

    sample(0.5)
    numbers = []
    for _ in range(6):
        number = make_report(app, make_user(Role.VICTIM))
        decided(app, number)
        numbers.append(number)
    barrier = threading.Barrier(2, timeout=30)
    results, errors = [], []

    def job(seed: int):
        try:
            with app.app_context():
                barrier.wait()
                results.append(schedule.send_due(rng=random.Random(seed)))
                db.session.remove()
        except BaseException as error:  # handed back to the test
            errors.append(error)

    threads = [threading.Thread(target=job, args=(seed,)) for seed in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    drawn = draws(app)
    assert sorted(number for number, _chosen in drawn) == sorted(numbers)
    assert sum(counts.drawn for counts in results) == 6
    chosen = sum(1 for _number, was_chosen in drawn if was_chosen)
    assert sum(counts.chosen for counts in results) == chosen
    with app.app_context():
        per_draw = db.session.execute(select(CheckIn.draw_id, func.count()).group_by(CheckIn.draw_id)).all()
    assert len(per_draw) == chosen and all(count == 3 for _draw, count in per_draw)
