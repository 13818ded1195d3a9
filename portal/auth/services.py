"""Account services: the only code in auth that writes to the database."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from portal.audit.services import record_audit
from portal.auth import backoff, passwords, session_records, totp
from portal.auth.models import TokenPurpose, User
from portal.auth.roles import Role
from portal.auth.tokens import find_valid_token, issue_token
from portal.clock import utcnow
from portal.domain import DomainError
from portal.extensions import db
from portal.i18n import LANGUAGES, N_, current_language
from portal.links import absolute_url
from portal.notifications.services import queue_email_to


def normalise_email(email: str) -> str:
    """Emails are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def get_user_by_email(email: str) -> User | None:
    """The account with this email address, if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def get_user(user_id: int) -> User | None:
    """The account with this id, if any."""
    return db.session.get(User, user_id)


def create_user(email: str, password: str, role: Role, verified: bool = False) -> User:
    """Add an account to the current transaction."""
    user = User(
        email=normalise_email(email),
        password_hash=passwords.hash_password(password),
        role=role,
        email_verified_at=utcnow() if verified else None,
    )
    if user.needs_totp:
        user.totp_secret = totp.new_secret()
    db.session.add(user)
    db.session.flush()
    return user


def register_account(email: str, password: str) -> None:
    """Register a victim or witness account and email a verification link.

    The outcome looks the same whether or not the address is already registered, so the form
    cannot be used to find out who has an account. The owner of an existing account is told by email.
    """
    existing = get_user_by_email(email)
    if existing is not None:
        passwords.spend_a_hash(password)  # the same work as a new account, so the time taken tells nothing
        queue_email_to(existing, "account_exists", sign_in_link=absolute_url("auth.login"),
                       reset_link=absolute_url("auth.reset_request"))
        db.session.commit()
        return
    user = create_user(email, password, Role.VICTIM)
    user.locale = current_language()  # the language they registered in, for pages and emails from now on
    _send_verification(user)
    record_audit(user.id, "account.registered", "user", str(user.id))
    db.session.commit()


def set_language(user: User, language: str) -> None:
    """Keep a victim's or witness's choice of language on their account (pages and emails follow it)."""
    if language not in LANGUAGES:
        raise DomainError(N_("Choose a language from the list"))
    if user.is_staff:
        raise DomainError(N_("Staff pages are in English"))
    account = db.session.get_one(User, user.id)
    if account.locale != language:
        account.locale = language
        record_audit(account.id, "account.language_changed", "user", str(account.id), language)
    db.session.commit()


def _send_verification(user: User) -> None:
    """Queue a fresh verification link."""
    lifetime = timedelta(hours=current_app.config["VERIFY_EMAIL_TOKEN_HOURS"])
    token = issue_token(user, TokenPurpose.VERIFY_EMAIL, lifetime)
    queue_email_to(user, "verify_email", link=absolute_url("auth.verify_email", token=token),
                   hours=current_app.config["VERIFY_EMAIL_TOKEN_HOURS"])


def resend_verification(user: User) -> None:
    """Send another verification link to an unverified account."""
    if user.email_verified_at is None:
        _send_verification(user)
        db.session.commit()


def verify_email(token: str) -> User:
    """Mark the account's email as confirmed. Raises DomainError for a bad or used link."""
    record = find_valid_token(token, TokenPurpose.VERIFY_EMAIL)
    if record is None:
        raise DomainError(N_("This link has expired or has already been used"))
    record.used_at = utcnow()
    user = record.user
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    record_audit(user.id, "account.email_verified", "user", str(user.id))
    db.session.commit()
    return user


def _refuse_while_waiting(email: str) -> None:
    """Raise the back-off message if this address must wait before trying again."""
    minutes = backoff.minutes_to_wait(email)
    if minutes == 1:
        raise DomainError(N_("You have tried too many times. Wait 1 minute, then try again."))
    if minutes:
        raise DomainError(N_("You have tried too many times. Wait %(minutes)d minutes, then try again."),
                          minutes=minutes)


def authenticate(email: str, password: str) -> User | None:
    """The active account these credentials belong to, or None. Rehashes old-parameter hashes.

    Raises DomainError while the address must wait after repeated failures (portal.auth.backoff); the check
    comes first and does the same for every address, with or without an account."""
    if not email:
        return None
    _refuse_while_waiting(email)
    user = get_user_by_email(email)
    # Checked even with no such account (against a stand-in hash): one verification either way, so the time
    # taken does not tell whether an account exists.
    verified = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not verified:
        backoff.record_failure(email, user)
        if user is not None:
            record_audit(user.id, "login.failed", "user", str(user.id))
        db.session.commit()
        return None
    if not user.is_active:
        return None
    if not user.needs_totp:  # with a second step, only the whole sign-in clears the count
        backoff.clear_failures(email)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    db.session.commit()
    return user


def record_login(user: User) -> str:
    """Note a completed sign-in and open the server's record of the new session; its secret, for the cookie."""
    user.last_login_at = utcnow()
    secret = session_records.open_session(user)
    record_audit(user.id, "login.succeeded", "user", str(user.id))
    db.session.commit()
    return secret


def check_totp(user: User, code: str) -> bool:
    """Accept a TOTP code once; confirms enrolment on first success."""
    if not user.totp_secret:
        return False
    _refuse_while_waiting(user.email)
    step = totp.matching_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        backoff.record_failure(user.email, user)
        record_audit(user.id, "totp.failed", "user", str(user.id))
        db.session.commit()
        return False
    user.totp_last_step = step
    backoff.clear_failures(user.email)
    if user.totp_confirmed_at is None:
        user.totp_confirmed_at = utcnow()
        record_audit(user.id, "totp.enrolled", "user", str(user.id))
    db.session.commit()
    return True


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists. Says nothing either way."""
    user = get_user_by_email(email)
    if user is None or not user.is_active:
        return
    minutes = current_app.config["RESET_PASSWORD_TOKEN_MINUTES"]
    token = issue_token(user, TokenPurpose.RESET_PASSWORD, timedelta(minutes=minutes))
    queue_email_to(user, "reset_password", link=absolute_url("auth.reset_password", token=token), minutes=minutes)
    record_audit(user.id, "password.reset_requested", "user", str(user.id))
    db.session.commit()


def reset_token_is_valid(token: str) -> bool:
    """Whether a reset link can still be used."""
    return find_valid_token(token, TokenPurpose.RESET_PASSWORD) is not None


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset link, which then stops working."""
    record = find_valid_token(token, TokenPurpose.RESET_PASSWORD)
    if record is None:
        raise DomainError(N_("This link has expired or has already been used"))
    record.used_at = utcnow()
    user = record.user
    user.password_hash = passwords.hash_password(new_password)
    # Any browser signed in with the old password (perhaps someone else's) is signed out.
    session_records.end_all_sessions(user.id, "password_changed")
    # Following the link proves the person reads this inbox.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    queue_email_to(user, "password_changed", sign_in_link=absolute_url("auth.login"),
                   reset_link=absolute_url("auth.reset_request"))
    record_audit(user.id, "password.reset", "user", str(user.id))
    db.session.commit()
    return user
