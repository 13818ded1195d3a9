"""Reminders and escalation: the officer holding a task is warned a working day before it is due, and
supervisors are told about tasks past their due time. Each task is warned about once and escalated once.

Run by the scheduler (`task-reminders`) or `flask tasks remind` from cron.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.working_days import add_working_days
from portal.clock import utcnow
from portal.extensions import db
from portal.links import absolute_url
from portal.notifications.services import queue_email_to
from portal.tasks.enums import OWED
from portal.tasks.models import Task


@dataclass
class ReminderReport:
    """What one run did."""

    reminded: int = 0
    escalated: int = 0


def remind_and_escalate(now: datetime | None = None) -> ReminderReport:
    """Warn each holder once about their tasks due by the end of the next working day, and tell every active
    supervisor once about tasks newly past their due time; one email per person per run. Idempotent."""
    now = now or utcnow()
    link = absolute_url("tasks.queue")
    due_soon = list(db.session.scalars(select(Task).where(
        Task.status.in_(OWED), Task.assignee_id.is_not(None), Task.reminded_at.is_(None),
        Task.due_at > now, Task.due_at <= add_working_days(now, 1))))
    per_holder = Counter(task.assignee_id for task in due_soon)
    for holder_id, count in per_holder.items():
        holder = db.session.get(User, holder_id)
        if holder is not None and holder.is_active:
            queue_email_to(holder, "task_reminder", count=count, link=link)
    for task in due_soon:
        task.reminded_at = now
    overdue = list(db.session.scalars(select(Task).where(
        Task.status.in_(OWED), Task.escalated_at.is_(None), Task.due_at < now)))
    if overdue:
        for supervisor in db.session.scalars(select(User).where(User.role == Role.SUPERVISOR,
                                                                User.is_active_account.is_(True))):
            queue_email_to(supervisor, "tasks_overdue", count=len(overdue), link=link)
        for task in overdue:
            task.escalated_at = now
    db.session.commit()
    return ReminderReport(reminded=len(due_soon), escalated=len(overdue))
