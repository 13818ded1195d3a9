"""Back-off per account after wrong passwords and codes, on top of the per-address rate limits.

Failures are counted against a keyed hash of the email address they were for, whether or not an account has
that address, so a wait looks the same for every address and says nothing about who has an account. Within the
window, the first few failures cost nothing; after that each sign-in must wait, starting at a minute and doubling
with each further failure up to the longest wait. There is never a permanent lock: the wait runs out by itself,
and a successful sign-in clears the count. After many failures in a day the account holder is told, by email.
"""

import hashlib
import hmac
import math
from datetime import datetime, timedelta
from typing import cast

from flask import current_app
from sqlalchemy import CursorResult, delete, func, select

from portal.auth.models import FailedAttempt, User
from portal.clock import utcnow
from portal.extensions import db
from portal.links import absolute_url
from portal.notifications.services import queue_email_to


def _key(email: str) -> str:
    """The keyed hash the failures of this address are counted under (the address itself is not stored)."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def wait_after(failures: int) -> timedelta:
    """How long to wait after this many failures within the window."""
    config = current_app.config
    over = failures - config["BACKOFF_FREE_FAILURES"]
    if over < 0:
        return timedelta(0)
    longest = timedelta(minutes=config["BACKOFF_LONGEST_WAIT_MINUTES"])
    return min(timedelta(seconds=config["BACKOFF_FIRST_WAIT_SECONDS"] * 2 ** min(over, 20)), longest)


def minutes_to_wait(email: str, now: datetime | None = None) -> int:
    """Whole minutes (rounded up) before this address may try again; 0 if it may try now."""
    now = now or utcnow()
    window = timedelta(minutes=current_app.config["BACKOFF_WINDOW_MINUTES"])
    count, last = db.session.execute(
        select(func.count(FailedAttempt.id), func.max(FailedAttempt.occurred_at))
        .where(FailedAttempt.key_hash == _key(email), FailedAttempt.occurred_at > now - window)
    ).one()
    if not count:
        return 0
    remaining = last + wait_after(count) - now
    return math.ceil(remaining.total_seconds() / 60) if remaining > timedelta(0) else 0


def record_failure(email: str, account: User | None, now: datetime | None = None) -> None:
    """Count a wrong password or code for this address (in the caller's transaction). When the day's count
    reaches the threshold, the account holder, if there is one, is told once."""
    now = now or utcnow()
    key = _key(email)
    db.session.add(FailedAttempt(key_hash=key, occurred_at=now))
    db.session.flush()
    if account is None:
        return
    today = db.session.scalar(select(func.count(FailedAttempt.id)).where(
        FailedAttempt.key_hash == key, FailedAttempt.occurred_at > now - timedelta(days=1)))
    if today == current_app.config["BACKOFF_TELL_AFTER_DAILY"]:
        queue_email_to(account, "sign_in_attempts", reset_link=absolute_url("auth.reset_request"),
                       sign_in_link=absolute_url("auth.login"))


def clear_failures(email: str) -> None:
    """Forget the failures of this address after a successful sign-in (in the caller's transaction)."""
    db.session.execute(delete(FailedAttempt).where(FailedAttempt.key_hash == _key(email)))


def forget_old_failures(now: datetime | None = None) -> int:
    """Delete failures older than a day (nothing reads them after that); how many. The caller commits."""
    now = now or utcnow()
    result = cast(CursorResult, db.session.execute(
        delete(FailedAttempt).where(FailedAttempt.occurred_at < now - timedelta(days=1))))
    return result.rowcount
