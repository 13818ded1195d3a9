"""Percentiles for the insight figures (the nearest-rank method: always one of the values), and the working days a
request took."""

from datetime import UTC, datetime

import pytest

from portal.insight.percentiles import percentile, working_days_taken


def test_the_median_and_90th_percentile_of_ten_values():
    values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6]
    assert percentile(values, 50) == 5  # the 5th of 10: half the values are at or below it
    assert percentile(values, 90) == 9  # the 9th of 10
    assert percentile(values, 100) == 10


def test_an_odd_count_has_the_middle_value_as_its_median():
    assert percentile([0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 5], 50) == 1  # the 6th of 11
    assert percentile([0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 5], 90) == 3  # the 10th of 11 (9.9 rounded up)


def test_the_rank_is_worked_out_in_whole_numbers():
    """0.55 x 100 is 55.00000000000001 in floating point, which would round up to the 56th value."""
    values = list(range(1, 101))
    assert percentile(values, 55) == 55
    assert percentile(values, 90) == 90


def test_one_value_is_every_percentile_and_none_is_none():
    assert percentile([7], 50) == percentile([7], 90) == 7
    assert percentile([], 50) is None


@pytest.mark.parametrize("percent", [0, -5, 101])
def test_a_percent_outside_1_to_100_is_refused(percent):
    with pytest.raises(ValueError):
        percentile([1, 2], percent)


def test_working_days_taken_counts_from_the_day_after_the_request():
    monday = datetime(2026, 11, 2, 10, tzinfo=UTC)
    assert working_days_taken(monday, datetime(2026, 11, 2, 16, tzinfo=UTC)) == 0  # the same day
    assert working_days_taken(monday, datetime(2026, 11, 3, 9, tzinfo=UTC)) == 1
    assert working_days_taken(monday, datetime(2026, 11, 9, 9, tzinfo=UTC)) == 5  # over a weekend
    # 25 and 28 December 2026 are bank holidays: raised on Christmas Eve, answered on the 29th, 1 working day.
    assert working_days_taken(datetime(2026, 12, 24, 9, tzinfo=UTC), datetime(2026, 12, 29, 9, tzinfo=UTC)) == 1


def test_working_days_are_london_days():
    """23:30 UTC on 31 March 2026 is 00:30 on 1 April in London (summer time): the next working day."""
    assert working_days_taken(datetime(2026, 3, 31, 9, tzinfo=UTC), datetime(2026, 3, 31, 23, 30, tzinfo=UTC)) == 1
