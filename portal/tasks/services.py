"""Raising, taking and finishing tasks: the only code that writes them.

`raise_task` works inside the caller's transaction, so that a request, its task, its timeline event, its audit
event and its notifications are written together by the one service function the request goes through. Taking
and finishing a task are services of their own, each one transaction.
"""

from datetime import datetime

from sqlalchemy import select

from portal.audit.services import record_audit
from portal.auth.models import User
from portal.auth.roles import Role
from portal.cases.access import POLICE_ROLES
from portal.cases.models import Report, TimelineEvent
from portal.cases.timeline import add_timeline_event
from portal.clock import utcnow
from portal.domain import DomainError, refusals_roll_back
from portal.extensions import db
from portal.i18n import N_
from portal.links import absolute_url
from portal.notifications.services import notify_victim, queue_email_to
from portal.tasks.due_times import DUE_TIMES, due_at
from portal.tasks.enums import OWED, Asker, TaskStatus, TaskTeam, TaskType
from portal.tasks.models import Task

OUTCOME_MAX = 2000
REVIEWS = (TaskType.LOOK_AGAIN, TaskType.RIGHT_TO_REVIEW)


def _decision_maker(report: Report) -> int | None:
    """The officer whose latest decision or update the person asks to be looked at again."""
    return db.session.scalar(
        select(TimelineEvent.actor_id).where(TimelineEvent.report_id == report.id,
                                             TimelineEvent.kind.in_(("decision", "update")),
                                             TimelineEvent.actor_id.is_not(None))
        .order_by(TimelineEvent.occurred_at.desc(), TimelineEvent.id.desc()).limit(1))


def raise_task(report: Report, task_type: TaskType, asker: Asker, raised_by: User | None,
               note: str | None = None, now: datetime | None = None) -> Task:
    """Add a task for this request to the caller's transaction (the caller writes its timeline event and
    commits). A case-officer task goes to the case's named officer if it has one; the others wait for their
    team. The officer is told by a neutral email."""
    now = now or utcnow()
    row = DUE_TIMES[task_type]
    acknowledge, due = due_at(task_type, now)
    assignee_id = report.named_officer_id if row.team == TaskTeam.CASE_OFFICER else None
    task = Task(report_id=report.id, type=task_type, asker=asker, raised_by_id=raised_by.id if raised_by else None,
                team=row.team, assignee_id=assignee_id, status=TaskStatus.OPEN,
                request_note=(note or "").strip()[:1000] or None, raised_at=now, acknowledge_by=acknowledge,
                due_at=due, decided_by_id=_decision_maker(report) if task_type in REVIEWS else None)
    db.session.add(task)
    db.session.flush()
    record_audit(raised_by.id if raised_by else None, "task.raised", "task", str(task.id),
                 f"{task_type.value} on {report.crime_number}")
    if assignee_id is not None:
        officer = db.session.get(User, assignee_id)
        if officer is not None and officer.is_active:
            queue_email_to(officer, "case_update", sign_in_link=absolute_url("auth.login"))
    return task


def _task(task_id: int) -> Task:
    task = db.session.get(Task, task_id)
    if task is None:
        raise DomainError("That task does not exist")
    return task


def may_work_on(task: Task, user: User) -> bool:
    """Officers and supervisors work on any task; the Witness Care Unit on witness care's tasks only."""
    return user.role in POLICE_ROLES or (user.role == Role.WITNESS_CARE and task.team == TaskTeam.WITNESS_CARE)


def _check_can_hold(task: Task, officer: User) -> None:
    if not may_work_on(task, officer) or not officer.is_active:
        raise DomainError("Select an active officer", field="officer")
    if task.decided_by_id is not None and officer.id == task.decided_by_id:
        raise DomainError("The officer who made the decision cannot review it. Choose someone else",
                          field="officer")


