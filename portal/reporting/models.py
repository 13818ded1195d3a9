"""What the report journey keeps before a case exists: drafts, and diversions counted with no personal data."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.cases.enums import Route
from portal.database import Base, TimestampMixin, enum_column


class Diversion(Base):
    """Someone sent elsewhere before a report existed (fraud, or a specialist route): counted for the insight
    figures, with no personal data. Written once per unfinished report and route."""

    __tablename__ = "diversions"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    route: Mapped[Route] = mapped_column(enum_column(Route, 20))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("crime_categories.id", ondelete="SET NULL"))


class ReportDraft(TimestampMixin, Base):
    """Answers so far, kept on the server (not in the cookie). Deleted after 30 days."""

    __tablename__ = "report_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    last_saved_at: Mapped[datetime] = mapped_column(index=True)


class ResumeLink(TimestampMixin, Base):
    """A single-use link that lets a guest go on with an unfinished report on any device, sent at their request by
    email or text. Only a hash of the link's secret is kept; it expires after RESUME_LINK_DAYS."""

    __tablename__ = "resume_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("report_drafts.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(10))  # "email" or "text"
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
