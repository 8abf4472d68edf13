"""One change to many tickets at once, from a queue page."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from accounts.models import Agent
from tickets import status
from tickets.models import Priority, Ticket
from tickets.services.base import TicketError
from tickets.services.changes import assign_ticket, change_priority, transfer_ticket
from tickets.services.lifecycle import change_status

# Refusals named one by one, each its own message; beyond these, the rest are counted.
MAX_REFUSALS_NAMED = 10
NOT_VISIBLE = "No ticket you can see has this number."


def tickets_text(count: int) -> str:
    """'1 ticket', '3 tickets'."""
    return f"{count} ticket{'' if count == 1 else 's'}"


def unseen_text(count: int) -> str:
    """For the numbers chosen that match no ticket the agent sees, without naming them."""
    if count == 1:
        return "1 other number you chose matches no ticket you can see."
    return f"{count} other numbers you chose match no ticket you can see."


def describe_change(action: str, value) -> str:
    """What a bulk change does to each ticket, in words: "assigned to team Network"."""
    if action == "priority":
        return f"set to {Priority(value).label} priority"
    if action == "status":
        return status.moved_words(value)
    if action == "assign":
        if value is None:
            return "unassigned"
        if isinstance(value, Agent):
            return f"assigned to {value.user.display_name}"
        return f"assigned to team {value.name}"
    if action == "transfer":
        return f"transferred to {value.name}"
    raise ValueError(f"unknown bulk action {action!r}")


@dataclass
class BulkResult:
    # What was done to each changed ticket: "closed", "assigned to Jane Cooper".
    done: str = ""
    changed: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed_message(self) -> str:
        """'3 tickets closed.', or '' when none changed."""
        if not self.changed:
            return ""
        return f"{tickets_text(len(self.changed))} {self.done}."

    @property
    def refused_messages(self) -> list[str]:
        """One "#123456: reason" per refusal, the first ten; the rest counted in one more."""
        named = [f"#{number}: {why}" for number, why in self.refused[:MAX_REFUSALS_NAMED]]
        rest = len(self.refused) - MAX_REFUSALS_NAMED
        if rest > 0:
            noun, were = ("ticket", "was") if rest == 1 else ("tickets", "were")
            named.append(f"{rest} more {noun} {were} not changed.")
        return named


def bulk_apply(numbers: Iterable[str], *, action: str, value, by: Agent) -> BulkResult:
    """Apply one action to several tickets, each checked on its own with can().

    action is "priority", "status", "assign" (value: an Agent, a Team or None) or
    "transfer" (value: a Department). One refusal does not stop the others: the result
    says which changed and which were refused, and why. A number the agent cannot see is
    refused in the same words whether or not a ticket has it.
    """
    numbers = list(dict.fromkeys(numbers))  # a number posted twice is changed once
    result = BulkResult(done=describe_change(action, value))
    tickets = {t.number: t for t in Ticket.objects.visible_to(by).filter(number__in=numbers)}
    for number in numbers:
        ticket = tickets.get(number)
        if ticket is None:
            result.refused.append((number, NOT_VISIBLE))
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
        except TicketError as refusal:
            result.refused.append((number, str(refusal)))
        else:
            result.changed.append(number)
    return result
