"""Witnesses linked to cases, their answers about court dates, and the reminders sent to them."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base


class CourtAvailability(Base):
    """A witness's answer about a court hearing."""

    __tablename__ = "court_availability"

    id: Mapped[int] = mapped_column(primary_key=True)
    witness_link_id: Mapped[int] = mapped_column(ForeignKey("witness_links.id", ondelete="CASCADE"), index=True)
    hearing_event_id: Mapped[int] = mapped_column(ForeignKey("timeline_events.id", ondelete="CASCADE"))
    available: Mapped[bool]
    note: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime]


class HearingReminder(Base):
    """A reminder sent to a witness before a hearing: at most one of each kind for each witness and hearing, ever
    (the unique key makes "never twice" hold even if two reminder runs overlap)."""

    __tablename__ = "hearing_reminders"
    __table_args__ = (UniqueConstraint("witness_link_id", "hearing_event_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    witness_link_id: Mapped[int] = mapped_column(ForeignKey("witness_links.id", ondelete="CASCADE"))
    hearing_event_id: Mapped[int] = mapped_column(ForeignKey("timeline_events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "7 days" or "1 day"
    sent_at: Mapped[datetime]
