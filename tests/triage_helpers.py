"""Making reports to triage, without walking the wizard each time."""

from datetime import timedelta

from sqlalchemy import select

from portal.cases.models import Report
from portal.clock import utcnow
from portal.extensions import db
from portal.reporting.services import get_category, save_answers, start_draft, submit_report

BASE_ANSWERS = {
    "danger_now": "no", "immediate_risk": "no", "category": "bicycle_theft", "category_route": "self_service",
    "reporter_role": "victim", "borough": "Camden", "location": "Outside the station",
    "description": "My bike was taken.", "has_property": "no", "suspect_description": "", "other_witnesses": "",
    "evidence_done": True, "contact_name": "Sam Victim", "contact_email": "sam@example.org",
    "safe_channels": ["email"], "voicemail_allowed": "no", "neutral_sender": "yes", "contact_needs": [],
    "follow_up": "call",
    "would_have_reported": "no",
    # Asked (and kept) only when "letter" is among the safe channels; otherwise the service ignores it.
    "address_line_1": "10 Station Road", "address_line_2": "", "address_town": "London", "address_postcode": "NW1 2DB",
}


def make_report(app, user=None, **overrides) -> str:
    """Submit a report through the reporting service and return its crime number."""
    with app.app_context():
        owner = db.session.merge(user) if user is not None else None
        draft, _token = start_draft(owner)
        answers = {**BASE_ANSWERS, "occurred_on": (utcnow().date() - timedelta(days=1)).isoformat(), **overrides}
        if "category" in overrides:
            answers["category_route"] = get_category(overrides["category"]).route.value
        save_answers(draft, answers)
        return submit_report(draft, owner).crime_number


def report_state(app, crime_number) -> Report:
    """A fresh, detached copy of a report."""
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.crime_number == crime_number))
        db.session.expunge(report)
        return report
