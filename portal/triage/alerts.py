"""SLA breach alerts: reports about to miss (or missing) the 45-minute or 48-hour targets.

Run by `flask triage sla-alerts` (from cron or the worker). Idempotent: one open alert per report and kind.
"""

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.enums import CaseStatus, DeadlineKind
from portal.cases.models import Report, SlaAlert
from portal.clock import utcnow
from portal.extensions import db
from portal.links import absolute_url
from portal.notifications.services import queue_email_to

TRIAGE_WARNING = timedelta(minutes=10)
RESPONSE_WARNING = timedelta(hours=4)


def raise_sla_alerts(now: datetime | None = None) -> int:
    """Open alerts for reports close to breaching, email supervisors once per run, and return how many are new."""
    now = now or utcnow()
    already = {(a.report_id, a.kind) for a in db.session.scalars(select(SlaAlert).where(SlaAlert.cleared_at.is_(None)))}
    candidates = [
        (report.id, DeadlineKind.TRIAGE, report.triage_due_at)
        for report in db.session.scalars(select(Report).where(
            Report.status == CaseStatus.RECEIVED, Report.triage_due_at <= now + TRIAGE_WARNING))
    ] + [
        (report.id, DeadlineKind.FIRST_RESPONSE, report.response_due_at)
        for report in db.session.scalars(select(Report).where(
            Report.first_response_at.is_(None), Report.response_due_at <= now + RESPONSE_WARNING))
    ]
    new = [(rid, kind, due) for rid, kind, due in candidates if (rid, kind) not in already]
    for report_id, kind, due in new:
        db.session.add(SlaAlert(report_id=report_id, kind=kind, raised_at=now, due_at=due))
    if new:
        link = absolute_url("triage.performance")
        for supervisor in db.session.scalars(select(User).where(User.role == Role.SUPERVISOR,
                                                               User.is_active_account.is_(True))):
            queue_email_to(supervisor, "sla_alert", count=len(new), link=link)
    db.session.commit()
    return len(new)
