"""The job functions RQ workers run. Each is idempotent and safe to retry, and each calls the same service
function as its flask CLI command, so with no Redis, cron running the commands does the same work."""

import os
from dataclasses import asdict

from flask import Flask, has_app_context

from portal.extensions import db
from portal.insight.refresh import refresh
from portal.jobs import retention
from portal.notifications import delivery
from portal.support.assessments import send_due_offers
from portal.surveys.schedule import send_due
from portal.tasks.reminders import remind_and_escalate
from portal.tracking.reminders import send_hearing_reminders
from portal.triage import alerts
from portal.triage.reminders import remind_due_deadlines

_app: Flask | None = None
_app_pid: int | None = None


def _worker_app() -> Flask:
    """The app a worker process runs jobs in (built once per process, from the environment like wsgi.py)."""
    global _app, _app_pid  # noqa: PLW0603 - one app per worker process
    if _app is None or _app_pid != os.getpid():
        # Imported here: the factory imports this package (the job hand-off and the commands).
        from portal.app import create_app

        _app, _app_pid = create_app(), os.getpid()
    return _app


def _run(work, *args):
    """Run the work in an app context, with a clean database session afterwards."""
    if has_app_context():
        try:
            return work(*args)
        except Exception:
            db.session.rollback()
            raise
    with _worker_app().app_context():
        try:
            return work(*args)
        finally:
            db.session.remove()


def deliver_message(message_id: int) -> bool | None:
    """Send one email from the outbox (nothing happens if it is already sent or another worker has it)."""
    return _run(delivery.deliver_message, message_id)


def deliver_outbox() -> dict:
    """Send every email that is due: retries, emails held for quiet hours, and any a worker never got."""
    return asdict(_run(delivery.deliver_pending))


def raise_sla_alerts() -> int:
    """Alert supervisors to reports close to the 45-minute or 48-hour targets."""
    return _run(alerts.raise_sla_alerts)


def remind_deadlines() -> int:
    """Remind officers of Victims' Code promises falling due within a day."""
    return _run(remind_due_deadlines)


def remind_about_tasks() -> dict:
    """Warn officers of tasks due soon, and tell supervisors about overdue ones."""
    return asdict(_run(remind_and_escalate))


def remind_witnesses() -> int:
    """Remind witnesses of hearings 7 days and 1 day before, and raise witness care's no-answer tasks."""
    return _run(send_hearing_reminders)


def send_support_offers() -> int:
    """Offer support on cases reported over an hour ago."""
    return _run(send_due_offers)


def send_surveys() -> dict:
    """Offer the satisfaction surveys and cope-and-recover check-ins that are due."""
    return asdict(_run(send_due))


def apply_retention() -> dict:
    """Delete old drafts, old sent emails and long-expired sign-in links."""
    return asdict(_run(retention.apply_retention))


def refresh_insight() -> int:
    """Work out the insight dashboard's daily figures for recent and changed days."""
    return _run(refresh).days


def refresh_all_insight() -> int:
    """Work out every day's insight figures again (nightly: catches deleted cases and renamed organisations)."""
    return _run(lambda: refresh(everything=True)).days
