"""Timeline events on a case."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base


class TimelineEvent(Base):
    """Something that happened on a case, and who may see it.

    An event seen by neither the victim nor witnesses is internal to staff.
    """

    __tablename__ = "timeline_events"
    __table_args__ = (Index("ix_timeline_events_report_time", "report_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    visible_to_victim: Mapped[bool] = mapped_column(default=False)
    visible_to_witness: Mapped[bool] = mapped_column(default=False)
    reason_code: Mapped[str | None] = mapped_column(String(40))
