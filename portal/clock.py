"""One place to ask the time, so tests can reason about it."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

# Where the service runs: dates and times are shown, and typed, in London time.
LONDON = ZoneInfo("Europe/London")
# A time of day typed as HH:MM (or HH.MM) in the 24-hour clock.
TIME_PATTERN = r"^([01]?[0-9]|2[0-3])[:.][0-5][0-9]$"


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def london_datetime(day: date, clock: str) -> datetime:
    """A London date and HH:MM time (checked against TIME_PATTERN) as an aware UTC datetime."""
    hours, minutes = (int(part) for part in clock.replace(".", ":").split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=LONDON).astimezone(UTC)


def today_in_london() -> date:
    """Today's date where the service runs (the UK), not in UTC."""
    return utcnow().astimezone(LONDON).date()
