"""A ticket's SLA in time: its plan, its due times, pauses, targets met, warnings owed.

The plans, schedules and the working-time clock are the sla app's; applying them to tickets
is this module's. tickets.services calls these inside its own transactions, on the ticket
row it has locked; each function sets fields on the ticket and returns their names for the
caller's save. Due times count working time of the plan's schedule (sla.clock) from the
ticket's creation, moved later by the working time it spent awaiting the user (DESIGN.md,
"SLA"):

    due = clock.due(created_at, target + paused working time, schedule)

so that changing the plan, the schedule or a target recomputes the same way from scratch.

The clock refuses what it cannot count within its bound (clock.OutOfReach: a target its
schedule does not give within a century, a stored instant centuries away). Nothing here lets
that escape: a due time that cannot be worked out is stored as None and explained as such, and
a time left that cannot be counted says so, so one odd ticket never breaks a page or the sweep.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from sla import clock
from sla.models import Schedule, SLAPlan
from sla.targets import (
    FIRST_RESPONSE,
    RESOLUTION,
    Targets,
    default_plan,
    hours,
    hours_text,
)
from tickets import status
from tickets.models import Ticket

# What a ticket awaiting the user says instead of a time left: its clock is stopped.
PAUSED_TEXT = "paused: awaiting the user"


def plan_for(*, help_topic, department) -> SLAPlan | None:
    """The plan a ticket takes: its help topic's, else its department's, else the default."""
    if help_topic is not None and help_topic.sla_plan_id:
        return help_topic.sla_plan
    if department is not None and department.sla_plan_id:
        return department.sla_plan
    return default_plan()


def _targets(ticket) -> Targets | None:
    return Targets.of(ticket.sla_plan) if ticket.sla_plan_id else None


# The latest manual due time an agent may set, counted from now.
MANUAL_DUE_MAX_AHEAD = timedelta(days=366)


def manual_due_problem(due_at: datetime, now: datetime) -> str | None:
    """Why this manual due time is refused, in words for the agent; None if it is fine."""
    if due_at <= now:
        return "The due time must be in the future."
    if due_at > now + MANUAL_DUE_MAX_AHEAD:
        latest = timezone.localtime(now + MANUAL_DUE_MAX_AHEAD)
        return (
            "The due time must be within a year from now (at the latest "
            f"{latest:%d %b %Y %H:%M}). For work planned further ahead, leave it to the "
            "SLA plan or set it later."
        )
    return None


def _paused_now(ticket, now: datetime, calendar: clock.Calendar) -> timedelta:
    """The working time of the pause under way; zero when its start is beyond the clock's
    reach (only a damaged row could say so), rather than no answer at all."""
    try:
        return clock.elapsed(ticket.sla_paused_since, now, calendar)
    except clock.OutOfReach:
        return timedelta(0)


def paused_work(ticket, now: datetime, targets: Targets) -> timedelta:
    """Working time spent awaiting the user, the pause under way (if any) included."""
    paused = ticket.sla_paused_work
    if ticket.sla_paused_since is not None:
        paused += _paused_now(ticket, now, targets.calendar)
    return paused


def due_times(ticket, targets: Targets, paused: timedelta) -> tuple[datetime, datetime]:
    start = ticket.created_at
    return (
        clock.due(start, targets.first_response + paused, targets.calendar),
        clock.due(start, targets.resolution + paused, targets.calendar),
    )


def _next_warning(ticket, targets: Targets, paused: timedelta) -> datetime | None:
    """When the warning for the next target not yet met nor warned about falls due."""
    if targets.warning_percent is None or not status.is_open(ticket.status):
        return None
    if ticket.first_responded_at is None and not ticket.first_response_warned:
        target = FIRST_RESPONSE
    elif not ticket.resolution_warned and ticket.due_override_at is None:
        target = RESOLUTION
    else:
        return None
    share = targets.work(target) * targets.warning_percent / 100
    return clock.due(ticket.created_at, share + paused, targets.calendar)


def relevant_due(ticket) -> tuple[str, datetime] | None:
    """The target an open ticket must meet next, and when: a first response, then resolution."""
    first, resolution = ticket.first_response_due_at, ticket.resolution_due_at
    if (
        ticket.first_responded_at is None
        and first is not None
        and (resolution is None or first <= resolution)
    ):
        return FIRST_RESPONSE, first
    if ticket.resolution_due_at is not None:
        return RESOLUTION, ticket.resolution_due_at
    return None


SLA_FIELDS = [
    "first_response_due_at",
    "resolution_due_at",
    "sla_warn_at",
    "is_overdue",
    "overdue_at",
]


def recompute(ticket, now: datetime | None = None, targets: Targets | None = None) -> list[str]:
    """Set the ticket's due times and next warning from its plan; return the fields set.

    An overdue mark stays while the target it was for is still past due, and goes when a
    new plan, a pause or a first response moves the next target into the future.
    """
    now = now or timezone.now()
    targets = targets or _targets(ticket)
    if targets is None:
        ticket.first_response_due_at = None
        ticket.resolution_due_at = ticket.due_override_at
        ticket.sla_warn_at = None
    else:
        paused = paused_work(ticket, now, targets)
        try:
            first, resolution = due_times(ticket, targets, paused)
            warn_at = _next_warning(ticket, targets, paused)
        except clock.OutOfReach:
            # Nothing the plan asks can be met on its schedule: no due time, and the page
            # explains why (explain), instead of a due time that is not true.
            first = resolution = warn_at = None
        ticket.first_response_due_at = first
        ticket.resolution_due_at = ticket.due_override_at or resolution
        ticket.sla_warn_at = warn_at
    due = relevant_due(ticket)
    if ticket.is_overdue and (due is None or due[1] > now):
        ticket.is_overdue = False
        ticket.overdue_at = None
    return list(SLA_FIELDS)


def recompute_open_tickets(plans, now: datetime | None = None) -> int:
    """After a plan's targets or its schedule changed: recompute its open tickets; how many.

    Each plan's clock is built once; the tickets are updated in batches.
    """
    now = now or timezone.now()
    updated = 0
    for plan in plans:
        targets = Targets.of(plan)
        tickets = Ticket.objects.filter(sla_plan=plan).open()
        batch = []
        for ticket in tickets.order_by("pk").iterator(chunk_size=1000):
            recompute(ticket, now, targets)
            batch.append(ticket)
            if len(batch) == 1000:
                Ticket.objects.bulk_update(batch, SLA_FIELDS)
                updated, batch = updated + len(batch), []
        Ticket.objects.bulk_update(batch, SLA_FIELDS)
        updated += len(batch)
    return updated


def start(ticket, now: datetime | None = None) -> list[str]:
    """A new ticket: its due times from creation."""
    return recompute(ticket, now)


def work_until(ticket, now: datetime) -> timedelta | None:
    """The working time the ticket has taken until now, as the SLA clock counts it.

    From creation, on its plan's schedule, less the working time spent awaiting the user
    (the pause under way included). None without a plan, or beyond the clock's reach.
    """
    targets = _targets(ticket)
    if targets is None:
        return None
    try:
        spent = clock.elapsed(ticket.created_at, now, targets.calendar)
    except clock.OutOfReach:
        return None
    return max(spent - paused_work(ticket, now, targets), timedelta(0))


def on_status_change(ticket, before: str, now: datetime) -> list[str]:
    """Pause or resume the clock, record a target met, and recompute; after `ticket.status`
    has changed from `before`."""
    after = ticket.status
    fields = []
    was_running = status.clock_runs(before)
    is_running = status.clock_runs(after)
    targets = _targets(ticket)
    if status.clock_paused(before) and ticket.sla_paused_since is not None:
        if targets is not None:
            ticket.sla_paused_work += _paused_now(ticket, now, targets.calendar)
        ticket.sla_paused_since = None
        fields += ["sla_paused_work", "sla_paused_since"]
    if status.clock_paused(after) and ticket.sla_paused_since is None:
        ticket.sla_paused_since = now
        fields.append("sla_paused_since")
    if status.is_open(before) and not status.is_open(after):
        due = ticket.resolution_due_at
        ticket.resolution_on_time = None if due is None else now <= due
        ticket.resolution_work = work_until(ticket, now)
        fields += ["resolution_on_time", "resolution_work"]
    elif not status.is_open(before) and status.is_open(after):
        # Reopened: resolution is owed again, and its time will be counted again.
        ticket.resolution_on_time = None
        ticket.resolution_work = None
        fields += ["resolution_on_time", "resolution_work"]
    if was_running != is_running or fields:
        fields += recompute(ticket, now)
    return fields


def on_first_response(ticket, now: datetime) -> list[str]:
    """The first agent response: met on time or not; the next target is resolution."""
    due = ticket.first_response_due_at
    ticket.first_responded_at = now
    ticket.first_response_on_time = None if due is None else now <= due
    ticket.first_response_work = work_until(ticket, now)
    return [
        "first_responded_at",
        "first_response_on_time",
        "first_response_work",
        *recompute(ticket, now),
    ]


def on_plan_change(ticket, now: datetime | None = None) -> list[str]:
    """A new plan (set directly, or brought by a help topic or department): recompute."""
    return recompute(ticket, now)


def set_due_override(ticket, due_at: datetime | None, now: datetime | None = None) -> list[str]:
    """An agent's own resolution due time (None gives the plan's back)."""
    ticket.due_override_at = due_at
    return ["due_override_at", *recompute(ticket, now)]


# What people read -------------------------------------------------------------------------


@dataclass(frozen=True)
class DueExplanation:
    target: str
    label: str
    due_at: datetime | None
    lines: list[str]
    # False when the plan's target cannot be reached on its schedule (see _cannot_work_out).
    computable: bool = True


def explain(
    ticket, now: datetime | None = None, targets: Targets | None = None
) -> list[DueExplanation]:
    """Each due time of the ticket in words: how the plan and its schedule lead to it."""
    now = now or timezone.now()
    targets = targets or _targets(ticket)
    explained = []
    for target, label, due_at in (
        (FIRST_RESPONSE, "First response due", ticket.first_response_due_at),
        (RESOLUTION, "Resolution due", ticket.resolution_due_at),
    ):
        if target == RESOLUTION and ticket.due_override_at is not None:
            lines = ["Set by hand; the SLA plan's own due time does not apply while it is set."]
        elif targets is None:
            lines = ["No SLA plan: nothing is due."]
        else:
            paused = paused_work(ticket, now, targets)
            try:
                lines = clock.explain(ticket.created_at, targets.work(target), targets.calendar)
            except clock.OutOfReach as reason:
                lines = [_cannot_work_out(ticket, reason)]
                explained.append(DueExplanation(target, label, due_at, lines, computable=False))
                continue
            lines[1] = f"{ticket.sla_plan.name} gives {lines[1]}"
            if paused:
                lines.append(
                    f"Awaiting the user paused the clock for {hours_text(paused)}"
                    f"{' so far' if ticket.sla_paused_since else ''}: the due time moves "
                    "later by as much."
                )
        explained.append(DueExplanation(target, label, due_at, lines))
    return explained


def _cannot_work_out(ticket, reason: clock.OutOfReach) -> str:
    return (
        f"This due time cannot be worked out: {ticket.sla_plan.name}'s target is not reached "
        f"on its schedule ({reason}) Choose another plan, or set a due time by hand."
    )


# The admin's what-if ------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewRow:
    number: str
    subject: str | None  # None: the viewer may not see this ticket, so not its subject either
    due_before: datetime | None
    due_after: datetime | None
    overdue_after: bool


@dataclass(frozen=True)
class PlanPreview:
    open_tickets: int
    changed: int
    newly_overdue: int
    overdue_now: int
    examples: list[PreviewRow]


def preview_plan_change(
    plan: SLAPlan,
    *,
    schedule: Schedule,
    first_response_hours: Decimal,
    resolution_hours: Decimal,
    now: datetime | None = None,
    most_examples: int = 20,
    viewer=None,
) -> PlanPreview:
    """What saving these values would do to the plan's open tickets; saves nothing.

    Every open ticket of the plan is counted; an example row names its subject only if
    `viewer` (the admin asking) may see the ticket.
    """
    now = now or timezone.now()
    new = Targets(
        first_response=hours(first_response_hours),
        resolution=hours(resolution_hours),
        warning_percent=None,
        calendar=schedule.to_clock(),
    )
    old_calendar = plan.schedule.to_clock()
    tickets = Ticket.objects.filter(sla_plan=plan).open().order_by("pk")
    seen = (
        set(Ticket.objects.visible_to(viewer).filter(sla_plan=plan).values_list("pk", flat=True))
        if viewer is not None
        else None
    )
    counted = changed = newly_overdue = overdue_now = 0
    examples = []
    for ticket in tickets.iterator(chunk_size=2000):
        counted += 1
        overdue_now += ticket.is_overdue
        paused = ticket.sla_paused_work
        if ticket.sla_paused_since is not None:
            # The pause under way is counted on the schedule it runs on now.
            paused += _paused_now(ticket, now, old_calendar)
        try:
            first, resolution = due_times(ticket, new, paused)
        except clock.OutOfReach:
            first = resolution = None  # as recompute() would store it
        after = ticket.due_override_at or resolution
        # What the ticket must meet next, as recompute() would see it.
        due_next = (
            first
            if ticket.first_responded_at is None
            and first is not None
            and (after is None or first <= after)
            else after
        )
        overdue_after = (
            status.clock_runs(ticket.status) and due_next is not None and due_next <= now
        )
        moved = (first, after) != (ticket.first_response_due_at, ticket.resolution_due_at)
        changed += moved
        became_overdue = overdue_after and not ticket.is_overdue
        newly_overdue += became_overdue
        if (moved or became_overdue) and len(examples) < most_examples:
            examples.append(
                PreviewRow(
                    ticket.number,
                    ticket.subject if seen is None or ticket.pk in seen else None,
                    ticket.resolution_due_at,
                    after,
                    overdue_after,
                )
            )
    return PlanPreview(counted, changed, newly_overdue, overdue_now, examples)
