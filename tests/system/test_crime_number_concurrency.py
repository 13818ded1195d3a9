"""Crime numbers issued by real submissions: unique, gap-free and per year, under concurrent writers.

Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL points at one (the ``app`` fixture chooses).
Threads do not retry: a "database is locked" error fails the test, because the app must wait for the writer.
"""

import threading
import traceback
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.cases.crime_numbers import CrimeNumber, check_letter, parse_crime_number
from portal.cases.models import CrimeNumberSequence, PropertyItem, Report, TimelineEvent
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.reporting import services
from portal.reporting.boroughs import BOROUGHS
from portal.reporting.models import ReportDraft

THREADS = 20
JOIN_TIMEOUT_SECONDS = 60
FIXED_NOW = datetime(2026, 5, 6, 10, 30, tzinfo=UTC)


class SimulatedOutage(RuntimeError):
    """Raised on purpose part-way through a submission."""


def bicycle_theft_answers(index: int = 0, *, with_property: bool = False) -> dict:
    """A complete set of answers for a simple bicycle theft, with a contact name that identifies it."""
    answers = {
        "danger_now": "no",
        "immediate_risk": "no",
        "category": "bicycle_theft",
        "category_route": "self_service",
        "reporter_role": "victim",
        "occurred_on": date(2026, 5, 1).isoformat(),
        "borough": BOROUGHS[index % len(BOROUGHS)],
        "description": f"My bicycle was taken from outside the station ({index}).",
        "has_property": "no",
        "suspect_description": "",
        "other_witnesses": "",
        "evidence_done": True,
        "contact_name": f"Person {index}",
        "contact_email": f"person{index}@example.org",
        "safe_channels": ["email"],
        "voicemail_allowed": "no",
        "neutral_sender": "yes",
        "contact_needs": [],
        "follow_up": "none",
        "would_have_reported": "yes",
    }
    if with_property:
        answers.update(has_property="yes", property_done=True,
                       property_items=[{"description": f"Red bicycle {index}", "value": "£250.50", "damaged": False}])
    return answers


@pytest.fixture
def clock(monkeypatch) -> dict:
    """Pin the time the submission service sees; change ``clock["now"]`` to move it."""
    current = {"now": FIXED_NOW}
    monkeypatch.setattr(services, "utcnow", lambda: current["now"])
    return current


def run_concurrently(app: Flask, count: int, work: Callable[[int, threading.Barrier], object]):
    """Run ``work(index, barrier)`` in ``count`` threads, each in its own app context and session.

    Returns the results by index and the exceptions raised, as (index, exception) pairs.
    """
    barrier = threading.Barrier(count, timeout=30)
    results: list = [None] * count
    errors: list[tuple[int, BaseException]] = []
    lock = threading.Lock()

    def target(index: int) -> None:
        try:
            with app.app_context():
                try:
                    results[index] = work(index, barrier)
                finally:
                    db.session.remove()
        except BaseException as error:  # handed back to the test, not swallowed
            if not isinstance(error, threading.BrokenBarrierError):
                barrier.abort()  # the others stop waiting for a thread that will never arrive
            with lock:
                errors.append((index, error))

    threads = [threading.Thread(target=target, args=(index,), name=f"submitter-{index}") for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a submitting thread did not finish"
    return results, errors


def fail_with(errors: list[tuple[int, BaseException]]) -> None:
    """Fail the test showing every thread's traceback."""
    details = "\n".join(f"--- thread {index}:\n" + "".join(traceback.format_exception(error))
                        for index, error in sorted(errors, key=lambda pair: pair[0]))
    pytest.fail(f"{len(errors)} submission(s) failed:\n{details}", pytrace=False)


def submit_new_draft(index: int, barrier: threading.Barrier, **answer_options) -> str:
    """Start a draft, answer everything, wait for the others, then submit; return the crime number."""
    draft, _token = services.start_draft(None)
    services.save_answers(draft, bicycle_theft_answers(index, **answer_options))
    barrier.wait()
    report = services.submit_report(draft, None)
    return report.crime_number


def issued_sequences(app: Flask, prefix: str = "CR") -> list[CrimeNumber]:
    """Every stored report's crime number, parsed (so each one passes the check letter), in order."""
    with app.app_context():
        numbers = db.session.scalars(select(Report.crime_number)).all()
        db.session.remove()
    return sorted((parse_crime_number(number, prefix) for number in numbers), key=lambda n: (n.year, n.sequence))


def sequence_rows(app: Flask) -> dict[int, int]:
    """The crime_number_sequences table as {two-digit year: last value}."""
    with app.app_context():
        rows = dict(db.session.execute(select(CrimeNumberSequence.year, CrimeNumberSequence.last_value)).all())
        db.session.remove()
    return rows


def count_rows(app: Flask, model, *where) -> int:
    """How many rows of a model match."""
    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(model).where(*where))
        db.session.remove()
    return total


