"""A one-time code that opens the read-only tracking view of one case."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base, TimestampMixin


class TrackingCode(TimestampMixin, Base):
    """A six-digit code sent to a safe channel the report holds (email or text). Only a keyed hash of the code is
    kept. It lives TRACK_CODE_MINUTES, allows TRACK_CODE_ATTEMPTS wrong tries, and works once (`used_at`)."""

    __tablename__ = "tracking_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(10))  # "email" or "text": where it was sent
    sent_at: Mapped[datetime] = mapped_column(index=True)
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None]
