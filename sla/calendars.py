"""Every schedule's clock, read once and kept for a few seconds per process (helpdesk.memo).

Pages that show due times turn schedules into clocks on every request: a queue page one per
schedule its rows use, the ticket view its plan's. That is three queries (the schedules,
their hours, their holidays) for rows an administrator changes a few times a year. One copy
of all of them serves every request of the process; saving or deleting a schedule, its
hours or a holiday forgets it at once (sla.apps, and sla.services after its bulk writes),
and other processes read the change within helpdesk.memo.LIFETIME.
"""

from helpdesk import memo
from sla import clock
from sla.models import Schedule

CLOCKS = "sla.schedule_clocks"


def _load() -> dict[int, clock.Calendar]:
    clocks = {}
    for schedule in Schedule.objects.prefetch_related("hours", "holidays"):
        try:
            clocks[schedule.pk] = schedule.to_clock()
        except ValueError:
            continue  # calendar_of reads it alone, and fails for its own tickets only
    return clocks


def schedule_clocks() -> dict[int, clock.Calendar]:
    """Each schedule's clock by the schedule's id (one that does not convert is missing).
    Shared: read it, never change it."""
    return memo.remembered(CLOCKS, _load)


def calendar_of(schedule_id: int) -> clock.Calendar:
    """The clock of this schedule, from the short-lived copy of all of them."""
    calendar = schedule_clocks().get(schedule_id)
    if calendar is None:
        # Made in another process since the copy was read, or one that does not convert.
        forget()
        calendar = Schedule.objects.get(pk=schedule_id).to_clock()
    return calendar


def forget(**kwargs) -> None:
    memo.forget(CLOCKS)
