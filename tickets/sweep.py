"""The overdue sweep: mark what is past due once, and alert; warn once before a breach.

Runs every minute as a periodic task (tickets.tasks) and as `manage.py sla_sweep`. Each ticket
is re-read under a row lock and its flags decide: running it twice, or in two workers at
once, marks and alerts nothing twice.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Agent
from tickets import notifications, status, timing
from tickets.models import Event, SLAAlert, Ticket
from tickets.services import record_event


@dataclass(frozen=True)
class SweepResult:
    overdue: int
    warned: int


def _running() -> Q:
    # Awaiting the user: the clock is paused and its due times will still move.
    return Q(status__in=sorted(status.CLOCK_RUNNING_STATUSES))


def _past_due(now: datetime) -> Q:
    return Q(resolution_due_at__lte=now) | Q(
        first_responded_at__isnull=True, first_response_due_at__lte=now
    )


def recipients(ticket: Ticket) -> list[Agent]:
    """Who hears of this ticket's SLA: its assignee; else its team; else the department's
    manager and members. Only active agents who can see the ticket."""
    return notifications.assignee_else_department(ticket)


def _alert(ticket: Ticket, kind: str, target: str, due_at: datetime) -> None:
    alerts = SLAAlert.objects.bulk_create(
        SLAAlert(ticket=ticket, kind=kind, target=target, recipient=agent, due_at=due_at)
        for agent in recipients(ticket)
    )
    notifications.sla_alerts(ticket, alerts)


def _locked(pk: int) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("sla_plan__schedule", "department", "team", "assignee__user")
        .get(pk=pk)
    )


def mark_overdue(now: datetime) -> int:
    marked = 0
    candidates = Ticket.objects.filter(_running(), _past_due(now), is_overdue=False)
    for pk in candidates.values_list("pk", flat=True).order_by("pk"):
        with transaction.atomic():
            ticket = _locked(pk)
            due = timing.relevant_due(ticket)
            if ticket.is_overdue or not status.clock_runs(ticket.status):
                continue
            if due is None or due[1] > now:
                continue  # moved meanwhile (a response, a new plan)
            target, due_at = due
            ticket.is_overdue = True
            ticket.overdue_at = now
            ticket.save(update_fields=["is_overdue", "overdue_at"])
            record_event(ticket, Event.Kind.OVERDUE, target=target, due=due_at.isoformat())
            _alert(ticket, SLAAlert.Kind.OVERDUE, target, due_at)
            marked += 1
    return marked


def send_warnings(now: datetime) -> int:
    warned = 0
    candidates = Ticket.objects.filter(_running(), sla_warn_at__lte=now, is_overdue=False)
    for pk in candidates.values_list("pk", flat=True).order_by("pk"):
        with transaction.atomic():
            ticket = _locked(pk)
            if ticket.sla_warn_at is None or ticket.sla_warn_at > now or ticket.is_overdue:
                continue
            if ticket.first_responded_at is None and not ticket.first_response_warned:
                target, due_at = timing.FIRST_RESPONSE, ticket.first_response_due_at
                ticket.first_response_warned = True
            else:
                target, due_at = timing.RESOLUTION, ticket.resolution_due_at
                ticket.resolution_warned = True
            fields = ["first_response_warned", "resolution_warned", *timing.recompute(ticket, now)]
            ticket.save(update_fields=fields)
            _alert(ticket, SLAAlert.Kind.WARNING, target, due_at)
            warned += 1
    return warned


def sweep(now: datetime | None = None) -> SweepResult:
    """Mark past-due tickets overdue and send the warnings owed; return how many of each."""
    now = now or timezone.now()
    return SweepResult(overdue=mark_overdue(now), warned=send_warnings(now))
