"""Service schedules: the iCalendar recurrence Open Referral UK uses, read and written in plain words."""

import re
from dataclasses import dataclass

DAYS = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday", "SA": "Saturday",
        "SU": "Sunday"}
ORDINALS = {"1": "first", "2": "second", "3": "third", "4": "fourth", "-1": "last"}
# \Z, not $: "$" also matches before a final newline, which would let "TU\n" through to describe().
WEEKLY_BYDAY = re.compile(r"^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*\Z")
MONTHLY_BYDAY = re.compile(r"^(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)\Z")
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d\Z")


@dataclass(frozen=True)
class Schedule:
    """When a service or group meets."""

    freq: str | None
    interval: int
    byday: str | None
    opens_at: str | None
    closes_at: str | None


def check(schedule: Schedule) -> str | None:
    """What is wrong with a schedule, in words for the organisation, or None."""
    if schedule.freq is None:
        return None
    if schedule.freq not in ("WEEKLY", "MONTHLY"):
        return "Select weekly or monthly"
    if not 1 <= schedule.interval <= 4:
        return "The gap between meetings must be between 1 and 4"
    pattern = WEEKLY_BYDAY if schedule.freq == "WEEKLY" else MONTHLY_BYDAY
    if not schedule.byday or not pattern.match(schedule.byday):
        return "Select the day it meets"
    for value in (schedule.opens_at, schedule.closes_at):
        if value and not TIME.match(value):
            return "Enter times in 24-hour form, like 18:30"
    if schedule.opens_at and schedule.closes_at and schedule.closes_at <= schedule.opens_at:
        return "The finish time must be after the start time"
    return None


def days_of(byday: str | None) -> list[str]:
    """The two-letter days a schedule meets on."""
    if not byday:
        return []
    return [re.sub(r"^-?\d", "", part) for part in byday.split(",")]


def _clock(value: str) -> str:
    """'18:30' as '6:30pm', '09:00' as '9am', '12:00' as 'midday'."""
    hour, minute = (int(part) for part in value.split(":"))
    if (hour, minute) == (12, 0):
        return "midday"
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}{suffix}" if minute == 0 else f"{hour}:{minute:02d}{suffix}"


def describe(schedule: Schedule) -> str:
    """The schedule in plain words, for example 'Every Tuesday, 6pm to 7:30pm'."""
    if schedule.freq is None or not schedule.byday:
        return "By appointment"
    if schedule.freq == "WEEKLY":
        names = [DAYS[day] for day in days_of(schedule.byday)]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        every = {1: "Every", 2: "Every other"}.get(schedule.interval, f"Every {schedule.interval} weeks on")
        words = f"{every} {joined}"
    else:
        match = MONTHLY_BYDAY.match(schedule.byday)
        ordinal, day = match.group(1), match.group(2)
        months = "each month" if schedule.interval == 1 else f"every {schedule.interval} months"
        words = f"The {ORDINALS[ordinal]} {DAYS[day]} of {months}"
    if schedule.opens_at and schedule.closes_at:
        words += f", {_clock(schedule.opens_at)} to {_clock(schedule.closes_at)}"
    elif schedule.opens_at:
        words += f", from {_clock(schedule.opens_at)}"
    return words


def of(service) -> Schedule:
    """The schedule of a SupportService."""
    return Schedule(service.schedule_freq, service.schedule_interval or 1, service.schedule_byday,
                    service.opens_at, service.closes_at)
