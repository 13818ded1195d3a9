"""Times in <time datetime> attributes are to the second: HTML allows at most three decimal places."""

from datetime import UTC, datetime

from portal.templating import html_datetime


def test_a_time_is_written_to_the_second_with_its_offset():
    moment = datetime(2026, 12, 4, 10, 15, 30, 123456, tzinfo=UTC)
    assert html_datetime(moment) == "2026-12-04T10:15:30+00:00"
    assert html_datetime(moment.isoformat()) == "2026-12-04T10:15:30+00:00"
    assert html_datetime(datetime(2026, 12, 4, 9, 0, 0, 5)) == "2026-12-04T09:00:00"
