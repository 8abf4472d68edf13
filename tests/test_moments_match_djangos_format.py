"""`moment()` writes "2 Dec 2026, 20:44 CET" itself, for speed (a queue page writes a hundred),
instead of asking Django's dateformat to parse FORMAT each time. It must write exactly what
Django's format would, in every zone, at the edges of daylight saving time included (where
Django leaves out the zone's name for an ambiguous or skipped wall time)."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.dateformat import format as format_date

from helpdesk.moments import FORMAT, local, moment

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]
EDGES = [
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # Berlin's clocks go back: an hour twice
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # and forward
    datetime(2026, 11, 1, 5, 30, tzinfo=UTC),  # New York's hour twice
    datetime(1, 1, 2, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, tzinfo=UTC),  # no local time: shown in UTC
]


@pytest.mark.parametrize("zone", ZONES)
def test_moment_writes_what_djangos_format_writes(zone):
    rng = random.Random(zone)  # noqa: S311 (test data)
    start = datetime(1990, 1, 1, tzinfo=UTC)
    instants = [start + timedelta(minutes=rng.randrange(60 * 24 * 366 * 60)) for _ in range(3000)]
    with timezone.override(ZoneInfo(zone)):
        for instant in instants + EDGES:
            assert moment(instant) == format_date(local(instant), FORMAT), instant


def test_nothing_is_a_dash():
    assert moment(None) == "—"
