"""Deliver the outbox: claim a message, send it once, record the outcome.

The outbox table is the source of truth. A message is claimed (status SENDING, with a lease) in its own short
transaction before the SMTP conversation, so two workers never send it at the same time. A worker that dies
mid-delivery leaves the claim behind; when the lease runs out the message can be claimed again and is resent
with the same delivery key as its Message-ID, so a receiving system can recognise the repeat. Failures go back
to PENDING with a growing delay; nothing is ever dropped. A sent message's stored body loses its secret links and
codes (portal/secret_paths.py), and a tracking code written out in its message.
"""

import logging
import socket
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr, parseaddr

from flask import current_app
from flask_mail import Message
from sqlalchemy import and_, or_, select, update

from portal.clock import utcnow
from portal.extensions import db, mail
from portal.notifications import devbox, letters, notify
from portal.notifications.models import Channel, OutboxMessage, OutboxStatus
from portal.notifications.notify import Undeliverable
from portal.notifications.services import fall_back
from portal.secret_paths import remove_secrets

log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    failed: int = 0


def backoff_delay(attempts: int) -> timedelta:
    """How long to wait after the given number of failed attempts: 30 s doubling, capped."""
    cap = current_app.config["OUTBOX_MAX_BACKOFF_SECONDS"]
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), cap))


def _claimable(now: datetime):
    """Due and waiting, or claimed by a worker whose lease has run out (it died or hung)."""
    return or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_until < now),
    )


def due_message_ids(now: datetime | None = None, limit: int = 100) -> list[int]:
    """The messages that could be claimed now, oldest first."""
    now = now or utcnow()
    return list(db.session.scalars(
        select(OutboxMessage.id).where(_claimable(now)).order_by(OutboxMessage.id).limit(limit)))


def claim(message_id: int, now: datetime) -> bool:
    """Take the message for this worker, in a transaction of its own. False if another worker has it,
    it is already sent, or it is not due yet. The conditional UPDATE is the lock: only one claimer matches."""
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _claimable(now))
        .values(status=OutboxStatus.SENDING, claimed_until=now + lease, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult


def deliver_message(message_id: int, now: datetime | None = None) -> bool | None:
    """Send one message if it can be claimed. True if sent, False if it failed (and will be retried),
    None if there was nothing to do (already sent, not due, or another worker has it)."""
    now = now or utcnow()
    if not claim(message_id, now):
        return None
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    if message is None:
        return None
    try:
        provider_id = _send(message)
    except Undeliverable as error:
        # Refused for good (not a number or address that can be used): the next safe channel, or a person.
        message.last_error = str(error)[:500]
        fall_back(message)
        db.session.commit()
        log.warning("outbox message %s cannot be delivered by %s: %s", message.id, message.channel.value, error)
        return False
    except Exception as error:  # noqa: BLE001 - any transport failure is retried, never lost
        message.status = OutboxStatus.PENDING
        message.claimed_until = None
        message.last_error = f"{type(error).__name__}: {error}"[:500]
        message.next_attempt_at = now + backoff_delay(message.attempts)
        db.session.commit()
        log.warning("outbox message %s not delivered (attempt %s): %s", message.id, message.attempts,
                    message.last_error)
        return False
    message.status = OutboxStatus.SENT
    message.claimed_until = None
    message.provider_id = provider_id
    message.sent_at = utcnow()
    message.last_error = None
    # Once it has gone, the stored copy keeps no secret link or code (a reset or invitation link, a witness's
    # code): whoever can read the outbox must not be able to use them. Until then the body stays whole for retries.
    message.body_text = remove_secrets(message.body_text, message.template, current_app.url_map,
                                       current_app.config["PUBLIC_BASE_URL"])
    db.session.commit()
    return True


def deliver_pending(now: datetime | None = None, limit: int = 100) -> DeliveryReport:
    """Send every message that is due (at most `limit`). Safe to run in several workers at once."""
    now = now or utcnow()
    report = DeliveryReport()
    for message_id in due_message_ids(now, limit):
        outcome = deliver_message(message_id, now)
        if outcome is True:
            report.sent += 1
        elif outcome is False:
            report.failed += 1
    return report


def message_id_header(message: OutboxMessage) -> str:
    """The Message-ID every attempt at this message carries: its delivery key at the sender's domain."""
    # The sender may be written with a name ("Service <no-reply@example.org>"): only its address's domain.
    domain = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2] or "localhost"
    return f"<{message.delivery_key}@{domain}>"


@contextmanager
def _socket_timeout(seconds: float):
    """Flask-Mail opens SMTP connections without a timeout; a hung server must not hold a worker forever."""
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous)


def sender_for(message: OutboxMessage) -> str:
    """The From header: the neutral sender (MAIL_NEUTRAL_SENDER, or MAIL_DEFAULT_SENDER's address under
    NEUTRAL_SERVICE_NAME) for a person who asked for a name that does not mention the police, else the usual one."""
    config = current_app.config
    if not message.neutral_sender:
        return config["MAIL_DEFAULT_SENDER"]
    if config.get("MAIL_NEUTRAL_SENDER"):
        return config["MAIL_NEUTRAL_SENDER"]
    return formataddr((config["NEUTRAL_SERVICE_NAME"], parseaddr(config["MAIL_DEFAULT_SENDER"])[1]))


def _send(message: OutboxMessage) -> str | None:
    """Hand one message to its provider; return the provider's id for it, if it gives one.

    With a Notify key, every channel goes through GOV.UK Notify. Without one, email goes by SMTP (Flask-Mail) and
    text messages and letters to the development mailbox."""
    if message.channel is Channel.EMAIL and not notify.configured():
        _send_by_smtp(message)
        return None
    pdf = letters.render_pdf(message) if message.channel is Channel.LETTER else None
    if notify.configured():
        return notify.send(message, pdf)
    return devbox.save(message, pdf)


def _send_by_smtp(message: OutboxMessage) -> None:
    """Hand one email to the SMTP server."""
    email = Message(
        subject=message.subject,
        recipients=[message.recipient],
        body=message.body_text,
        sender=sender_for(message),
    )
    email.msgId = message_id_header(message)
    with _socket_timeout(current_app.config["MAIL_TIMEOUT_SECONDS"]):
        mail.send(email)
