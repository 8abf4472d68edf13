"""Working time left, in words people read: "2 h 10 min left", never "0.23 working hours"."""

from datetime import UTC, datetime, time, timedelta

import pytest

from sla import clock
from sla.targets import hours_text, time_left

ALWAYS = clock.Calendar.always()
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (timedelta(minutes=45), "45 min"),
        (timedelta(hours=2, minutes=10), "2 h 10 min"),
        (timedelta(hours=3), "3 h"),
        (timedelta(hours=1, minutes=59, seconds=59), "2 h"),
        (timedelta(minutes=1, seconds=29), "1 min"),
        (timedelta(minutes=1, seconds=30), "2 min"),
        (timedelta(hours=23, minutes=59, seconds=31), "1 day"),
        (timedelta(days=1, hours=4, minutes=20), "1 day 4 h"),
        (timedelta(days=1, hours=4, minutes=30), "1 day 5 h"),
        (timedelta(days=3), "3 days"),
        (timedelta(seconds=59), "less than 1 min"),
        (timedelta(0), "less than 1 min"),
    ],
)
def test_working_time_is_written_in_days_hours_and_minutes(amount, words):
    assert hours_text(amount) == words


def test_time_left_says_how_long_is_left_before_the_due_time():
    assert time_left(NOW + timedelta(minutes=45), ALWAYS, NOW) == "45 min left"
    assert time_left(NOW + timedelta(days=1, hours=4), ALWAYS, NOW) == "1 day 4 h left"
    assert time_left(NOW + timedelta(seconds=20), ALWAYS, NOW) == "less than 1 min left"


def test_time_left_says_by_how_much_a_due_time_was_missed():
    assert time_left(NOW - timedelta(hours=3), ALWAYS, NOW) == "overdue by 3 h"
    assert time_left(NOW, ALWAYS, NOW) == "overdue by less than 1 min"


def test_a_day_is_24_hours_of_working_time_on_any_schedule():
    office = clock.Calendar("UTC", {day: [(time(9, 0), time(17, 0))] for day in range(5)})
    # Mon 09:00 to Wed 17:00 is three working days of 8 h: 24 working hours, one "day".
    assert time_left(NOW + timedelta(days=2, hours=8), office, NOW) == "1 day left"
