"""Account models."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.roles import PUBLIC_ROLES, TOTP_ROLES, Role
from portal.database import Base, TimestampMixin, enum_column


class User(UserMixin, TimestampMixin, Base):
    """A person with an account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # A member of staff's name, for example "Sam Jones". Not used for victims or witnesses. Staff are shown by
    # portal.auth.staff_names, which puts an officer's rank and collar number before it ("PC 1234 Sam Jones").
    display_name: Mapped[str | None] = mapped_column(String(100))
    # Police officers' rank (portal.auth.staff_names.RANKS) and collar number (digits). None for other staff.
    rank: Mapped[str | None] = mapped_column(String(10))
    collar_number: Mapped[str | None] = mapped_column(String(10))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        enum_column(Role, 20)
    )
    email_verified_at: Mapped[datetime | None]
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None]
    # The last TOTP time-step accepted, so a code cannot be replayed.
    totp_last_step: Mapped[int | None]
    is_active_account: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]
    # The language pages and emails are in (portal.i18n.LANGUAGES); None means English.
    locale: Mapped[str | None] = mapped_column(String(5))
    # Partner accounts act for exactly one organisation.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"),
                                                        index=True)

    tokens: Mapped[list["AccountToken"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:
        """Flask-Login: deactivated accounts cannot sign in."""
        return self.is_active_account

    @property
    def needs_totp(self) -> bool:
        """Whether this account must pass the TOTP step."""
        return self.role in TOTP_ROLES

    @property
    def is_staff(self) -> bool:
        """Police, partner and admin accounts."""
        return self.role not in PUBLIC_ROLES

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class TokenPurpose(enum.StrEnum):
    """What an emailed single-use link is for."""

    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a purpose name, not a secret
    CLAIM_REPORT = "claim_report"


class AccountToken(TimestampMixin, Base):
    """A single-use, expiring secret sent by email. Only its hash is stored."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(
        enum_column(TokenPurpose, 30)
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # What the token acts on, when it is more than the account (for example the report being claimed).
    subject_id: Mapped[int | None]

    user: Mapped[User] = relationship(back_populates="tokens")


class AccountSession(Base):
    """One signed-in browser. The cookie carries a random secret; only its hash is stored. A session is good
    while it has not ended, its account is active, and it is younger than the absolute limit, so signing out,
    a new password, "sign out everywhere" or deactivation ends it on the server, whatever a copied cookie says."""

    __tablename__ = "account_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    # Why it ended: "signed_out", "password_changed", "signed_out_everywhere", "deactivated", "idle".
    ended_reason: Mapped[str | None] = mapped_column(String(30))


class FailedAttempt(Base):
    """A wrong password or code, counted against a keyed hash of the email address it was for (whether or not
    an account has it), so the back-off looks the same for every address."""

    __tablename__ = "failed_attempts"
    __table_args__ = (Index("ix_failed_attempts_key_at", "key_hash", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(index=True)
