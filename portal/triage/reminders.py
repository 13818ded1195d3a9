"""Victims' Code deadline reminders: tell officers the day before a promise to a victim falls due.

Run by `flask triage deadline-reminders` (cron) or the background scheduler. Each deadline is reminded about
once: the reminder time is set by a conditional UPDATE, so two runs at once cannot both send it.
The 45-minute triage and 48-hour first-response targets have their own alerts (portal.triage.alerts).
"""

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select, update

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.enums import DeadlineKind
from portal.cases.models import Report, VictimsCodeDeadline
from portal.clock import utcnow
from portal.extensions import db
from portal.links import absolute_url
from portal.notifications.services import queue_email_to

REMIND_BEFORE = timedelta(days=1)
COVERED_BY_SLA_ALERTS = (DeadlineKind.TRIAGE, DeadlineKind.FIRST_RESPONSE)


def remind_due_deadlines(now: datetime | None = None) -> int:
    """Remind each case's named officer (or, with none, every supervisor) of unmet deadlines due within a day,
    in one neutral email per person. Returns how many deadlines were reminded about."""
    now = now or utcnow()
    candidates = db.session.execute(
        select(VictimsCodeDeadline.id, Report.named_officer_id)
        .join(Report, Report.id == VictimsCodeDeadline.report_id)
        .where(VictimsCodeDeadline.met_at.is_(None), VictimsCodeDeadline.reminded_at.is_(None),
               VictimsCodeDeadline.due_at <= now + REMIND_BEFORE,
               VictimsCodeDeadline.kind.not_in(COVERED_BY_SLA_ALERTS))
        .order_by(VictimsCodeDeadline.id)
    ).all()
    per_officer: Counter = Counter()
    for deadline_id, officer_id in candidates:
        taken = db.session.execute(
            update(VictimsCodeDeadline)
            .where(VictimsCodeDeadline.id == deadline_id, VictimsCodeDeadline.reminded_at.is_(None))
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken:
            per_officer[officer_id] += 1
    _email(per_officer)
    db.session.commit()
    return sum(per_officer.values())


def _email(per_officer: Counter) -> None:
    """One email per officer with their count; cases with no named officer go to every active supervisor."""
    link = absolute_url("triage.queue")
    unassigned = per_officer.pop(None, 0)
    for officer_id, count in per_officer.items():
        officer = db.session.get(User, officer_id)
        if officer is not None and officer.is_active_account:
            queue_email_to(officer, "deadline_reminder", count=count, link=link)
        else:
            unassigned += count
    if unassigned:
        for supervisor in db.session.scalars(select(User).where(User.role == Role.SUPERVISOR,
                                                               User.is_active_account.is_(True))):
            queue_email_to(supervisor, "deadline_reminder", count=unassigned, link=link)
