"""Witnesses linked to cases, and their answers about court dates."""

from datetime import datetime

from sqlalchemy import ForeignKey, Text
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
