"""What a plan asks, on which calendar, and working time in words.

Everything here is about plans and time, never about a ticket: tickets.timing applies it to
tickets.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings

from sla import clock
from sla.models import SLAPlan

FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"


def hours(value: Decimal | float | int) -> timedelta:
    """A plan's target (hours, up to two decimals) as a duration, to the second."""
    return timedelta(seconds=int(Decimal(value) * 3600))


def default_plan() -> SLAPlan | None:
    """The system default (HELPDESK_DEFAULT_SLA_PLAN, a plan's name), if it is active."""
    name = settings.HELPDESK_DEFAULT_SLA_PLAN
    if not name:
        return None
    return SLAPlan.objects.filter(name__iexact=name, is_active=True).first()


@dataclass(frozen=True)
class Targets:
    """What a plan asks, on which calendar: enough to compute due times without the plan row."""

    first_response: timedelta
    resolution: timedelta
    warning_percent: int | None
    calendar: clock.Calendar

    @classmethod
    def of(cls, plan: SLAPlan, calendar: clock.Calendar | None = None) -> "Targets":
        return cls(
            first_response=hours(plan.first_response_hours),
            resolution=hours(plan.resolution_hours),
            warning_percent=plan.warning_percent,
            calendar=calendar or plan.schedule.to_clock(),
        )

    def work(self, target: str) -> timedelta:
        return self.first_response if target == FIRST_RESPONSE else self.resolution


# How a target is named where its due time is shown.
TARGET_LABELS = {FIRST_RESPONSE: "First response", RESOLUTION: "Resolution"}

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
# 24 h of working time, on every schedule: "1 day" counted in each schedule's own working
# day would mean 8 h on one row and 24 h on the next.
DAY = timedelta(hours=24)


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def hours_text(value: timedelta) -> str:
    """Working time the way people read it: '45 min', '2 h 10 min', '3 h', '1 day 4 h'.

    Rounded to the minute, and from one day up to the hour: past a day, minutes are noise.
    Under a minute is 'less than 1 min', never '0 min'.
    """
    value = abs(value)
    if value < MINUTE:
        return "less than 1 min"
    # Halves round up, in whole timedeltas (no float error at the boundaries).
    minutes = (value + MINUTE / 2) // MINUTE
    if minutes * MINUTE >= DAY:
        total_hours = (value + HOUR / 2) // HOUR
        days, hours_ = divmod(total_hours, 24)
        return _plural(days, "day") + (f" {hours_} h" if hours_ else "")
    hours_, minutes = divmod(minutes, 60)
    parts = ([f"{hours_} h"] if hours_ else []) + ([f"{minutes} min"] if minutes else [])
    return " ".join(parts)


CANNOT_COUNT_AHEAD = "too far ahead to count the working time left"
CANNOT_COUNT_BEHIND = "overdue for longer than the working time can be counted"


def time_left(due_at: datetime | None, calendar: clock.Calendar, now: datetime) -> str:
    """'2 h 10 min left' or 'overdue by 3 h' in working time (empty when nothing is due).

    A due time too far off for the clock to count says so instead.
    """
    if due_at is None:
        return ""
    try:
        if due_at > now:
            return f"{hours_text(clock.elapsed(now, due_at, calendar))} left"
        return f"overdue by {hours_text(clock.elapsed(due_at, now, calendar))}"
    except clock.OutOfReach:
        return CANNOT_COUNT_AHEAD if due_at > now else CANNOT_COUNT_BEHIND
