"""The staff pages run a fixed, small number of SQL statements however many cases there are."""

from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import func, select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.crime_numbers import format_crime_number, parse_crime_number
from portal.cases.enums import CaseStatus, DeadlineKind
from portal.cases.models import CrimeNumberSequence, Report, TimelineEvent, VictimsCodeDeadline
from portal.cases.sequence import next_sequence_value
from portal.clock import utcnow
from portal.devtools.generator import SYNTHETIC_ORGANISATIONS, generate_cases
from portal.equality.models import CHARACTERISTICS, PREFER_NOT_TO_SAY, EqualityRecord
from portal.extensions import db
from portal.support.enums import ReferralStatus
from portal.support.models import Consent, Organisation, Referral, SupportService
from portal.surveys.models import CHECK_IN_WEEKS, CheckIn, Survey, SurveyKind
from tests.sql_counting import counting_statements

# Statements per request, measured with 300 generated cases (the same on SQLite and PostgreSQL). A page may never
# exceed its ceiling, and must run exactly as many statements again once there are six times as many cases.
# Queue: user, count, page of reports, overdue deadlines, unread messages, [claimers' names], headline counts,
# categories.
# Case: user, report, audit insert, report reloaded after the commit, timeline, deadlines, audit trail, names,
# unread messages, active officers, property items, evidence, and (+3, the support section) the latest needs
# assessment, referrals and consents.
# The Camden repeat-victim queue of received cases is empty at these sizes (no deadline or names lookups), so
# the same filter over every status is checked too, where rows are listed.
QUEUE = "/staff/triage"
QUEUE_ALL_PAGE_3 = "/staff/triage?status=all&page=3"
QUEUE_CAMDEN_REPEAT = "/staff/triage?borough=Camden&risk=repeat_victim"
QUEUE_CAMDEN_REPEAT_ALL = "/staff/triage?borough=Camden&risk=repeat_victim&status=all"
CEILINGS = {QUEUE: 7, QUEUE_ALL_PAGE_3: 8, QUEUE_CAMDEN_REPEAT: 5, QUEUE_CAMDEN_REPEAT_ALL: 8, "case": 14}


def _generate(app, count: int, seed: int = 1) -> None:
    """Run the generator command for count more cases."""
    result = app.test_cli_runner().invoke(generate_cases, ["--count", str(count), "--seed", str(seed),
                                                           "--batch", "500"])
    assert result.exit_code == 0, result.output
    assert f"generated {count} cases in" in result.output


def _statements(client, app, url: str) -> int:
    """GET a page (it must be 200) and return how many statements the request ran."""
    with counting_statements(app) as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


def _rows_shown(client, url: str) -> int:
    """How many case links a queue page lists."""
    return client.get(url).get_data(as_text=True).count('href="/staff/cases/')


def _measure(client, app, case_url: str) -> dict[str, int]:
    """Statements per request for every page under test."""
    urls = {QUEUE: QUEUE, QUEUE_ALL_PAGE_3: QUEUE_ALL_PAGE_3, QUEUE_CAMDEN_REPEAT: QUEUE_CAMDEN_REPEAT,
            QUEUE_CAMDEN_REPEAT_ALL: QUEUE_CAMDEN_REPEAT_ALL, "case": case_url}
    for url in urls.values():  # warm up: first requests may load things once per process
        client.get(url)
    return {name: _statements(client, app, url) for name, url in urls.items()}


def _busy_case(app) -> str:
    """A triaged case's crime number (claimed by an officer, so the case page looks people up)."""
    with app.app_context():
        return db.session.scalar(select(Report.crime_number).where(Report.status != CaseStatus.RECEIVED,
                                                                   Report.claimed_by_id.is_not(None))
                                 .order_by(Report.id).limit(1))


