"""Service schedules: checking what an organisation enters, and saying when a service meets in plain words."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.support.schedules import Schedule, check, days_of, describe, of


def weekly(byday="TU", opens="18:00", closes="19:30", interval=1) -> Schedule:
    return Schedule("WEEKLY", interval, byday, opens, closes)


@pytest.mark.parametrize(("schedule", "words"), [
    (weekly(), "Every Tuesday, 6pm to 7:30pm"),
    (weekly("MO,TH", "09:00", "12:00"), "Every Monday and Thursday, 9am to midday"),
    (weekly("MO,WE,FR", "10:15", "11:45"), "Every Monday, Wednesday and Friday, 10:15am to 11:45am"),
    (weekly("SA", "00:00", "00:30"), "Every Saturday, 12am to 12:30am"),
    (weekly("SU", "12:30", "13:00"), "Every Sunday, 12:30pm to 1pm"),
    (weekly(interval=2), "Every other Tuesday, 6pm to 7:30pm"),
    (weekly(interval=3), "Every 3 weeks on Tuesday, 6pm to 7:30pm"),
    (weekly(opens="18:00", closes=None), "Every Tuesday, from 6pm"),
    (weekly(opens=None, closes=None), "Every Tuesday"),
    (Schedule("MONTHLY", 1, "2TU", "18:00", "20:00"), "The second Tuesday of each month, 6pm to 8pm"),
    (Schedule("MONTHLY", 1, "-1FR", None, None), "The last Friday of each month"),
    (Schedule("MONTHLY", 3, "1MO", "10:00", "11:00"), "The first Monday of every 3 months, 10am to 11am"),
    (Schedule(None, 1, None, None, None), "By appointment"),
    (Schedule("WEEKLY", 1, None, "18:00", "19:00"), "By appointment"),
])
def test_schedules_read_as_plain_words(schedule, words):
    """Days, gaps, ordinals and times as a person would say them."""
    assert check(schedule) is None or schedule.byday is None
    assert describe(schedule) == words


@pytest.mark.parametrize(("schedule", "problem"), [
    (Schedule("DAILY", 1, "TU", None, None), "Select weekly or monthly"),
    (weekly(interval=0), "The gap between meetings must be between 1 and 4"),
    (weekly(interval=5), "The gap between meetings must be between 1 and 4"),
    (weekly(byday=None), "Select the day it meets"),
    (weekly(byday="TUE"), "Select the day it meets"),
    (weekly(byday="TU,"), "Select the day it meets"),
    (weekly(byday="2TU"), "Select the day it meets"),
    (Schedule("MONTHLY", 1, "TU", None, None), "Select the day it meets"),
    (Schedule("MONTHLY", 1, "5TU", None, None), "Select the day it meets"),
    (Schedule("MONTHLY", 1, "2TU,3TU", None, None), "Select the day it meets"),
    (weekly(opens="6pm"), "Enter times in 24-hour form, like 18:30"),
    (weekly(closes="24:00"), "Enter times in 24-hour form, like 18:30"),
    (weekly(opens="9:00"), "Enter times in 24-hour form, like 18:30"),
    (weekly(opens="19:30", closes="18:00"), "The finish time must be after the start time"),
    (weekly(opens="18:00", closes="18:00"), "The finish time must be after the start time"),
    (weekly(byday="TU\n"), "Select the day it meets"),
    (weekly(opens="18:00\n"), "Enter times in 24-hour form, like 18:30"),
])
def test_check_explains_what_is_wrong(schedule, problem):
    """Each mistake gets its own message, in words for the organisation."""
    assert check(schedule) == problem


@pytest.mark.parametrize("schedule", [weekly(), weekly("MO,TU,WE,TH,FR,SA,SU", "07:00", "23:59", 4),
                                      Schedule("MONTHLY", 2, "-1SU", "10:00", None), Schedule(None, 1, None, None,
                                                                                             None)])
def test_good_schedules_pass(schedule):
    """Weekly on any days, monthly on an ordinal day, or no fixed schedule."""
    assert check(schedule) is None


def test_days_of_reads_weekly_and_monthly_days():
    """The two-letter days, with any ordinal dropped."""
    assert days_of("MO,TH") == ["MO", "TH"]
    assert days_of("-1FR") == ["FR"] and days_of("2TU") == ["TU"]
    assert days_of(None) == [] and days_of("") == []


def test_a_service_schedule_is_read_from_its_fields():
    """of() builds the schedule from a service's columns, defaulting the gap to 1."""

    class Row:
        schedule_freq, schedule_interval, schedule_byday, opens_at, closes_at = "WEEKLY", None, "WE", "18:00", None

    assert of(Row()) == Schedule("WEEKLY", 1, "WE", "18:00", None)


# Real values, and the same with a trailing newline (which "$" in a pattern would let through).
text = st.text(max_size=20) | st.sampled_from(["TU", "MO,TH", "2TU", "-1FR", "18:00", "WEEKLY", "MONTHLY", "",
                                               "TU\n", "18:00\n", "2TU\n"])


@given(st.none() | text, st.integers(-10, 10), st.none() | text, st.none() | text, st.none() | text)
def test_check_never_raises_and_whatever_it_accepts_can_be_described(freq, interval, byday, opens, closes):
    """Arbitrary input is answered with None or a message; an accepted schedule always reads as words."""
    schedule = Schedule(freq, interval, byday, opens, closes)
    problem = check(schedule)
    assert problem is None or isinstance(problem, str)
    if problem is None:
        words = describe(schedule)
        assert words and "None" not in words


@given(st.sampled_from(["WEEKLY", "MONTHLY"]), st.integers(1, 4),
       st.sets(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), min_size=1),
       st.sampled_from(["1", "2", "3", "4", "-1"]), st.integers(0, 22), st.integers(0, 59))
def test_every_well_formed_schedule_is_accepted_and_described(freq, interval, days, ordinal, hour, minute):
    """Whatever days and times are chosen through the form, the schedule passes and says which days."""
    byday = ",".join(sorted(days)) if freq == "WEEKLY" else ordinal + sorted(days)[0]
    schedule = Schedule(freq, interval, byday, f"{hour:02d}:{minute:02d}", f"{hour + 1:02d}:{minute:02d}")
    assert check(schedule) is None
    words = describe(schedule)
    assert words.startswith(("Every", "The ")) and " to " in words
