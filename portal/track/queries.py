"""Read-only questions for following a case without an account: which case a crime number names, how many codes
it was sent lately, and what its victim may see (the same as on their own case page, nothing more)."""

from datetime import datetime

from sqlalchemy import func, select

from portal.cases.models import Report
from portal.extensions import db
from portal.track.models import TrackingCode


def report_by_crime_number(crime_number: str) -> Report | None:
    """The case with this crime number, or None."""
    return db.session.scalar(select(Report).where(Report.crime_number == crime_number))


def tracked_report(report_id: int) -> Report | None:
    """The case a tracking view was opened for, or None if it has gone."""
    return db.session.get(Report, report_id)


def codes_sent_since(report_id: int, since: datetime) -> int:
    """How many codes this case was sent since then."""
    return db.session.scalar(select(func.count(TrackingCode.id)).where(TrackingCode.report_id == report_id,
                                                                       TrackingCode.sent_at >= since)) or 0


def live_codes(report_id: int, now: datetime, attempts: int) -> list[TrackingCode]:
    """The case's codes that can still open it: not used, not expired, fewer than `attempts` wrong tries."""
    return list(db.session.scalars(select(TrackingCode).where(
        TrackingCode.report_id == report_id, TrackingCode.used_at.is_(None), TrackingCode.expires_at > now,
        TrackingCode.attempts < attempts).order_by(TrackingCode.id)))


