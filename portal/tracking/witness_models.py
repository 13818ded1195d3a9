"""Witnesses linked to cases, and their answers about court dates."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base, TimestampMixin


class WitnessLink(TimestampMixin, Base):
    """An invitation for a witness to follow a case, and, once used, the link to their account."""

    __tablename__ = "witness_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    invited_email: Mapped[str] = mapped_column(String(254))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_expires_at: Mapped[datetime]
    witness_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    linked_at: Mapped[datetime | None]
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CourtAvailability(Base):
    """A witness's answer about a court hearing."""

    __tablename__ = "court_availability"

    id: Mapped[int] = mapped_column(primary_key=True)
    witness_link_id: Mapped[int] = mapped_column(ForeignKey("witness_links.id", ondelete="CASCADE"), index=True)
    hearing_event_id: Mapped[int] = mapped_column(ForeignKey("timeline_events.id", ondelete="CASCADE"))
    available: Mapped[bool]
    note: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime]
