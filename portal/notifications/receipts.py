"""GOV.UK Notify's delivery receipts: what became of a message after Notify accepted it.

Notify POSTs a receipt to the callback (portal.callbacks.views) when a message reaches a final status. The
receipt names the message by Notify's id (kept as `provider_id` when it was sent) and by our reference (the
delivery key). What each status does:

- delivered: stored.
- permanent-failure (a number that does not exist, an address that cannot be delivered to) and temporary-failure
  (Notify tried for days: a phone switched off, an inbox full): stored, and the message goes by the person's
  next safe channel, or a call task is raised when none is left; staff see it on the case
  (portal.notifications.services.fall_back).
- technical-failure: Notify's fault, not the person's, and Notify did not send it. Stored, and the message is
  sent again by the same channel after the outbox's usual delay, with the same delivery key; once it has been
  tried TECHNICAL_RETRIES times it falls back as a permanent failure does, so nobody is left waiting on a channel
  that keeps failing.

A message falls back (or is sent again) at most once for each time it was sent: only a message that is SENT moves,
by a conditional UPDATE, so a receipt Notify repeats, even two copies arriving together, changes nothing more. A
receipt that names an earlier attempt (Notify's id is not the one kept) is stale and ignored. Statuses that are
not a final receipt (Notify's letter statuses: accepted, received, validation-failed, ...) are logged, not stored.
"""

import logging
import re
from dataclasses import dataclass

from sqlalchemy import select, update

from portal.clock import utcnow
from portal.extensions import db
from portal.notifications.delivery import backoff_delay
from portal.notifications.models import OutboxMessage, OutboxStatus, Receipt
from portal.notifications.services import fall_back

log = logging.getLogger(__name__)

FAILURES = frozenset({Receipt.PERMANENT_FAILURE, Receipt.TEMPORARY_FAILURE, Receipt.VALIDATION_FAILED,
                      Receipt.VIRUS_SCAN_FAILED})
TECHNICAL_RETRIES = 3
# Notify's ids are UUIDs; our references are delivery keys (32 hex digits). Anything else names no message of
# ours, and never reaches a query.
_NOTIFY_ID = re.compile(r"[0-9A-Fa-f-]{1,64}")
_DELIVERY_KEY = re.compile(r"[0-9a-f]{32}")


class BadReceipt(ValueError):
    """The body is not a receipt: not an object, or without a usable id, reference or status."""


@dataclass(frozen=True)
class Outcome:
    """What a receipt did. `known` is False when it names no message of ours."""

    known: bool
    changed: bool = False


def _text(payload: dict, name: str, pattern: re.Pattern) -> str | None:
    """The field if it is one of ours; None if it is absent or cannot be; BadReceipt if it is not text."""
    value = payload.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadReceipt(f"{name} is not a string")
    return value if pattern.fullmatch(value) else None


def _message_for(notify_id: str | None, reference: str | None) -> OutboxMessage | None:
    """The message by Notify's id, else by our reference (a receipt that arrives before the id was kept)."""
    if notify_id is not None:
        message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.provider_id == notify_id))
        if message is not None:
            return message
    if reference is not None:
        return db.session.scalar(select(OutboxMessage).where(OutboxMessage.delivery_key == reference))
    return None


def record_receipt(payload: object) -> Outcome:
    """Store one delivery receipt and act on it, in a transaction of its own (committed here).
    Raises BadReceipt for a body that is not a receipt."""
    if not isinstance(payload, dict):
        raise BadReceipt("a receipt is a JSON object")
    status = payload.get("status")
    if not isinstance(status, str) or (payload.get("id") is None and payload.get("reference") is None):
        raise BadReceipt("a receipt has a status and an id or a reference")
    notify_id = _text(payload, "id", _NOTIFY_ID)
    reference = _text(payload, "reference", _DELIVERY_KEY)
    message = _message_for(notify_id, reference)
    if message is None:
        return Outcome(known=False)
    if notify_id is not None and message.provider_id is not None and notify_id != message.provider_id:
        log.info("receipt for an earlier attempt at outbox message %s ignored", message.id)
        return Outcome(known=True)
    try:
        receipt = Receipt(status)
    except ValueError:
        log.info("a Notify status for outbox message %s is not a delivery receipt; not stored", message.id)
        return Outcome(known=True)
    changed = _apply(message, receipt)
    db.session.commit()
    return Outcome(known=True, changed=changed)


def _take(message: OutboxMessage, status: OutboxStatus) -> bool:
    """Move a sent message on, once: the conditional UPDATE is the lock, so of two requests carrying the same
    receipt at the same moment only one matches (the other waits for it, then finds the message moved)."""
    result = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message.id, OutboxMessage.status == OutboxStatus.SENT)
        .values(status=status).execution_options(synchronize_session=False))
    return result.rowcount == 1  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult


def _apply(message: OutboxMessage, receipt: Receipt) -> bool:
    """Store the receipt and do what it asks; False when it changes nothing (a repeat)."""
    stored = message.receipt is not receipt
    if stored:
        message.receipt = receipt
        message.receipt_at = utcnow()
    if message.status is not OutboxStatus.SENT or receipt is Receipt.DELIVERED:
        return stored  # delivered, or already acted on (failed over, or waiting to be sent again)
    give_up = receipt in FAILURES or message.attempts >= TECHNICAL_RETRIES
    if not _take(message, OutboxStatus.FAILED if give_up else OutboxStatus.PENDING):
        return stored  # the same receipt, arriving twice at once, is being acted on by the other request
    message.last_error = f"Notify: {receipt.value}"
    if give_up:
        fall_back(message)
        log.warning("outbox message %s: %s; sent by the next safe channel if any", message.id, receipt.value)
    else:  # a technical failure: the same channel again, after the usual delay
        message.status = OutboxStatus.PENDING
        message.next_attempt_at = utcnow() + backoff_delay(message.attempts)
        log.warning("outbox message %s: Notify's technical failure (attempt %s); sent again later",
                    message.id, message.attempts)
    return True
