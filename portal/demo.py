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
    lines.extend(_demo_reports(get_user_by_email("victim@example.org")))
    lines.append("Staff sign in with a code from an authenticator app set up with the TOTP secret,")
    lines.append("or print one with: .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('SECRET').now())\"")
    return lines


DEMO_REPORTS = [
    {"category": "bicycle_theft", "borough": "Camden", "postcode": "NW1 2DB",
     "description": "My bike was locked to the railings outside the station and was gone when I came back.",
     "has_property": "yes", "property_items": [{"description": "Black Raleigh bicycle", "value": "250"}],
     "property_done": True,
     "follow_up": "none"},
    {"category": "vehicle_damage", "borough": "Hackney", "location": "Outside 12 Mare Street",
     "description": "Someone scratched the driver's door and broke the wing mirror overnight.",
     "has_property": "no", "follow_up": "call"},
]


def _demo_reports(victim) -> list[str]:
    """Submit the demo victim's reports through the normal service, once."""
    from datetime import timedelta

    from sqlalchemy import func, select

    from portal.clock import utcnow
    from portal.reporting.models import Report
    from portal.reporting.services import get_category, save_answers, start_draft, submit_report

    existing = db.session.scalar(select(func.count()).select_from(Report).where(Report.reporter_user_id == victim.id))
    if existing:
        return [f"Demo reports: {existing} already there"]
    numbers = []
    for index, extra in enumerate(DEMO_REPORTS):
        draft, _token = start_draft(victim)
        category = get_category(extra["category"])
        answers = {
            "danger_now": "no", "immediate_risk": "no", "category_route": category.route.value,
            "reporter_role": "victim", "occurred_on": (utcnow().date() - timedelta(days=index + 1)).isoformat(),
            "suspect_description": "", "other_witnesses": "", "evidence_done": True,
            "contact_name": "Demo Victim", "contact_email": victim.email, "safe_channels": ["email"],
            "voicemail_allowed": "no", "neutral_sender": "yes", "would_have_reported": "no",
            **extra,
        }
        save_answers(draft, answers)
        numbers.append(submit_report(draft, victim).crime_number)
    return [f"Demo reports for {victim.email}: {', '.join(numbers)}"]