def _add_history(app, crime_number: str, actor_id: int) -> None:
    """Give the case more timeline events and deadlines, as a long investigation would have."""
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        now = utcnow()
        for index in range(6):
            db.session.add(TimelineEvent(report_id=report.id, occurred_at=now, actor_id=actor_id, kind="update",
                                         title=f"Update {index}", visible_to_victim=True))
            db.session.add(VictimsCodeDeadline(report_id=report.id, kind=DeadlineKind.KEY_EVENT,
                                               description=f"Tell the victim about update {index}",
                                               starts_at=now, due_at=now))
        db.session.commit()


def _numbers_and_events(app) -> tuple[list[str], int]:
    """Every crime number, and how many reports have exactly one victim-visible "received" event."""
    with app.app_context():
        numbers = db.session.scalars(select(Report.crime_number)).all()
        events = db.session.scalar(
            select(func.count(func.distinct(TimelineEvent.report_id)))
            .join(Report, Report.id == TimelineEvent.report_id)
            .where(TimelineEvent.visible_to_victim, TimelineEvent.kind == "received",
                   TimelineEvent.occurred_at == Report.submitted_at))
        assert db.session.scalar(select(func.count(TimelineEvent.id))) == len(numbers)
    return numbers, events


def test_generator_creates_the_requested_cases_with_valid_unique_crime_numbers(app):
    """The generator inserts exactly --count cases, each with a unique, parseable crime number and a timeline."""
    _generate(app, 300)
    _generate(app, 200, seed=2)
    numbers, events = _numbers_and_events(app)
    with app.app_context():
        prefix = current_app.config["CRIME_NUMBER_PREFIX"]
        received = db.session.scalar(select(func.count(Report.id)).where(Report.status == CaseStatus.RECEIVED))
        year = utcnow().year
        issued_next = format_crime_number(prefix, year, next_sequence_value(year % 100))
        db.session.rollback()
    assert len(numbers) == 500
    assert len(set(numbers)) == 500
    for number in numbers:
        assert str(parse_crime_number(number, prefix)) == number
    assert events == 500
    assert 0 < received < 50
    assert issued_next not in numbers


def test_generator_numbers_cases_from_each_years_sequence_across_new_year(app, monkeypatch):
    """Cases submitted either side of New Year take numbers from their own year's sequence, with no gaps."""
    monkeypatch.setattr("portal.devtools.generator.utcnow", lambda: datetime(2027, 1, 20, 12, 0, tzinfo=UTC))
    _generate(app, 400)
    numbers, events = _numbers_and_events(app)
    with app.app_context():
        sequences = dict(db.session.execute(select(CrimeNumberSequence.year, CrimeNumberSequence.last_value)).all())
        prefix = current_app.config["CRIME_NUMBER_PREFIX"]
    parsed = [parse_crime_number(number, prefix) for number in numbers]
    by_year = {year: sorted(n.sequence for n in parsed if n.year == year) for year in (26, 27)}
    assert set(sequences) == {26, 27}
    for year, sequence_values in by_year.items():
        assert sequence_values == list(range(1, sequences[year] + 1))
    assert len(set(numbers)) == 400
    assert events == 400


def test_staff_pages_run_the_same_few_statements_with_six_times_the_cases(app, client, signed_in):
    """Queue and case pages stay within a small statement ceiling, and the count does not grow with the data."""
    officer = signed_in(Role.OFFICER)
    _generate(app, 300)
    case_url = f"/staff/cases/{_busy_case(app)}"
    before = _measure(client, app, case_url)
    for name, count in before.items():
        assert count <= CEILINGS[name], (name, before)
    assert _rows_shown(client, QUEUE) > 0
    assert _rows_shown(client, QUEUE_ALL_PAGE_3) == 25

    _generate(app, 1500, seed=2)
    _add_history(app, case_url.rsplit("/", 1)[1], officer.id)
    after = _measure(client, app, case_url)
    assert after == before
    assert _rows_shown(client, QUEUE_CAMDEN_REPEAT_ALL) > 1