def test_concurrent_submissions_get_distinct_gap_free_numbers(app, clock):
    """Twenty simultaneous submissions get twenty distinct, checked numbers 1..20, and the year's row says 20."""
    results, errors = run_concurrently(app, THREADS, submit_new_draft)
    if errors:
        fail_with(errors)

    assert len(set(results)) == THREADS
    parsed = [parse_crime_number(number, "CR") for number in results]
    assert all(number.year == 26 for number in parsed)
    assert sorted(number.sequence for number in parsed) == list(range(1, THREADS + 1))
    assert [str(number) for number in parsed] == results
    assert [number.sequence for number in issued_sequences(app)] == list(range(1, THREADS + 1))
    assert sequence_rows(app) == {26: THREADS}

    with app.app_context():
        by_name = dict(db.session.execute(select(Report.contact_name, Report.crime_number)).all())
        db.session.remove()
    assert by_name == {f"Person {index}": number for index, number in enumerate(results)}
    assert count_rows(app, Report) == THREADS
    assert count_rows(app, TimelineEvent) == THREADS
    assert count_rows(app, AuditEvent, AuditEvent.action == "report.submitted") == THREADS
    assert count_rows(app, OutboxMessage, OutboxMessage.template == "report_received") == THREADS
    assert count_rows(app, ReportDraft) == 0


@pytest.mark.parametrize("failing_step", ["add_timeline_event", "record_audit", "queue_for_reporter"])
def test_failed_submissions_give_their_number_back(app, clock, monkeypatch, failing_step):
    """Submissions that fail after taking a number leave nothing behind, and numbers stay consecutive."""
    real_step = getattr(services, failing_step)
    calls = {"count": 0}
    calls_lock = threading.Lock()

    def flaky_step(*args, **kwargs):
        result = real_step(*args, **kwargs)
        db.session.flush()  # the rows really reach the database before the failure
        with calls_lock:
            calls["count"] += 1
            fail = calls["count"] % 2 == 0
        if fail:
            raise SimulatedOutage(f"{failing_step} failed on purpose")
        return result

    monkeypatch.setattr(services, failing_step, flaky_step)
    tokens: dict[int, str] = {}

    def submit(index: int, barrier: threading.Barrier) -> str:
        draft, tokens[index] = services.start_draft(None)
        services.save_answers(draft, bicycle_theft_answers(index, with_property=True))
        barrier.wait()
        return services.submit_report(draft, None).crime_number

    results, errors = run_concurrently(app, THREADS, submit)
    unexpected = [(index, error) for index, error in errors if not isinstance(error, SimulatedOutage)]
    if unexpected:
        fail_with(unexpected)
    failed = sorted(index for index, _error in errors)
    succeeded = [number for number in results if number is not None]
    half = THREADS // 2
    assert len(failed) == len(succeeded) == half

    # Only the successful half left rows behind, numbered 1..half with no gaps.
    assert [n.sequence for n in issued_sequences(app)] == list(range(1, half + 1))
    assert sorted(succeeded) == [str(n) for n in issued_sequences(app)]
    assert sequence_rows(app) == {26: half}
    assert count_rows(app, Report) == half
    assert count_rows(app, PropertyItem) == half
    assert count_rows(app, TimelineEvent) == half
    assert count_rows(app, OutboxMessage) == half
    with app.app_context():
        audited = set(db.session.scalars(select(AuditEvent.object_id).where(AuditEvent.action == "report.submitted")))
        reported_names = set(db.session.scalars(select(Report.contact_name)))
        db.session.remove()
    assert audited == set(succeeded)
    assert reported_names.isdisjoint({f"Person {index}" for index in failed})
    # The failed drafts are kept, so the person can submit again.
    assert count_rows(app, ReportDraft) == half
    with app.app_context():
        assert all(services.find_draft(tokens[index], None) is not None for index in failed)
        db.session.remove()

    # With the fault gone, the failed drafts go through and continue the sequence.
    monkeypatch.setattr(services, failing_step, real_step)

    def resubmit(position: int, barrier: threading.Barrier) -> str:
        draft = services.find_draft(tokens[failed[position]], None)
        db.session.commit()  # end the read, so no thread holds a pooled connection while it waits
        barrier.wait()
        return services.submit_report(draft, None).crime_number

    resubmitted, errors = run_concurrently(app, half, resubmit)
    if errors:
        fail_with(errors)
    assert sorted(parse_crime_number(n, "CR").sequence for n in resubmitted) == list(range(half + 1, THREADS + 1))
    assert [n.sequence for n in issued_sequences(app)] == list(range(1, THREADS + 1))
    assert sequence_rows(app) == {26: THREADS}
    for model in (Report, PropertyItem, TimelineEvent, OutboxMessage):
        assert count_rows(app, model) == THREADS, model.__name__
    assert count_rows(app, ReportDraft) == 0


