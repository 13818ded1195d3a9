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
     "property_done": True, "follow_up": "none"},
    {"category": "vehicle_damage", "borough": "Hackney", "location": "Outside 12 Mare Street",
     "description": "Someone scratched the driver's door and broke the wing mirror overnight.",
     "has_property": "no", "follow_up": "call"},
    {"category": "theft_from_vehicle", "borough": "Lambeth", "location": "Car park behind the library",
     "description": "The back window was smashed and a laptop bag was taken from the seat.",
     "has_property": "no", "follow_up": "visit"},
    {"category": "criminal_damage", "borough": "Southwark", "location": "My front garden wall",
     "description": "Graffiti was sprayed across the wall and the gate was kicked in.",
     "has_property": "no", "follow_up": "call"},
]

# The path each demo case takes through triage and investigation, so every status has an example.
DEMO_PATHS = {
    "received": [],
    "triaged": [("call",)],
    "no_further_investigation": [("nfi", "no_lines_of_enquiry")],
    "attendance_arranged": [("visit",)],
    "referred_elsewhere": [("refer", "council_asb")],
    "under_investigation": [("allocate",)],
    "suspect_identified": [("allocate",), ("update", "suspect_identified")],
    "suspect_arrested": [("allocate",), ("update", "suspect_arrested")],
    "suspect_interviewed": [("allocate",), ("update", "suspect_arrested"), ("update", "suspect_interviewed")],
    "released_under_investigation": [("allocate",), ("update", "suspect_arrested"),
                                     ("update", "released_under_investigation")],
    "charged": [("allocate",), ("update", "suspect_arrested"), ("update", "charged")],
    "court_hearing_scheduled": [("allocate",), ("update", "charged"), ("update", "court_hearing_scheduled")],
    "outcome": [("allocate",), ("update", "charged"), ("update", "outcome")],
    "closed": [("allocate",), ("update", "charged"), ("update", "outcome"), ("update", "closed")],
}


def _demo_reports(victim) -> list[str]:
    """Submit the demo victim's reports through the normal services, and take each to a different status. Once."""
    from datetime import timedelta

    from sqlalchemy import func, select

    from portal.clock import utcnow
    from portal.reporting.models import Report
    from portal.reporting.services import get_category, save_answers, start_draft, submit_report

    existing = db.session.scalar(select(func.count()).select_from(Report).where(Report.reporter_user_id == victim.id))
    if existing:
        return [f"Demo cases: {existing} already there"]
    officer = get_user_by_email("officer@example.org")
    officer.display_name = officer.display_name or "PC 1234 Alex Morgan"
    numbers = []
    for index, (status, path) in enumerate(DEMO_PATHS.items()):
        extra = DEMO_REPORTS[index % len(DEMO_REPORTS)]
        draft, _token = start_draft(victim)
        category = get_category(extra["category"])
        save_answers(draft, {
            "danger_now": "no", "immediate_risk": "no", "category_route": category.route.value,
            "reporter_role": "victim", "occurred_on": (utcnow().date() - timedelta(days=index + 1)).isoformat(),
            "suspect_description": "", "other_witnesses": "", "evidence_done": True,
            "contact_name": "Demo Victim", "contact_email": victim.email, "safe_channels": ["email"],
            "voicemail_allowed": "no", "neutral_sender": "yes", "would_have_reported": "no", **extra,
        })
        report = submit_report(draft, victim)
        for step in path:
            _demo_step(officer, report, step)
        numbers.append(f"{report.crime_number} ({status.replace('_', ' ')})")
    return ["Demo cases for " + victim.email + ":", *(f"  {n}" for n in numbers)]


def _demo_step(officer, report, step) -> None:
    """Apply one triage decision or update as the demo officer."""
    from datetime import timedelta

    from portal.clock import utcnow
    from portal.reporting.models import CaseStatus
    from portal.triage import services as triage

    kind = step[0]
    version = report.version
    if kind == "call":
        triage.request_call(officer, report, version)
    elif kind == "nfi":
        triage.decide_no_further_investigation(officer, report, version, step[1])
    elif kind == "visit":
        triage.arrange_attendance(officer, report, version, utcnow() + timedelta(days=2))
    elif kind == "refer":
        triage.refer_elsewhere(officer, report, version, step[1])
    elif kind == "allocate":
        triage.allocate_for_investigation(officer, report, version, officer)
    elif kind == "update":
        status = CaseStatus(step[1])
        extra = {}
        if status == CaseStatus.COURT_HEARING_SCHEDULED:
            extra = {"hearing_place": "Highbury Corner Magistrates' Court", "hearing_at": utcnow() + timedelta(days=30)}
        triage.post_update(officer, report, version, status, None, utcnow() - timedelta(hours=2), True,
                           status == CaseStatus.COURT_HEARING_SCHEDULED, **extra)
