"""What every write on a ticket shares: its refusals, the locked row, the saved change."""

from django.db.models import Model

from accounts.models import Agent
from helpdesk.errors import Refused
from tickets.models import Ticket
from tickets.permissions import can, forget_access


class TicketError(Refused):
    """A domain rule refused the action; the message is meant for the person acting."""


class FileNotStored(TicketError):
    """An attached file could not be written (the disk full): the whole change is refused."""


class ActionRefused(TicketError):
    """The agent's role does not allow this action on this ticket."""


class AddressRefused(TicketError):
    """The address cannot be used here (a look-alike, or an agent's on the public side);
    `field` names the form field the message belongs beside."""

    field = "email"


class StaleTicket(TicketError):
    """The ticket changed after the agent loaded the form they sent."""


STALE_MESSAGE = (
    "This ticket changed after you opened it (see the thread and history below). "
    "Nothing was saved: check the change and try again."
)


def locked(ticket: Ticket) -> Ticket:
    """The ticket's row, re-read under a lock, with what the writes and rules read."""
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("department", "assignee__user", "team", "help_topic", "sla_plan")
        .get(pk=ticket.pk)
    )


def locked_for(ticket: Ticket, *, by: Agent, action: str, revision: int | None) -> Ticket:
    """The ticket's row, locked, after checking the agent may act and the form is current."""
    row = locked(ticket)
    forget_access(by)
    if not can(by, action, row):
        raise ActionRefused(f"Your role does not allow you to {action} on this ticket.")
    if revision is not None and revision != row.revision:
        raise StaleTicket(STALE_MESSAGE)
    return row


def save_change(ticket: Ticket, fields: list[str]) -> None:
    """Save these fields; every change moves the ticket's revision and last update."""
    ticket.revision += 1
    ticket.save(update_fields=[*fields, "revision", "updated_at"])


def label(value: Model | None) -> str | None:
    return str(value) if value is not None else None