def _count(statement) -> int:
    return db.session.scalar(statement)


def _share(part: int, whole: int) -> float:
    assert whole > 0
    return part / whole


def test_generator_adds_deadlines_referrals_check_ins_surveys_and_equality_in_proportion(app):
    """Around the cases come their deadlines, referrals (with consent), check-ins, surveys and equality records,
    in roughly the intended proportions, each tied to rows that exist."""
    _generate(app, 3000)
    with app.app_context():
        today = utcnow().date()
        now = utcnow()
        reports = _count(select(func.count(Report.id)))
        information = _count(select(func.count(Report.id)).where(Report.is_information_report.is_(True)))
        triaged = _count(select(func.count(Report.id)).where(Report.triaged_at.is_not(None)))
        closed = _count(select(func.count(Report.id)).where(Report.status == CaseStatus.CLOSED))
        assert reports == 3000

        # Deadlines: triage and first response on every case, the support offer on every crime report.
        by_kind = dict(db.session.execute(select(VictimsCodeDeadline.kind, func.count())
                                          .group_by(VictimsCodeDeadline.kind)).tuples().all())
        assert by_kind[DeadlineKind.TRIAGE] == by_kind[DeadlineKind.FIRST_RESPONSE] == reports
        assert by_kind[DeadlineKind.SUPPORT_REFERRAL] == reports - information
        assert by_kind[DeadlineKind.DECISION_NOT_TO_INVESTIGATE] == _count(select(func.count(Report.id)).where(
            Report.status == CaseStatus.NO_FURTHER_INVESTIGATION))
        offers_on_time = _count(select(func.count()).where(
            VictimsCodeDeadline.kind == DeadlineKind.SUPPORT_REFERRAL, VictimsCodeDeadline.met_at.is_not(None),
            VictimsCodeDeadline.met_at <= VictimsCodeDeadline.due_at))
        assert 0.85 < _share(offers_on_time, by_kind[DeadlineKind.SUPPORT_REFERRAL]) < 0.99
        assert _count(select(func.count()).where(VictimsCodeDeadline.met_at > now)) == 0

        # Organisations: the synthetic ones, accredited, each with its services.
        organisations = db.session.scalars(select(Organisation)).all()
        assert {o.name for o in organisations} == {spec[0] for spec in SYNTHETIC_ORGANISATIONS}
        assert all(o.is_accredited(today) for o in organisations)
        assert _count(select(func.count(SupportService.id))) == sum(len(spec[3]) for spec in SYNTHETIC_ORGANISATIONS)

        # Referrals for about 15% of reports, spread over the statuses and levels, each sent one with a consent.
        referrals = db.session.scalars(select(Referral)).all()
        assert 0.11 < _share(len(referrals), reports) < 0.19
        assert len({r.reference for r in referrals}) == len(referrals)
        statuses = {r.status for r in referrals}
        assert {ReferralStatus.SENT, ReferralStatus.CONTACTED, ReferralStatus.CLOSED, ReferralStatus.PROPOSED} \
            <= statuses
        levels = [r.support_level for r in referrals]
        assert set(levels) == {"contact", "specialist", "peer"}
        assert 0.2 < _share(levels.count("peer"), len(levels)) < 0.4
        for referral in referrals:
            assert referral.service.organisation_id == referral.organisation_id
            if referral.status == ReferralStatus.PROPOSED:
                assert referral.sent_at is None and referral.consent_id is None
                continue
            assert referral.consent.report_id == referral.report_id
            assert referral.consent.organisation_id == referral.organisation_id
            times = [referral.sent_at, referral.accepted_at, referral.first_contact_at]
            present = [t for t in times if t is not None]
            assert present == sorted(present) and present[-1] <= now
            if referral.status in (ReferralStatus.CONTACTED, ReferralStatus.CLOSED):
                assert referral.first_contact_at is not None
        assert _count(select(func.count(Consent.id))) == sum(r.sent_at is not None for r in referrals)

        # Check-ins: every one on an existing referral, copying its case, organisation and level, at 0/4/12 weeks.
        assert _count(select(func.count(CheckIn.id)).outerjoin(Referral, Referral.id == CheckIn.referral_id)
                      .where(Referral.id.is_(None))) == 0
        assert _count(select(func.count(CheckIn.id)).join(Referral, Referral.id == CheckIn.referral_id).where(
            (CheckIn.report_id != Referral.report_id) | (CheckIn.organisation_id != Referral.organisation_id)
            | (CheckIn.support_level != Referral.support_level))) == 0
        rows = db.session.execute(select(CheckIn.weeks, CheckIn.answered_at, CheckIn.coping, CheckIn.invited_at,
                                         CheckIn.due_at)).all()
        assert {weeks for weeks, *_ in rows} == set(CHECK_IN_WEEKS)
        answered = {weeks: _share(sum(1 for w, a, *_ in rows if w == weeks and a is not None),
                                  sum(1 for w, *_ in rows if w == weeks)) for weeks in CHECK_IN_WEEKS}
        assert 0.5 < answered[0] < 0.7 and answered[12] < answered[4] < answered[0]
        assert all(a is None or invited <= a <= now for _w, a, _c, invited, _d in rows)
        assert all(c is None or 1 <= c <= 5 for _w, _a, c, *_ in rows)

        # Surveys: after about 40% of decisions and 30% of closures, about half answered, about 70% satisfied.
        surveys = db.session.execute(select(Survey.kind, Survey.answered_at, Survey.overall)).all()
        after = [s for s in surveys if s.kind == SurveyKind.AFTER_DECISION]
        at_closure = [s for s in surveys if s.kind == SurveyKind.AT_CLOSURE]
        assert 0.33 < _share(len(after), triaged) < 0.45
        assert 0.2 < _share(len(at_closure), closed) < 0.4
        answered_surveys = [s for s in surveys if s.answered_at is not None]
        assert 0.4 < _share(len(answered_surveys), len(surveys)) < 0.6
        assert 0.62 < _share(sum(s.overall is not None and s.overall >= 4 for s in answered_surveys),
                             sum(s.overall is not None for s in answered_surveys)) < 0.78

        # Nobody is asked on a safeguarding case.
        assert _count(select(func.count(Survey.id)).join(Report, Report.id == Survey.report_id)
                      .where(Report.safeguarding.is_(True))) == 0
        assert _count(select(func.count(CheckIn.id)).join(Report, Report.id == CheckIn.report_id)
                      .where(Report.safeguarding.is_(True))) == 0

        # Equality records for about 35% of reports, by report, never for someone who does not exist.
        records = db.session.scalars(select(EqualityRecord)).all()
        assert 0.3 < _share(len(records), reports) < 0.4
        assert _count(select(func.count(EqualityRecord.id)).where(EqualityRecord.user_id.is_not(None)).where(
            ~select(User.id).where(User.id == EqualityRecord.user_id).exists())) == 0
        assert _count(select(func.count(EqualityRecord.id)).where(
            ~select(Report.id).where(Report.id == EqualityRecord.report_id).exists())) == 0
        for characteristic in CHARACTERISTICS:
            answers = [getattr(record, characteristic) for record in records]
            assert 0.02 < _share(answers.count(PREFER_NOT_TO_SAY), len(answers)) < 0.13, characteristic
            assert len(set(answers) - {None, PREFER_NOT_TO_SAY}) >= 2, characteristic

    # A second run reuses the organisations and keeps every reference unique.
    _generate(app, 500, seed=2)
    with app.app_context():
        assert _count(select(func.count(Organisation.id))) == len(SYNTHETIC_ORGANISATIONS)
        assert _count(select(func.count(func.distinct(Referral.reference)))) == _count(
            select(func.count(Referral.id)))
