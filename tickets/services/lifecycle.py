"""Status changes: by an agent, by the requester, by the system (tickets.status declares
which exist). Each goes through `set_status`, which records its own event."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Agent, User
from tickets import notifications, timing
from tickets import status as status_machine
from tickets.models import Event, Ticket
from tickets.permissions import can
from tickets.services.base import (
    ActionRefused,
    TicketError,
    locked,
    locked_for,
    save_change,
)
from tickets.services.records import record_event
from tickets.status import Actor


def set_status(
    ticket: Ticket,
    target: str,
    *,
    actor: Actor,
    by: Agent | User | None = None,
    now=None,
    **event_data,
) -> list[str]:
    """Move the ticket's status, if the machine declares the move for this actor (and, for
    an agent, their role allows it); stamp its times, pause or resume the SLA clock, and
    record a `reopened` or `status_changed` event. Return the fields to save.

    The caller holds the ticket's row lock and saves the fields.
    """
    now = now or timezone.now()
    try:
        move = status_machine.find_move(ticket.status, target, actor=actor)
    except status_machine.TransitionRefused as refusal:
        raise TicketError(str(refusal)) from refusal
    if move.actor == Actor.AGENT and not can(by, move.permission, ticket):
        raise ActionRefused(
            f"Your role does not allow you to set this ticket to "
            f"{move.target.label.lower()}: it lacks '{move.permission}'."
        )
    before = ticket.status
    ticket.status = move.target
    fields = [
        "status",
        *status_machine.stamp(ticket, now),
        *timing.on_status_change(ticket, before, now),
    ]
    data = {"from": before, "to": move.target.value}
    if move.reopens and move.actor == Actor.REQUESTER:
        # The requester reopens only by replying, and always to open: the reply is in the
        # thread, and the event says where the ticket came back from.
        del data["to"]
    record_event(
        ticket,
        Event.Kind.REOPENED if move.reopens else Event.Kind.STATUS_CHANGED,
        actor=by.user if isinstance(by, Agent) else by,
        **data,
        **event_data,
    )
    return fields


@transaction.atomic
def change_status(ticket: Ticket, *, status: str, by: Agent, revision=None) -> Ticket:
    """An agent moves the ticket through the status machine; the move decides the
    permission needed."""
    ticket = locked_for(ticket, by=by, action="view", revision=revision)
    save_change(ticket, set_status(ticket, status, actor=Actor.AGENT, by=by))
    if ticket.status == status_machine.Status.RESOLVED:
        notifications.ticket_resolved(ticket, by=by.user)
    return ticket


@transaction.atomic
def resolve_by_user(ticket: Ticket, *, by: User) -> Ticket:
    """The requester marks their own open ticket resolved (when the setting allows)."""
    if not settings.HELPDESK_USERS_CAN_RESOLVE:
        raise TicketError("Tickets are resolved by our agents; reply if you need more help.")
    ticket = locked(ticket)
    if ticket.requester_id != by.pk:
        raise TicketError("Only the person who opened the ticket can mark it resolved.")
    fields = set_status(
        ticket, status_machine.Status.RESOLVED, actor=Actor.REQUESTER, by=by, by_requester=True
    )
    save_change(ticket, fields)
    return ticket


def within_reopen_window(ticket: Ticket, now) -> bool:
    """Whether the requester's reply may still reopen this ended ticket."""
    ended_at = max(filter(None, [ticket.resolved_at, ticket.closed_at]), default=None)
    if ended_at is None:
        return True
    return now - ended_at <= timedelta(days=settings.HELPDESK_REOPEN_WINDOW_DAYS)


def close_resolved_tickets(now=None) -> int:
    """Close tickets resolved more than HELPDESK_AUTO_CLOSE_DAYS ago; return how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.HELPDESK_AUTO_CLOSE_DAYS)
    sources = status_machine.auto_close_sources()
    closed = 0
    due = Ticket.objects.filter(status__in=sources, resolved_at__lte=cutoff)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().get(pk=pk)
            if ticket.status not in sources:
                continue  # reopened meanwhile
            fields = set_status(
                ticket, status_machine.Status.CLOSED, actor=Actor.SYSTEM, now=now, automatic=True
            )
            save_change(ticket, fields)
            closed += 1
    return closed
