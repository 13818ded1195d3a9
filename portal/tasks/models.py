"""The task table: what is owed to whom, by when, and what came of it."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.cases.models import Report
from portal.database import Base, enum_column
from portal.tasks.enums import Asker, TaskStatus, TaskTeam, TaskType


class Task(Base):
    """One request or piece of work on a case, with an owner, a due time and an outcome the asker reads."""

    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_status_due", "status", "due_at"),
        Index("ix_tasks_assignee_status", "assignee_id", "status"),
        # The queue: owed tasks (not yet completed) in due order, with every column the queue filters and counts
        # on, so that filtering, counting and paging read the index and only a page's rows from the table.
        Index("ix_tasks_queue", "completed_at", "due_at", "id", "type", "team", "assignee_id"),
        # The queue's counts of one officer's owed tasks and of those nobody holds.
        Index("ix_tasks_assignee_owed", "assignee_id", "completed_at"),
        # The queue reads "owed" as "not completed": the database holds the two together.
        CheckConstraint("(completed_at IS NULL) = (status IN ('open', 'in_progress'))", name="owed_until_completed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    type: Mapped[TaskType] = mapped_column(enum_column(TaskType, 30))
    asker: Mapped[Asker] = mapped_column(enum_column(Asker, 20))
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    team: Mapped[TaskTeam] = mapped_column(enum_column(TaskTeam, 20))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus, 20))
    # For a review: the officer who made the decision, who may not review it.
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # What the person said when asking (their own words), if anything.
    request_note: Mapped[str | None] = mapped_column(Text)
    raised_at: Mapped[datetime]
    acknowledge_by: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    due_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # What happened, in plain words the person who asked will read.
    outcome: Mapped[str | None] = mapped_column(String(2000))
    # When the assignee was warned the task is due tomorrow, and when supervisors were told it is overdue.
    reminded_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]

    report: Mapped[Report] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
