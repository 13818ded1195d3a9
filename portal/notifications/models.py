"""Outbox model."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base, TimestampMixin, enum_column


class OutboxStatus(enum.StrEnum):
    """Where a message is in its delivery."""

    PENDING = "pending"
    SENDING = "sending"  # claimed by one worker until claimed_until; if that worker dies, claimable again
    SENT = "sent"


def new_delivery_key() -> str:
    """A random key that names one message for its whole life: it is the email's Message-ID."""
    return uuid.uuid4().hex


class OutboxMessage(TimestampMixin, Base):
    """An email waiting to be sent, or already sent. Rows are never deleted by delivery.

    The delivery key goes out as the Message-ID, and every retry of the message reuses it, so a receiving
    system can tell a resend after a crash from a new message.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    template: Mapped[str] = mapped_column(String(60))
    # Sent from a name that does not mention the police or the service, with wording to match: the person asked
    # for a neutral sender (Report.neutral_sender). Decided when the message is queued, kept for every attempt.
    neutral_sender: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus, 20),
        default=OutboxStatus.PENDING,
    )
    delivery_key: Mapped[str] = mapped_column(String(32), unique=True, default=new_delivery_key)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None]
