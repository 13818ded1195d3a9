"""Background jobs on RQ: emails handed to workers on commit, the scheduler, and every job run by a worker.

These need a Redis server (the ``redis_url`` fixture: TEST_REDIS_URL in the PostgreSQL pass, otherwise a
throwaway redis-server). Workers here are RQ's SimpleWorker in this process, so the jobs run in the test's
app; tests/test_fault_outbox.py runs real worker processes and kills them.
"""

import logging
from datetime import timedelta

import pytest
from rq import Queue, SimpleWorker
from rq.registry import FailedJobRegistry
from sqlalchemy import select

from portal.clock import utcnow
from portal.extensions import db
from portal.jobs import tasks
from portal.jobs.queue import QUEUE_NAME
from portal.jobs.schedule import BY_NAME, SCHEDULE, enqueue_due
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.notifications.services import queue_email
from tests.conftest import SmtpSink, free_port


@pytest.fixture
def redis_app(app, make_app, redis_url, redis_client):
    """An app that hands work to RQ on the test Redis (``app`` builds the schema and cleans up)."""
    return make_app(REDIS_URL=redis_url, RATELIMIT_STORAGE_URI=redis_url)


@pytest.fixture
def sink_for(request):
    """Start an SMTP sink and point an app's Flask-Mail at it."""
    started = []

    def _start(application) -> SmtpSink:
        sink = SmtpSink(free_port())
        state = application.extensions["mail"]
        state.server, state.port = "127.0.0.1", sink.port
        sink.start()
        started.append(sink)
        return sink

    yield _start
    for sink in started:
        sink.stop()


def queue_of(application) -> Queue:
    from portal.jobs.queue import job_queue

    return job_queue(application)


def run_worker(application) -> None:
    """Run every queued job in this process, then return."""
    queue = queue_of(application)
    with application.app_context():
        SimpleWorker([queue], connection=queue.connection).work(burst=True, with_scheduler=False)


def test_an_email_is_handed_to_a_worker_when_its_transaction_commits(redis_app, sink_for):
    sink = sink_for(redis_app)
    with redis_app.app_context():
        message = queue_email("victim@example.org", "case_update", sign_in_link="https://example.org/login")
        assert queue_of(redis_app).count == 0, "nothing may be handed over before the commit"
        db.session.commit()
        message_id = message.id
    jobs = queue_of(redis_app).jobs
    assert [(job.func_name, job.args) for job in jobs] == [("portal.jobs.tasks.deliver_message", (message_id,))]

    run_worker(redis_app)

    assert [m["To"] for m in sink.messages] == ["victim@example.org"]
    with redis_app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        assert row.status == OutboxStatus.SENT and row.attempts == 1
        assert sink.messages[0]["Message-ID"] == f"<{row.delivery_key}@portal.example.org>"


def test_a_rolled_back_email_is_never_handed_over(redis_app):
    with redis_app.app_context():
        queue_email("victim@example.org", "case_update", sign_in_link="https://example.org/login")
        db.session.rollback()
        db.session.commit()
        assert db.session.scalar(select(OutboxMessage.id)) is None
    assert queue_of(redis_app).count == 0


def test_a_second_job_for_the_same_email_sends_nothing(redis_app, sink_for):
    """Jobs can be duplicated (a retry, a sweep); the claim on the outbox row makes the second a no-op."""
    sink = sink_for(redis_app)
    with redis_app.app_context():
        message = queue_email("victim@example.org", "case_update", sign_in_link="https://example.org/login")
        db.session.commit()
        queue_of(redis_app).enqueue(tasks.deliver_message, message.id)
        queue_of(redis_app).enqueue(tasks.deliver_outbox)
    run_worker(redis_app)
    assert len(sink.messages) == 1


def test_when_redis_is_down_the_commit_still_succeeds_and_the_sweep_sends_later(app, make_app, caplog, sink_for):
    dead = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    sink = sink_for(dead)
    with dead.app_context(), caplog.at_level(logging.WARNING, logger="portal.jobs.queue"):
        queue_email("victim@example.org", "case_update", sign_in_link="https://example.org/login")
        db.session.commit()
        assert db.session.scalar(select(OutboxMessage.status)) == OutboxStatus.PENDING
        assert "the outbox sweep will send them" in caplog.text
        assert tasks.deliver_outbox() == {"sent": 1, "failed": 0}
    assert len(sink.messages) == 1


def test_two_schedulers_enqueue_each_job_once_per_slot(redis_app):
    queue = queue_of(redis_app)
    now = 1_800_000_000.0  # a moment on a whole day, so every slot starts here
    with redis_app.app_context():
        first = enqueue_due(queue, now)
        second = enqueue_due(queue, now + 0.5)
    assert sorted(first) == sorted(f"{job.name}-{int(now // job.interval())}" for job in SCHEDULE)
    assert second == []
    with redis_app.app_context():
        later = enqueue_due(queue, now + 30)
    assert later == [f"deliver-outbox-{int((now + 30) // 30)}"]
    assert queue.count == len(SCHEDULE) + 1


