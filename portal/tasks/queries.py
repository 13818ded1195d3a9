"""Reading tasks: the staff queue with its filters and counts, a case's tasks, and what a person asked for."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import joinedload

from portal.auth.models import User
from portal.auth.roles import Role
from portal.auth.staff_names import full_name, staff_name
from portal.cases.models import Report
from portal.cases.working_days import end_of_working_day
from portal.clock import utcnow
from portal.extensions import db
from portal.paging import page_within
from portal.tasks.enums import OWED, Asker, TaskTeam, TaskType
from portal.tasks.models import Task

PER_PAGE = 25
SHOWS = ("all", "mine", "unassigned", "overdue", "due_today")


@dataclass(frozen=True)
class TaskFilters:
    """What the queue is narrowed to."""

    type: TaskType | None = None
    team: TaskTeam | None = None
    show: str = "all"
    only_team: TaskTeam | None = None  # the one team's tasks a person may see at all (witness care's), counts too


@dataclass
class TaskRow:
    """One line of the queue."""

    task: Task
    crime_number: str
    assignee_name: str | None
    overdue: bool


@dataclass
class TaskPage:
    """One page of the queue, with the counts over every owed task."""

    rows: list[TaskRow]
    total: int
    page: int
    pages: int
    counts: dict[str, int] = field(default_factory=dict)


# Owed, as the queue's index reads it: a task is owed until it is completed (finish_task, the one way to finish
# one, sets completed_at with the finished status; a test holds the two together), so "not completed" picks the
# owed tasks out of the index in due order without reading the table.
_OWED: tuple[ColumnElement[bool], ...] = (Task.completed_at.is_(None),)


def _scope(filters: TaskFilters) -> list[ColumnElement[bool]]:
    """Owed tasks, of the one team this person may see if they are limited to one."""
    return [*_OWED, *((Task.team == filters.only_team,) if filters.only_team is not None else ())]


def _conditions(filters: TaskFilters, user: User, now: datetime) -> list:
    conditions: list[ColumnElement[bool]] = _scope(filters)
    if filters.type is not None:
        conditions.append(Task.type == filters.type)
    if filters.team is not None:
        conditions.append(Task.team == filters.team)
    if filters.show == "mine":
        conditions.append(Task.assignee_id == user.id)
    elif filters.show == "unassigned":
        conditions.append(Task.assignee_id.is_(None))
    elif filters.show == "overdue":
        conditions.append(Task.due_at < now)
    elif filters.show == "due_today":
        conditions.extend((Task.due_at >= now, Task.due_at <= end_of_working_day(now)))
    return conditions


def task_queue(filters: TaskFilters, user: User, page: int = 1, now: datetime | None = None) -> TaskPage:
    """Owed tasks, the oldest due first, one page at a time, with counts of what is owed."""
    now = now or utcnow()
    conditions = _conditions(filters, user, now)

    scope = _scope(filters)

    def counted(*where):
        return select(func.count()).select_from(Task).where(*scope, *where).scalar_subquery()

    # Each count reads its own range of an index that holds every column it tests (ix_tasks_queue by due time,
    # ix_tasks_assignee_owed by holder), all in one statement, with the filtered total when a filter narrows the
    # queue (without one, the total is the owed count).
    filtered = len(conditions) > len(scope)  # a filter adds conditions to the scope
    counts = [counted(), counted(Task.due_at < now),
              counted(Task.due_at >= now, Task.due_at <= end_of_working_day(now)),
              counted(Task.assignee_id == user.id), counted(Task.assignee_id.is_(None))]
    if filtered:
        counts.append(select(func.count()).select_from(Task).where(*conditions).scalar_subquery())
    row = db.session.execute(select(*counts)).one()
    owed, overdue, today, mine, unassigned = row[:5]
    total = row[5] if filtered else owed
    page, pages = page_within(page, total, PER_PAGE)
    # The page's ids from the index alone (a deep page skips thousands of entries without reading their rows),
    # then those rows with their cases and holders.
    ids = (select(Task.id).where(*conditions).order_by(Task.due_at, Task.id)
           .offset((page - 1) * PER_PAGE).limit(PER_PAGE))
    rows = db.session.execute(
        select(Task, Report.crime_number, User.rank, User.collar_number, User.display_name, User.id)
        .join(Report, Report.id == Task.report_id)
        .outerjoin(User, User.id == Task.assignee_id)
        .where(Task.id.in_(ids))
        .order_by(Task.due_at, Task.id)).all()
    return TaskPage(
        [TaskRow(task, crime_number,
                 (full_name(rank, collar, name) or "A member of staff") if user_id is not None else None,
                 task.due_at < now)
         for task, crime_number, rank, collar, name, user_id in rows],
        total, page, pages,
        {"owed": owed, "overdue": overdue, "due_today": today, "mine": mine, "unassigned": unassigned})


def task(task_id: int) -> Task | None:
    """One task, with its case."""
    return db.session.get(Task, task_id)


def tasks_on(report: Report) -> list[Task]:
    """Every task on a case, owed ones first, each by due time."""
    return list(db.session.scalars(select(Task).where(Task.report_id == report.id)
                                   .order_by(Task.completed_at.is_not(None), Task.due_at, Task.id)))


def requests_of(report: Report) -> list[Task]:
    """What the victim (or the service on their behalf) asked for on their case, newest first."""
    return list(db.session.scalars(select(Task).where(Task.report_id == report.id,
                                                      Task.asker.in_((Asker.VICTIM, Asker.SYSTEM)),
                                                      Task.team != TaskTeam.WITNESS_CARE)
                                   .options(joinedload(Task.completed_by))  # who answered, in the same statement
                                   .order_by(Task.raised_at.desc(), Task.id.desc())))


def witness_requests_of(report: Report, witness: User) -> list[Task]:
    """What this witness asked for on the case, newest first: never the victim's requests, nor another
    witness's."""
    return list(db.session.scalars(select(Task).where(Task.report_id == report.id, Task.asker == Asker.WITNESS,
                                                      Task.raised_by_id == witness.id)
                                   .options(joinedload(Task.completed_by))
                                   .order_by(Task.raised_at.desc(), Task.id.desc())))


def police_officers() -> list[User]:
    """Active officers and supervisors a task can be given to, by name."""
    return list(db.session.scalars(select(User).where(User.role.in_((Role.OFFICER, Role.SUPERVISOR)),
                                                      User.is_active_account.is_(True))
                                   .order_by(User.display_name, User.id)))


ASKERS = {Asker.VICTIM: "The victim", Asker.WITNESS: "A witness", Asker.SYSTEM: "The service, for the victim",
          Asker.STAFF: "A member of staff", Asker.PARTNER: "A charity partner"}


def asked_by(task: Task) -> str:
    """Who raised the task, as staff read it: the victim or a witness by their part, staff and partners by name."""
    who = ASKERS[task.asker]
    if task.asker in (Asker.STAFF, Asker.PARTNER) and task.raised_by_id is not None:
        return f"{who}: {staff_name(db.session.get(User, task.raised_by_id))}"
    return who


def overdue_since(task: Task, now: datetime | None = None) -> timedelta | None:
    """How long past its due time an owed task is, or None."""
    now = now or utcnow()
    return now - task.due_at if task.status in OWED and task.due_at < now else None
