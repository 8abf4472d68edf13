"""One change to many tickets at once, from a queue page."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from accounts.models import Agent
from tickets.models import Ticket
from tickets.services.base import TicketError
from tickets.services.changes import assign_ticket, change_priority, transfer_ticket
from tickets.services.lifecycle import change_status


@dataclass
class BulkResult:
    changed: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def bulk_apply(numbers: Iterable[str], *, action: str, value, by: Agent) -> BulkResult:
    """Apply one action to several tickets, each checked on its own with can().

    action is "priority", "status", "assign" (value: an Agent, a Team or None) or
    "transfer" (value: a Department). One refusal does not stop the others: the result
    says which changed and which were refused, and why.
    """
    result = BulkResult()
    tickets = {t.number: t for t in Ticket.objects.visible_to(by).filter(number__in=numbers)}
    for number in numbers:
        ticket = tickets.get(number)
        if ticket is None:
            result.refused.append((number, "not found"))
            continue
        try:
            if action == "priority":
                change_priority(ticket, priority=value, by=by)
            elif action == "status":
                change_status(ticket, status=value, by=by)
            elif action == "assign":
                agent = value if isinstance(value, Agent) else None
                team = None if agent is not None or value is None else value
                assign_ticket(ticket, agent=agent, team=team, by=by)
            elif action == "transfer":
                transfer_ticket(ticket, department=value, by=by)
            else:
                raise ValueError(f"unknown bulk action {action!r}")
        except TicketError as refusal:
            result.refused.append((number, str(refusal)))
        else:
            result.changed.append(number)
    return result
