"""A clock the tests move by hand, and the demo's business-hours plan."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests import factories

BERLIN = ZoneInfo("Europe/Berlin")


class FakeClock:
    """Stands in for django.utils.timezone.now: services, auto_now fields and all."""

    def __init__(self, start: datetime.datetime):
        self.now = start

    def __call__(self) -> datetime.datetime:
        return self.now

    def set(self, when: datetime.datetime) -> None:
        self.now = when

    def advance(self, **delta) -> None:
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock(datetime.datetime(2018, 12, 21, 16, 30, tzinfo=BERLIN))
    monkeypatch.setattr("django.utils.timezone.now", fake)
    return fake


@pytest.fixture
def business_hours(db):
    """Mon–Fri 09:00–17:00 in Berlin, Christmas Eve off (2018: a Monday)."""
    schedule = factories.ScheduleFactory(name="Business hours", timezone="Europe/Berlin")
    for weekday in range(5):
        factories.WorkingHoursFactory(
            schedule=schedule, weekday=weekday, start=datetime.time(9), end=datetime.time(17)
        )
    factories.HolidayFactory(
        schedule=schedule, date=datetime.date(2018, 12, 24), name="Christmas Eve"
    )
    return schedule


@pytest.fixture
def sev_c_business(business_hours):
    return factories.SLAPlanFactory(
        name="Sev-C business",
        schedule=business_hours,
        first_response_hours=Decimal("2"),
        resolution_hours=Decimal("8"),
        warning_percent=75,
    )
