"""Session helpers: loading the user, the pending TOTP step, and idle time-out."""

from datetime import datetime

from flask import current_app, session

from portal.auth import session_records
from portal.clock import utcnow

# The secret of the server's record of this signed-in session (portal.auth.session_records).
SESSION_RECORD_KEY = "sid"
PENDING_KEY = "pending_user_id"
PENDING_AT_KEY = "pending_since"
LAST_SEEN_KEY = "last_seen"
PENDING_MAX_SECONDS = 300


def load_user(user_id: str):
    """Flask-Login's user loader: the account, only while the server's record of this session is good."""
    try:
        return session_records.user_for_session(int(user_id), session.get(SESSION_RECORD_KEY))
    except (TypeError, ValueError, OverflowError):
        return None


def end_this_session(reason: str = "signed_out") -> None:
    """End the server's record of this browser's session (the caller clears the cookie session)."""
    session_records.end_session(session.get(SESSION_RECORD_KEY), reason)


def start_pending_login(user_id: int, next_url: str | None) -> None:
    """Remember that the password step passed and the TOTP step is due."""
    session.clear()
    session[PENDING_KEY] = user_id
    session[PENDING_AT_KEY] = utcnow().timestamp()
    if next_url:
        session["next_url"] = next_url


def pending_user_id() -> int | None:
    """The user waiting for the TOTP step, if the password step was recent."""
    user_id = session.get(PENDING_KEY)
    started = session.get(PENDING_AT_KEY, 0)
    if user_id is None or utcnow().timestamp() - started > PENDING_MAX_SECONDS:
        return None
    return user_id


def is_idle_expired(now: datetime | None = None) -> bool:
    """Whether the signed-in session has been idle past the limit."""
    last_seen = session.get(LAST_SEEN_KEY)
    if last_seen is None:
        return False
    now = now or utcnow()
    return now.timestamp() - last_seen > current_app.config["SESSION_IDLE_MINUTES"] * 60


def touch() -> None:
    """Record activity now."""
    session[LAST_SEEN_KEY] = utcnow().timestamp()
