"""What the background scheduler enqueues, and how often.

Time is cut into slots of each job's interval. A scheduler enqueues a job for a slot only if it is the first to
set that slot's key in Redis, so several schedulers can run (for resilience) and each job still runs once per
slot. A running job holds a lock, so a slow run is never overlapped by the next one; the outbox sweep takes no
lock, because each message is claimed on its own (a sweep killed mid-run must not hold up the next one's retries
for the length of its time-out).
"""

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, has_app_context
from redis import Redis
from redis.exceptions import LockError
from rq import get_current_job

from portal.jobs import tasks
from portal.jobs.queue import RETRY


@dataclass(frozen=True)
class ScheduledJob:
    """One recurring job."""

    name: str
    work: Callable
    every_seconds: int
    timeout_seconds: int
    every_setting: str | None = None  # a config key that overrides every_seconds
    exclusive: bool = True  # hold a lock while running, so runs never overlap

    def interval(self) -> int:
        """Seconds between runs: the setting if there is one, otherwise the default."""
        if self.every_setting and has_app_context():
            return int(current_app.config[self.every_setting])
        return self.every_seconds


SCHEDULE = (
    ScheduledJob("deliver-outbox", tasks.deliver_outbox, 30, 300, "OUTBOX_SWEEP_SECONDS", exclusive=False),
    ScheduledJob("sla-alerts", tasks.raise_sla_alerts, 60, 300),
    ScheduledJob("deadline-reminders", tasks.remind_deadlines, 900, 600),
    ScheduledJob("task-reminders", tasks.remind_about_tasks, 900, 600),
    ScheduledJob("hearing-reminders", tasks.remind_witnesses, 900, 600),
    ScheduledJob("support-offers", tasks.send_support_offers, 900, 600),
    ScheduledJob("surveys", tasks.send_surveys, 900, 600),
    ScheduledJob("insight-refresh", tasks.refresh_insight, 900, 1800),
    ScheduledJob("insight-refresh-all", tasks.refresh_all_insight, 86400, 3600),
    ScheduledJob("retention", tasks.apply_retention, 86400, 3600),
)
BY_NAME = {job.name: job for job in SCHEDULE}


def run_scheduled(name: str):
    """The job RQ runs for a schedule entry: the work, unless a run of the same job is still going."""
    job = BY_NAME[name]
    if not job.exclusive:
        return job.work()
    lock = get_current_job().connection.lock(f"portal:running:{name}", timeout=job.timeout_seconds,
                                             blocking=False)
    if not lock.acquire():
        return "skipped: still running"
    try:
        return job.work()
    finally:
        with contextlib.suppress(LockError):  # the lock ran out first: the timeout had already stopped the job
            lock.release()


def enqueue_due(queue, now: float | None = None) -> list[str]:
    """Enqueue every job whose current slot nobody has enqueued yet; return the job ids enqueued."""
    now = time.time() if now is None else now
    connection: Redis = queue.connection
    enqueued = []
    for job in SCHEDULE:
        every = job.interval()
        slot = int(now // every)
        if connection.set(f"portal:schedule:{job.name}:{slot}", "1", nx=True, ex=every * 2):
            job_id = f"{job.name}-{slot}"
            queue.enqueue(run_scheduled, job.name, job_id=job_id, job_timeout=job.timeout_seconds, retry=RETRY,
                          result_ttl=every * 4, failure_ttl=86400, description=job.name)
            enqueued.append(job_id)
    return enqueued
