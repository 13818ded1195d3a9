"""Victims' Code working-day deadlines against the England and Wales bank-holiday calendar."""

import json
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.cases.working_days import (
    CALENDAR_FILE,
    LONDON,
    CalendarNotCovered,
    add_working_days,
    bank_holidays,
    covered_years,
    is_working_day,
    working_days_between,
)


def london(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """An aware datetime at a London wall-clock time."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def test_good_friday_plus_one_skips_easter_monday():
    """Good Friday 3 April 2026 + 1 is the end of Tuesday 7 April (BST, so 22:59:59 UTC)."""
    start = london(2026, 4, 3)
    assert start.date().weekday() == 4
    assert add_working_days(start, 1) == datetime(2026, 4, 7, 22, 59, 59, tzinfo=UTC)


def test_christmas_eve_plus_one_skips_substitute_boxing_day():
    """Thursday 24 December 2026 + 1 is Tuesday 29 December (25th, weekend and substitute 28th skipped)."""
    start = london(2026, 12, 24)
    assert start.date().weekday() == 3
    assert add_working_days(start, 1) == datetime(2026, 12, 29, 23, 59, 59, tzinfo=UTC)


def test_saturday_start_plus_one_is_monday():
    """A report on Saturday 13 June 2026 + 1 is the end of Monday 15 June."""
    start = london(2026, 6, 13, 15, 30)
    assert start.date().weekday() == 5
    assert add_working_days(start, 1) == datetime(2026, 6, 15, 22, 59, 59, tzinfo=UTC)


def test_start_date_never_counts_even_on_a_working_day():
    """Something at 00:01 on Monday 8 June 2026 + 1 is due at the end of Tuesday, not Monday."""
    assert add_working_days(london(2026, 6, 8, 0, 1), 1) == datetime(2026, 6, 9, 22, 59, 59, tzinfo=UTC)


def test_five_working_days_from_early_may_bank_holiday():
    """5 working days from Monday 4 May 2026 (a bank holiday) is Monday 11 May."""
    assert add_working_days(london(2026, 5, 4), 5) == datetime(2026, 5, 11, 22, 59, 59, tzinfo=UTC)


def test_support_referral_two_working_days():
    """A report on Thursday 24 December 2026 must be referred for support by Wednesday 30 December."""
    assert add_working_days(london(2026, 12, 24, 16), 2) == datetime(2026, 12, 30, 23, 59, 59, tzinfo=UTC)


def test_counts_from_the_london_date_not_the_utc_date():
    """2026-06-30T23:30Z is 00:30 on Wednesday 1 July in London, so + 1 is Thursday 2 July."""
    start = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert start.astimezone(LONDON).date() == date(2026, 7, 1)
    assert add_working_days(start, 1) == datetime(2026, 7, 2, 22, 59, 59, tzinfo=UTC)


def test_other_zones_are_converted_to_london_first():
    """20:00 Tuesday 30 June 2026 in New York is already Wednesday 1 July in London."""
    start = datetime(2026, 6, 30, 20, 0, tzinfo=timezone(timedelta(hours=-4)))
    assert add_working_days(start, 1) == datetime(2026, 7, 2, 22, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "deadline"),
    [
        # Clocks go forward on Sunday 29 March 2026: Friday in GMT, deadline Monday in BST.
        (london(2026, 3, 27, 12), datetime(2026, 3, 30, 22, 59, 59, tzinfo=UTC)),
        # Clocks go back on Sunday 25 October 2026: Friday in BST, deadline Monday in GMT.
        (london(2026, 10, 23, 12), datetime(2026, 10, 26, 23, 59, 59, tzinfo=UTC)),
    ],
)
def test_deadline_across_the_clocks_changing(start: datetime, deadline: datetime):
    """A Friday start with the clocks changing over the weekend ends at 23:59:59 London on Monday."""
    assert add_working_days(start, 1) == deadline
    assert deadline.astimezone(LONDON).time() == time(23, 59, 59)


@pytest.mark.parametrize(
    ("start", "deadline"),
    [
        (london(2026, 1, 12), datetime(2026, 1, 13, 23, 59, 59, tzinfo=UTC)),
        (london(2026, 7, 13), datetime(2026, 7, 14, 22, 59, 59, tzinfo=UTC)),
    ],
    ids=["gmt-winter", "bst-summer"],
)
def test_deadline_is_end_of_london_day_in_utc(start: datetime, deadline: datetime):
    """In GMT the deadline is 23:59:59 UTC; in BST it is 22:59:59 UTC."""
    result = add_working_days(start, 1)
    assert result == deadline
    assert result.tzinfo is UTC


def test_json_has_eight_weekday_holidays_a_year_2024_to_2028():
    """Each year 2024-2028 lists exactly 8 bank holidays, all on weekdays, in the right year."""
    raw = json.loads(CALENDAR_FILE.read_text(encoding="utf-8"))
    assert raw["division"] == "england-and-wales"
    assert sorted(raw["dates"]) == ["2024", "2025", "2026", "2027", "2028"]
    for year, days in raw["dates"].items():
        parsed = [date.fromisoformat(day) for day in days]
        assert len(set(parsed)) == 8, year
        assert all(day.year == int(year) and day.weekday() < 5 for day in parsed), year
    assert covered_years() == range(2024, 2029)
    assert len(bank_holidays()) == 40


def test_is_working_day_examples():
    """Weekdays work; weekends, Easter Monday 2026 and substitute Boxing Day 2026 do not."""
    assert is_working_day(date(2026, 4, 7))
    assert not is_working_day(date(2026, 4, 6))
    assert not is_working_day(date(2026, 12, 28))
    assert not is_working_day(date(2026, 6, 13))
    assert not is_working_day(date(2026, 6, 14))


def test_working_days_between_says_how_late():
    """Due Tuesday 7 April 2026, done Thursday 9 April: 2 working days late; same day or earlier: 0."""
    deadline = add_working_days(london(2026, 4, 3), 1)
    assert working_days_between(deadline, london(2026, 4, 9, 9)) == 2
    assert working_days_between(deadline, london(2026, 4, 7, 23, 59)) == 0
    assert working_days_between(deadline, london(2026, 4, 1)) == 0
    # Over Easter: Thursday 2 April to Tuesday 7 April is one working day (the 7th).
    assert working_days_between(london(2026, 4, 2), london(2026, 4, 7)) == 1


ZONES = st.sampled_from(
    [
        UTC,
        LONDON,
        timezone(timedelta(hours=14)),
        timezone(timedelta(hours=-12)),
        timezone(timedelta(hours=5, minutes=30)),
        timezone(timedelta(hours=-4)),
    ]
)


@given(
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 10, 31, 23, 59, 59), timezones=ZONES),
    days=st.integers(min_value=1, max_value=10),
)
def test_deadline_properties(start: datetime, days: int):
    """Any deadline is the end of a London working day, after the start, exactly `days` working days on."""
    deadline = add_working_days(start, days)
    local = deadline.astimezone(LONDON)
    assert deadline.tzinfo is UTC
    assert is_working_day(local.date())
    assert local.time() == time(23, 59, 59)
    assert deadline > start
    assert working_days_between(start, deadline) == days


def test_naive_datetime_is_rejected():
    """A naive datetime has no zone to put into London time, so it is a ValueError."""
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_days(datetime(2026, 6, 1, 10), 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        working_days_between(london(2026, 6, 1), datetime(2026, 6, 5, 10))


@pytest.mark.parametrize("days", [0, -1])
def test_days_must_be_positive(days: int):
    """A deadline of zero or fewer working days is a ValueError."""
    with pytest.raises(ValueError, match="at least 1"):
        add_working_days(london(2026, 6, 1), days)


def test_uncovered_year_names_the_year_to_add():
    """Working days in 2029 are refused, naming 2029, rather than assuming it has no bank holidays."""
    with pytest.raises(CalendarNotCovered, match="2029") as raised:
        add_working_days(london(2029, 3, 1), 1)
    assert "bank_holidays.json" in str(raised.value)
    assert isinstance(raised.value, LookupError)
    with pytest.raises(CalendarNotCovered, match="2029"):
        add_working_days(london(2028, 12, 29), 1)
    with pytest.raises(CalendarNotCovered, match="2029"):
        is_working_day(date(2029, 1, 2))