def test_every_scheduled_job_runs_on_a_worker_without_failing(redis_app, sink_for):
    sink_for(redis_app)
    queue = queue_of(redis_app)
    with redis_app.app_context():
        enqueue_due(queue, 1_800_000_000.0)
    run_worker(redis_app)
    failed = FailedJobRegistry(QUEUE_NAME, connection=queue.connection)
    assert failed.get_job_ids() == []
    results = {job.description: job.return_value() for job in
               (queue.fetch_job(f"{entry.name}-{int(1_800_000_000 // entry.interval())}") for entry in SCHEDULE)}
    assert results["deliver-outbox"] == {"sent": 0, "failed": 0}
    assert results["retention"] == {"drafts": 0, "sent_messages": 0, "spent_tokens": 0, "old_sessions": 0,
                                    "failed_attempts": 0, "feedback_comments": 0}
    assert results["sla-alerts"] == 0 and results["deadline-reminders"] == 0


def test_a_scheduled_job_still_running_is_not_run_again(redis_app, redis_client):
    queue = queue_of(redis_app)
    held = redis_client.lock("portal:running:sla-alerts", timeout=60)
    assert held.acquire(blocking=False)
    with redis_app.app_context():
        enqueue_due(queue, 1_800_000_000.0)
    run_worker(redis_app)
    job = queue.fetch_job(f"sla-alerts-{int(1_800_000_000 // 60)}")
    assert job.return_value() == "skipped: still running"
    held.release()


def test_a_lock_left_by_a_killed_outbox_sweep_does_not_hold_up_the_next(redis_app, redis_client, sink_for):
    """Each message is claimed on its own, so sweeps need no lock: a worker killed mid-sweep (its lock would
    stay for the sweep's whole time-out) cannot stop emails being retried."""
    sink = sink_for(redis_app)
    with redis_app.app_context():
        queue_email("victim@example.org", "case_update", sign_in_link="https://example.org/login")
        db.session.commit()
    queue = queue_of(redis_app)
    queue.empty()  # the worker that had this email's job died
    redis_client.lock("portal:running:deliver-outbox", timeout=300).acquire(blocking=False)
    with redis_app.app_context():
        enqueue_due(queue, 1_800_000_000.0)
    run_worker(redis_app)
    job = queue.fetch_job(f"deliver-outbox-{int(1_800_000_000 // BY_NAME['deliver-outbox'].interval())}")
    assert job.return_value() == {"sent": 1, "failed": 0}
    assert [m["To"] for m in sink.messages] == ["victim@example.org"]


def test_jobs_run_from_the_cli_without_redis(app, make_app):
    """The embedded default: cron runs `flask jobs run NAME`, with the same job functions."""
    from portal.jobs.commands import jobs

    runner = make_app(REDIS_URL=None).test_cli_runner()
    for name in BY_NAME:
        result = runner.invoke(jobs, ["run", name])
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"{name}: ")
    unknown = runner.invoke(jobs, ["run", "send-everything"])
    assert unknown.exit_code != 0 and "choose one of: deliver-outbox" in unknown.output
    no_redis = runner.invoke(jobs, ["worker", "--burst"])
    assert no_redis.exit_code != 0 and "REDIS_URL is not set" in no_redis.output


def test_the_worker_command_runs_queued_jobs(redis_app, sink_for):
    sink = sink_for(redis_app)
    with redis_app.app_context():
        queue_email("victim@example.org", "case_update", sign_in_link="https://example.org/login")
        db.session.commit()
    from portal.jobs.commands import jobs

    result = redis_app.test_cli_runner().invoke(jobs, ["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert len(sink.messages) == 1


def test_a_message_is_claimed_by_one_worker_and_reclaimed_only_after_its_lease(app, ctx):
    from portal.notifications.delivery import claim

    message = queue_email("victim@example.org", "case_update", sign_in_link="https://example.org/login")
    db.session.commit()
    now = utcnow()
    assert claim(message.id, now) is True
    assert claim(message.id, now + timedelta(seconds=1)) is False, "a live claim must not be taken over"
    lease = app.config["OUTBOX_LEASE_SECONDS"]
    assert claim(message.id, now + timedelta(seconds=lease + 1)) is True, "a dead worker's claim runs out"
    row = db.session.get(OutboxMessage, message.id, populate_existing=True)
    assert row.status == OutboxStatus.SENDING and row.attempts == 2


def test_an_email_held_for_quiet_hours_is_not_sent_early_by_the_hand_off(redis_app, sink_for):
    sink = sink_for(redis_app)
    with redis_app.app_context():
        message = queue_email("victim@example.org", "case_update", sign_in_link="https://example.org/login")
        message.next_attempt_at = utcnow() + timedelta(hours=8)
        db.session.commit()
        message_id = message.id
    run_worker(redis_app)
    assert sink.messages == []
    with redis_app.app_context():
        assert db.session.get(OutboxMessage, message_id).status == OutboxStatus.PENDING

