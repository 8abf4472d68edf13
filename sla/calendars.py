"""Every schedule's clock, read once and kept for a few seconds per process (helpdesk.memo).

A queue page shows the working time left on each of its rows, which takes the clock of the
row's schedule; building the clocks costs three queries (schedules, their hours, their
holidays) that every page would otherwise repeat. A schedule saved in this process is seen
at once (sla.apps forgets the copy on every save or delete of a schedule, its hours or its
holidays); other processes see it within helpdesk.memo.LIFETIME.
"""

from helpdesk import memo
from sla import clock
from sla.models import Schedule

CLOCKS = "sla.schedule_clocks"


def _load() -> dict[int, clock.Calendar]:
    return {
        schedule.pk: schedule.to_clock()
        for schedule in Schedule.objects.prefetch_related("hours", "holidays")
    }


def schedule_clocks() -> dict[int, clock.Calendar]:
    """Each schedule's clock by the schedule's id. Shared: read it, never change it."""
    return memo.remembered(CLOCKS, _load)


def forget(**kwargs) -> None:
    memo.forget(CLOCKS)
