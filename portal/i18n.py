"""Locale choice and UK date formatting (stored in UTC, shown in Europe/London)."""

from datetime import date, datetime

from flask_babel import format_date, format_datetime


def select_locale() -> str:
    """English only for now; translations come later."""
    return "en"


def uk_date(value: date | datetime | None) -> str:
    """22 November 2026 (a datetime is first put into London time)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "d MMMM yyyy")
    return format_date(value, "d MMMM yyyy")


def uk_datetime(value: datetime | None) -> str:
    """22 November 2026 at 1:37pm"""
    if value is None:
        return ""
    time = format_datetime(value, "h:mma").lower()
    return f"{format_datetime(value, 'd MMMM yyyy')} at {time}"


def today_in_london():
    """Today's date where the service runs (the UK), not in UTC."""
    from zoneinfo import ZoneInfo

    from portal.clock import utcnow

    return utcnow().astimezone(ZoneInfo("Europe/London")).date()
