"""The job functions RQ workers run. Each is idempotent and safe to retry, and each calls the same service
function as its flask CLI command, so with no Redis, cron running the commands does the same work."""

import os
from dataclasses import asdict

from flask import Flask, has_app_context

from portal.extensions import db

_app: Flask | None = None
_app_pid: int | None = None


def _worker_app() -> Flask:
    """The app a worker process runs jobs in (built once per process, from the environment like wsgi.py)."""
    global _app, _app_pid  # noqa: PLW0603 - one app per worker process
    if _app is None or _app_pid != os.getpid():
        from portal import create_app

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
    from portal.notifications.delivery import deliver_message as deliver

    return _run(deliver, message_id)


def deliver_outbox() -> dict:
    """Send every email that is due: retries, emails held for quiet hours, and any a worker never got."""
    from portal.notifications.delivery import deliver_pending

    return asdict(_run(deliver_pending))


def raise_sla_alerts() -> int:
    """Alert supervisors to reports close to the 45-minute or 48-hour targets."""
    from portal.triage.alerts import raise_sla_alerts as work

    return _run(work)


def remind_deadlines() -> int:
    """Remind officers of Victims' Code promises falling due within a day."""
    from portal.triage.reminders import remind_due_deadlines

    return _run(remind_due_deadlines)


def send_support_offers() -> int:
    """Offer support on cases reported over an hour ago."""
    from portal.support.assessments import send_due_offers

    return _run(send_due_offers)


def send_surveys() -> dict:
    """Offer the satisfaction surveys and cope-and-recover check-ins that are due."""
    from portal.surveys.schedule import send_due

    return asdict(_run(send_due))


def apply_retention() -> dict:
    """Delete old drafts, old sent emails and long-expired sign-in links."""
    from portal.retention import apply_retention as work

    return asdict(_run(work))


def refresh_insight() -> int:
    """Work out the insight dashboard's daily figures for recent and changed days."""
    from portal.insight.refresh import refresh

    return _run(refresh).days


def refresh_all_insight() -> int:
    """Work out every day's insight figures again (nightly: catches deleted cases and renamed organisations)."""
    from portal.insight.refresh import refresh

    return _run(lambda: refresh(everything=True)).days
