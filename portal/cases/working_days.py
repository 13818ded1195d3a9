"""Working days for Victims' Code deadlines: Monday to Friday except England and Wales bank holidays.

The bank-holiday calendar is data (bank_holidays.json next to this module); add each new year there.
"""

import json
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path

from portal.clock import LONDON

CALENDAR_FILE = Path(__file__).with_name("bank_holidays.json")
END_OF_DAY = time(23, 59, 59)


class CalendarNotCovered(LookupError):
    """A date falls in a year that bank_holidays.json does not list."""

    def __init__(self, year: int) -> None:
        """Name the year that needs adding."""
        covered = covered_years()
        super().__init__(
            f"No England and Wales bank holidays for {year}: add {year} to {CALENDAR_FILE.name} "
            f"(it covers {covered.start}-{covered.stop - 1})"
        )
        self.year = year


@cache
def _calendar() -> dict[int, frozenset[date]]:
    """Bank holidays by year, read once from bank_holidays.json."""
    raw = json.loads(CALENDAR_FILE.read_text(encoding="utf-8"))
    calendar = {int(year): frozenset(map(date.fromisoformat, days)) for year, days in raw["dates"].items()}
    for year, days in calendar.items():
        if any(day.year != year for day in days):
            raise ValueError(f"{CALENDAR_FILE.name}: a date listed under {year} is in another year")
    years = sorted(calendar)
    if not years or years != list(range(years[0], years[-1] + 1)):
        raise ValueError(f"{CALENDAR_FILE.name} must list consecutive years, got {years}")
    return calendar


@cache
def bank_holidays() -> frozenset[date]:
    """Every England and Wales bank holiday in bank_holidays.json."""
    return frozenset().union(*_calendar().values())


def covered_years() -> range:
    """The years bank_holidays.json covers, e.g. range(2024, 2029)."""
    years = _calendar().keys()
    return range(min(years), max(years) + 1)


def is_working_day(day: date) -> bool:
    """True for Monday to Friday unless an England and Wales bank holiday; raises CalendarNotCovered if unknown."""
    if day.year not in covered_years():
        raise CalendarNotCovered(day.year)
    return day.weekday() < 5 and day not in bank_holidays()


def _london_date(moment: datetime) -> date:
    """The calendar date in London at an aware moment; ValueError if naive."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"Expected a timezone-aware datetime, got naive {moment!r}")
    return moment.astimezone(LONDON).date()


def add_working_days(start: datetime, days: int) -> datetime:
    """End (23:59:59 London, as UTC) of the `days`-th working day after start's London date."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    day = _london_date(start)
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return datetime.combine(day, END_OF_DAY, tzinfo=LONDON).astimezone(UTC)


def end_of_working_day(moment: datetime) -> datetime:
    """End (23:59:59 London, as UTC) of the working day `moment` falls on, or of the next one if it falls on none."""
    day = _london_date(moment)
    if not is_working_day(day):
        return add_working_days(moment, 1)
    return datetime.combine(day, END_OF_DAY, tzinfo=LONDON).astimezone(UTC)


def working_days_between(start: datetime, end: datetime) -> int:
    """Working days after start's London date up to and including end's (0 if end is not later)."""
    first, last = _london_date(start), _london_date(end)
    return sum(is_working_day(first + timedelta(days=n)) for n in range(1, (last - first).days + 1))