def test_sequence_restarts_each_year(app, clock):
    """The first report of 2027 is CR-27-0000001, while 2026 keeps its own count."""
    with app.app_context():
        first_2026 = [submit_one(index) for index in range(3)]
        clock["now"] = datetime(2027, 1, 1, 0, 0, 5, tzinfo=UTC)
        first_2027 = submit_one(3)
        second_2027 = submit_one(4)
        db.session.remove()

    assert [n[:14] for n in first_2026] == ["CR-26-0000001-", "CR-26-0000002-", "CR-26-0000003-"]
    assert first_2027 == f"CR-27-0000001-{check_letter(27, 1)}"
    assert parse_crime_number(first_2027, "CR") == CrimeNumber("CR", 27, 1)
    assert second_2027 == f"CR-27-0000002-{check_letter(27, 2)}"
    assert sequence_rows(app) == {26: 3, 27: 2}


def test_first_numbers_of_a_new_year_are_gap_free_under_concurrency(app, clock):
    """Twenty writers racing to create a new year's row still get 1..20 for that year."""
    with app.app_context():
        submit_one(0)
        db.session.remove()
    clock["now"] = datetime(2027, 1, 1, 0, 0, 1, tzinfo=UTC)

    results, errors = run_concurrently(app, THREADS, submit_new_draft)
    if errors:
        fail_with(errors)
    parsed = [parse_crime_number(number, "CR") for number in results]
    assert {number.year for number in parsed} == {27}
    assert sorted(number.sequence for number in parsed) == list(range(1, THREADS + 1))
    assert sequence_rows(app) == {26: 1, 27: THREADS}


def test_configured_prefix_is_used_for_submitted_reports(app, clock, monkeypatch):
    """With CRIME_NUMBER_PREFIX set to MP, a submission gets MP-26-0000001 with a valid check letter."""
    monkeypatch.setitem(app.config, "CRIME_NUMBER_PREFIX", "MP")
    with app.app_context():
        number = submit_one(0)
        db.session.remove()
    assert number == f"MP-26-0000001-{check_letter(26, 1)}"
    assert parse_crime_number(number, "MP") == CrimeNumber("MP", 26, 1)


def submit_one(index: int) -> str:
    """Submit one complete bicycle theft in the current app context; return its crime number."""
    draft, _token = services.start_draft(None)
    services.save_answers(draft, bicycle_theft_answers(index))
    return services.submit_report(draft, None).crime_number

