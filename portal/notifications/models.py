"""Outbox model."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base, TimestampMixin, enum_column


class OutboxStatus(enum.StrEnum):
    """Where a message is in its delivery."""

    PENDING = "pending"
    SENDING = "sending"  # claimed by one worker until claimed_until; if that worker dies, claimable again
    SENT = "sent"
    FAILED = "failed"  # could never be delivered (the provider said so); sent again by another channel if any


class Channel(enum.StrEnum):
    """How a message travels. A phone call is not sent by a machine: it is a task for a person."""

    EMAIL = "email"
    TEXT = "text"
    LETTER = "letter"


class Receipt(enum.StrEnum):
    """What the provider said became of a message after it accepted it (GOV.UK Notify's statuses)."""

    DELIVERED = "delivered"
    PERMANENT_FAILURE = "permanent-failure"  # a number that does not exist, an address that cannot be delivered
    TEMPORARY_FAILURE = "temporary-failure"  # a phone switched off or an inbox full for days: Notify gave up
    TECHNICAL_FAILURE = "technical-failure"  # Notify's own fault: not the person's
    # A precompiled letter Notify would not print (our PDF broke its rules, or its virus scan failed): the person
    # will not get it, so it counts as a failure and the next channel is tried.
    VALIDATION_FAILED = "validation-failed"
    VIRUS_SCAN_FAILED = "virus-scan-failed"


def new_delivery_key() -> str:
    """A random key that names one message for its whole life: it is the email's Message-ID."""
    return uuid.uuid4().hex


class OutboxMessage(TimestampMixin, Base):
    """An email, text message or letter waiting to be sent, or already sent. Rows are never deleted by delivery.

    The delivery key goes out as the Message-ID (and as the reference given to GOV.UK Notify), and every retry
    of the message reuses it, so a receiving system can tell a resend after a crash from a new message.
    `recipient` is an email address, a mobile number, or for a letter the person's name (`postal_address` holds
    the address lines and the postcode, one to a line).
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    template: Mapped[str] = mapped_column(String(60))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, 10), default=Channel.EMAIL,
                                             server_default=Channel.EMAIL.value)
    postal_address: Mapped[str | None] = mapped_column(String(600))
    # A message to the person who reported: what the gate chose it for, so that a message that cannot be
    # delivered can be sent again by the person's next safe channel (the template and what it was given).
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"), index=True)
    template_context: Mapped[dict | None] = mapped_column(JSON)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id", ondelete="SET NULL"))
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
    # The provider's own id for the message (GOV.UK Notify's notification id), and its delivery receipt.
    provider_id: Mapped[str | None] = mapped_column(String(64), index=True)
    receipt: Mapped[Receipt | None] = mapped_column(enum_column(Receipt, 30))
    receipt_at: Mapped[datetime | None]
