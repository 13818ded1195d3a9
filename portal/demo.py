"""Demo data for local development and show-and-tell. Safe to run more than once."""

import os

from portal.auth.models import Role
from portal.auth.services import create_user, get_user_by_email
from portal.extensions import db

DEFAULT_DEMO_PASSWORD = "correct-horse-battery"  # noqa: S105 - printed for local use only

DEMO_ACCOUNTS = [
    ("victim@example.org", Role.VICTIM),
    ("witness@example.org", Role.WITNESS),
    ("officer@example.org", Role.OFFICER),
    ("supervisor@example.org", Role.SUPERVISOR),
    ("partner@example.org", Role.PARTNER),
    ("admin@example.org", Role.ADMIN),
]


def load_demo_data() -> list[str]:
    """Create what is missing and return lines describing how to sign in."""
    password = os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
    lines = [f"Demo accounts (password: {password})"]
    for email, role in DEMO_ACCOUNTS:
        user = get_user_by_email(email)
        created = user is None
        if created:
            user = create_user(email, password, role, verified=True)
        state = "created" if created else "already there"
        line = f"  {role.value:<11} {email:<26} {state}"
        if user.needs_totp:
            line += f"  TOTP secret: {user.totp_secret}"
        lines.append(line)
    db.session.commit()
    lines.append("Staff sign in with a code from an authenticator app set up with the TOTP secret,")
    lines.append("or print one with: .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('SECRET').now())\"")
    return lines
