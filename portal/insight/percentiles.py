"""Percentiles and working days for the figures on requests, worked out in Python so that SQLite and PostgreSQL
give the same answer (SQLite has no percentile function)."""

from collections.abc import Sequence
from datetime import date, datetime, time
from functools import lru_cache

from portal.cases.working_days import working_days_between
from portal.clock import LONDON


def percentile(values: Sequence[int], percent: int) -> int | None:
    """The nearest-rank percentile: the smallest value with at least ``percent`` per cent of the values at or below
    it. Always one of the values (the median of 0, 1, 2 and 3 is 1, not 1.5). The rank is worked out in whole
    numbers, so that floating point cannot move it by one (0.55 x 100 is 55.00000000000001). None for no values."""
    if not 1 <= percent <= 100:
        raise ValueError(f"percent must be from 1 to 100, got {percent}")
    if not values:
        return None
    ordered = sorted(values)
    rank = (percent * len(ordered) + 99) // 100  # ceil(percent / 100 x n), from 1 to n
    return ordered[rank - 1]


@lru_cache(maxsize=65536)
def _working_days(first: date, last: date) -> int:
    noon = time(12)
    return working_days_between(datetime.combine(first, noon, tzinfo=LONDON),
                                datetime.combine(last, noon, tzinfo=LONDON))


def working_days_taken(raised_at: datetime, finished_at: datetime) -> int:
    """Working days (Monday to Friday, except England and Wales bank holidays) after the London day a request was
    raised, up to and including the London day it was finished: 0 when finished the day it was raised. The due
    times count the same way (``portal.tasks.due_times``)."""
    return _working_days(raised_at.astimezone(LONDON).date(), finished_at.astimezone(LONDON).date())