@refusals_roll_back
def claim_task(actor: User, task_id: int) -> Task:
    """An officer takes an owed task for themselves."""
    task = _task(task_id)
    if task.status not in OWED:
        raise DomainError("This task is finished")
    _check_can_hold(task, actor)
    task.assignee_id = actor.id
    task.status = TaskStatus.IN_PROGRESS
    record_audit(actor.id, "task.claimed", "task", str(task.id))
    db.session.commit()
    return task


@refusals_roll_back
def assign_task(actor: User, task_id: int, officer_id: int) -> Task:
    """A supervisor gives an owed task to an officer."""
    if actor.role != Role.SUPERVISOR:
        raise DomainError("Only supervisors can assign tasks")
    task = _task(task_id)
    if task.status not in OWED:
        raise DomainError("This task is finished")
    officer = db.session.get(User, officer_id)
    if officer is None:
        raise DomainError("Select an active officer", field="officer")
    _check_can_hold(task, officer)
    task.assignee_id = officer.id
    record_audit(actor.id, "task.assigned", "task", str(task.id), f"to user {officer.id}")
    if officer.id != actor.id:
        queue_email_to(officer, "case_update", sign_in_link=absolute_url("auth.login"))
    db.session.commit()
    return task


# What the person reads on their case when a task they asked for is finished; the officer's words follow.
FINISHED_TITLES = {
    TaskStatus.DONE: N_("We have dealt with your request"),
    TaskStatus.CANNOT_DO: N_("We could not do what you asked"),
}


@refusals_roll_back
def finish_task(actor: User, task_id: int, done: bool, outcome: str | None) -> Task:
    """The officer holding the task (or a supervisor) finishes it with an outcome in plain words, which the
    person who asked reads on their case (a partner on the referral they raised it from); they are told there is
    an update, in the neutral words every email uses."""
    task = _task(task_id)
    if task.status not in OWED:
        raise DomainError("This task is finished")
    if not may_work_on(task, actor):
        raise DomainError("Only police staff can finish a task")
    if actor.role != Role.SUPERVISOR and task.assignee_id != actor.id:
        raise DomainError("Take the task before you finish it")
    _check_can_hold(task, actor)
    outcome = (outcome or "").strip()
    if not outcome:
        raise DomainError("Enter what happened, in words the person will understand", field="outcome")
    if len(outcome) > OUTCOME_MAX:
        raise DomainError("Outcome must be %(max)d characters or fewer", field="outcome", max=OUTCOME_MAX)
    now = utcnow()
    task.status = TaskStatus.DONE if done else TaskStatus.CANNOT_DO
    task.outcome, task.completed_at, task.completed_by_id = outcome, now, actor.id
    if task.acknowledge_by is not None and task.acknowledged_at is None:
        task.acknowledged_at = now
    report = task.report
    # The victim reads what they (or the service, for them) asked; never witness care's work on a witness.
    to_person = task.asker in (Asker.VICTIM, Asker.SYSTEM) and task.team != TaskTeam.WITNESS_CARE
    add_timeline_event(report.id, "task_finished", FINISHED_TITLES[task.status], outcome,
                       actor_id=actor.id, victim=to_person, reason_code=task.type.value)
    record_audit(actor.id, f"task.{task.status.value}", "task", str(task.id), report.crime_number)
    if to_person and not report.safeguarding and task.type != TaskType.CONTACT_OFFLINE:
        # (A finished call needs no message about itself: the call told them, and for someone only a person can
        # reach, telling them would raise another call.)
        notify_victim(report)
    elif task.asker in (Asker.PARTNER, Asker.WITNESS) and task.raised_by_id is not None:
        # A partner reads the outcome on the referral, a witness on their case page (witnesses have an account
        # and are written to by email).
        asker = db.session.get(User, task.raised_by_id)
        if asker is not None and asker.is_active:
            queue_email_to(asker, "case_update", sign_in_link=absolute_url("auth.login"))
    db.session.commit()
    return task
