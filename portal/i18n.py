"""Locale choice and UK date formatting (stored in UTC, shown in Europe/London)."""

from datetime import datetime

from flask_babel import format_datetime


def select_locale() -> str:
    """English only for now; translations come later."""
    return "en"


def uk_date(value: datetime | None) -> str:
    """22 November 2026"""
    if value is None:
        return ""
    return format_datetime(value, "d MMMM yyyy")


def uk_datetime(value: datetime | None) -> str:
    """22 November 2026 at 1:37pm"""
    if value is None:
        return ""
    time = format_datetime(value, "h:mma").lower()
    return f"{format_datetime(value, 'd MMMM yyyy')} at {time}"
