"""Service schedules: the iCalendar recurrence Open Referral UK uses, read and written in plain words."""

import re
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _

from portal.i18n import N_

DAYS = {"MO": N_("Monday"), "TU": N_("Tuesday"), "WE": N_("Wednesday"), "TH": N_("Thursday"), "FR": N_("Friday"),
        "SA": N_("Saturday"), "SU": N_("Sunday")}
# A whole phrase for each ordinal, so that each language can agree the ordinal with the day.
MONTHLY_EACH = {"1": N_("The first %(day)s of each month"), "2": N_("The second %(day)s of each month"),
                "3": N_("The third %(day)s of each month"), "4": N_("The fourth %(day)s of each month"),
                "-1": N_("The last %(day)s of each month")}
MONTHLY_EVERY = {"1": N_("The first %(day)s of every %(months)d months"),
                 "2": N_("The second %(day)s of every %(months)d months"),
                 "3": N_("The third %(day)s of every %(months)d months"),
                 "4": N_("The fourth %(day)s of every %(months)d months"),
                 "-1": N_("The last %(day)s of every %(months)d months")}
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
    """'18:30' as '6:30pm', '09:00' as '9am', '12:00' as 'midday' (in English; other languages use 18:30)."""
    if str(get_locale() or "en") != "en":
        return value
    hour, minute = (int(part) for part in value.split(":"))
    if (hour, minute) == (12, 0):
        return _("midday")
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}{suffix}" if minute == 0 else f"{hour}:{minute:02d}{suffix}"


def describe(schedule: Schedule) -> str:
    """The schedule in plain words, for example 'Every Tuesday, 6pm to 7:30pm'."""
    if schedule.freq is None or not schedule.byday:
        return _("By appointment")
    if schedule.freq == "WEEKLY":
        names = [_(DAYS[day]) for day in days_of(schedule.byday)]
        # The separator between days is in the catalogue too: Arabic writes its own comma.
        joined = names[0] if len(names) == 1 else _("%(days)s and %(last)s", days=_(", ").join(names[:-1]),
                                                     last=names[-1])
        if schedule.interval == 1:
            words = _("Every %(days)s", days=joined)
        elif schedule.interval == 2:
            words = _("Every other %(days)s", days=joined)
        else:
            words = _("Every %(weeks)d weeks on %(days)s", weeks=schedule.interval, days=joined)
    else:
        match = MONTHLY_BYDAY.match(schedule.byday)
        ordinal, day = match.group(1), _(DAYS[match.group(2)])
        words = _(MONTHLY_EACH[ordinal], day=day) if schedule.interval == 1 else \
            _(MONTHLY_EVERY[ordinal], day=day, months=schedule.interval)
    if schedule.opens_at and schedule.closes_at:
        words = _("%(when)s, %(opens)s to %(closes)s", when=words, opens=_clock(schedule.opens_at),
                  closes=_clock(schedule.closes_at))
    elif schedule.opens_at:
        words = _("%(when)s, from %(opens)s", when=words, opens=_clock(schedule.opens_at))
    return words


def of(service) -> Schedule:
    """The schedule of a SupportService."""
    return Schedule(service.schedule_freq, service.schedule_interval or 1, service.schedule_byday,
                    service.opens_at, service.closes_at)
