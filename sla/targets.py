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


def hours_text(value: timedelta) -> str:
    """'3.5 working hours', '1 working hour'."""
    text = f"{value.total_seconds() / 3600:.2f}".rstrip("0").rstrip(".")
    return f"{text} working hour{'' if text == '1' else 's'}"


CANNOT_COUNT_AHEAD = "too far ahead to count the working time left"
CANNOT_COUNT_BEHIND = "overdue for longer than the working time can be counted"


def time_left(due_at: datetime | None, calendar: clock.Calendar, now: datetime) -> str:
    """'3.5 working hours left' or 'overdue by 2 working hours' (empty when nothing is due).

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
