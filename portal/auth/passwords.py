"""Argon2id password hashing with rehash when the parameters change."""

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app

# A real hash to verify against when no account matches, so unknown emails take as long as known ones. It is
# made once when the app starts, so checking against it costs one verification, as for a real account.
_DUMMY_PASSWORD = "not-a-real-password"  # noqa: S105
_DUMMY_HASH_KEY = "portal_dummy_password_hash"


def init_app(app: Flask) -> None:
    """Make the stand-in hash with this app's parameters."""
    with app.app_context():
        app.extensions[_DUMMY_HASH_KEY] = _hasher().hash(_DUMMY_PASSWORD)


def _hasher() -> PasswordHasher:
    """A hasher built from the current configuration."""
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
        type=Type.ID,
    )


def hash_password(password: str) -> str:
    """Hash a password with Argon2id."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if the password matches. With no hash, do the same one verification (against the stand-in) and
    return False."""
    hasher = _hasher()
    if password_hash is None:
        try:
            hasher.verify(current_app.extensions[_DUMMY_HASH_KEY], password)
        except VerificationError:
            pass
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def spend_a_hash(password: str) -> None:
    """Do the work of hashing a password and throw the result away, so that a path which needs no hash takes as
    long as one that does (registration with an address that already has an account)."""
    _hasher().hash(password)


def needs_rehash(password_hash: str) -> bool:
    """True when the stored hash was made with other parameters than today's."""
    return _hasher().check_needs_rehash(password_hash)
