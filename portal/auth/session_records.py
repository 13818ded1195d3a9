"""Signed-in sessions the server can end: one record per browser, checked on every request.

The session cookie is signed, so it cannot be forged, but a copy of it would otherwise be good for as long as
someone kept using it. Each sign-in therefore opens a record whose secret the cookie carries (the database keeps
only its hash). Signing out ends that record; a new password, "sign out everywhere" and deactivation end every
record of the account; and no record outlives SESSION_MAX_HOURS, however busy.
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import cast

from flask import current_app
from sqlalchemy import CursorResult, select, update

from portal.audit.services import record_audit
from portal.auth.models import AccountSession, User
from portal.clock import utcnow
from portal.extensions import db

# How often a busy session's last-seen time is written (not on every request).
LAST_SEEN_EVERY = timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def open_session(user: User) -> str:
    """Start a record for a new sign-in (in the caller's transaction); return the secret for the cookie."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(AccountSession(user_id=user.id, secret_hash=_digest(secret), started_at=now, last_seen_at=now))
    return secret


def user_for_session(user_id: int, secret: str | None, now: datetime | None = None) -> User | None:
    """The account this cookie signs in, if its record is still good: one statement per request."""
    if not secret or len(secret) > 100:
        return None
    now = now or utcnow()
    row = db.session.execute(
        select(User, AccountSession.id, AccountSession.last_seen_at)
        .join(AccountSession, AccountSession.user_id == User.id)
        .where(User.id == user_id, User.is_active_account.is_(True), AccountSession.secret_hash == _digest(secret),
               AccountSession.ended_at.is_(None),
               AccountSession.started_at > now - timedelta(hours=current_app.config["SESSION_MAX_HOURS"]),
               AccountSession.last_seen_at > now - timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]))
    ).first()
    if row is None:
        return None
    user, record_id, last_seen = row
    if now - last_seen >= LAST_SEEN_EVERY:
        db.session.execute(update(AccountSession).where(AccountSession.id == record_id)
                           .values(last_seen_at=now).execution_options(synchronize_session=False))
        db.session.commit()
    return user


def end_session(secret: str | None, reason: str = "signed_out") -> None:
    """End one browser's session (signing out). Commits."""
    if secret:
        db.session.execute(update(AccountSession)
                           .where(AccountSession.secret_hash == _digest(secret), AccountSession.ended_at.is_(None))
                           .values(ended_at=utcnow(), ended_reason=reason)
                           .execution_options(synchronize_session=False))
    db.session.commit()


def end_all_sessions(user_id: int, reason: str) -> int:
    """End every open session of the account, in the caller's transaction; how many were open."""
    result = cast(CursorResult, db.session.execute(update(AccountSession)
                                .where(AccountSession.user_id == user_id, AccountSession.ended_at.is_(None))
                                .values(ended_at=utcnow(), ended_reason=reason)
                                .execution_options(synchronize_session=False)))
    return result.rowcount


def sign_out_everywhere(actor: User, user_id: int) -> int:
    """End every session of an account (one's own, or, for an administrator, anyone's). Commits."""
    ended = end_all_sessions(user_id, "signed_out_everywhere")
    record_audit(actor.id, "sessions.ended_everywhere", "user", str(user_id), f"{ended} session(s)")
    db.session.commit()
    return ended

