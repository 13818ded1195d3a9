"""Single-use, expiring tokens for emailed links. The database keeps only a SHA-256 of each."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import AccountToken, TokenPurpose, User
from portal.clock import utcnow
from portal.extensions import db


def _digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, purpose: TokenPurpose, lifetime: timedelta, subject_id: int | None = None) -> str:
    """Create a token for the user, retiring older unused ones for the same purpose."""
    now = utcnow()
    for old in db.session.scalars(
        select(AccountToken).where(
            AccountToken.user_id == user.id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None)
        )
    ):
        old.used_at = now
    token = secrets.token_urlsafe(32)
    db.session.add(AccountToken(user=user, purpose=purpose, token_hash=_digest(token), expires_at=now + lifetime,
                                subject_id=subject_id))
    return token


def find_valid_token(token: str, purpose: TokenPurpose) -> AccountToken | None:
    """The unused, unexpired token record matching this secret, or None."""
    if not token or len(token) > 200:
        return None
    record = db.session.scalar(
        select(AccountToken).where(AccountToken.token_hash == _digest(token), AccountToken.purpose == purpose)
    )
    if record is None or record.used_at is not None or record.expires_at <= utcnow():
        return None
    return record
