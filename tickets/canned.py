"""Canned responses with variables filled in for the ticket and agent at hand.

Variables are written as osTicket writes them, %{ticket.number}, so responses brought over
from osTicket keep working; an administrator saving a response that names an unknown
variable is told which (CannedResponseForm), and one that slips through is reported to
the agent, never sent as it is.
"""

import re
from collections.abc import Callable

from accounts.models import Agent
from tickets.models import Ticket

PATTERN = re.compile(r"%\{\s*([A-Za-z_][\w.]*)\s*\}")

VARIABLES: dict[str, tuple[str, Callable[[Ticket, Agent], str]]] = {
    "ticket.number": ("the ticket's number", lambda t, a: t.number),
    "ticket.subject": ("its subject", lambda t, a: t.subject),
    "ticket.status": ("its status", lambda t, a: t.get_status_display()),
    "ticket.priority": ("its priority", lambda t, a: t.get_priority_display()),
    "ticket.dept": ("its department", lambda t, a: t.department.name),
    "ticket.topic": ("its help topic", lambda t, a: t.help_topic.name if t.help_topic else ""),
    "ticket.name": ("the requester's name", lambda t, a: t.requester.display_name),
    "ticket.email": ("the requester's address", lambda t, a: t.requester.email),
    "recipient.name": ("whom the response goes to", lambda t, a: t.requester.display_name),
    "agent.name": ("your name", lambda t, a: a.user.display_name),
    "staff.name": ("your name (osTicket's name for it)", lambda t, a: a.user.display_name),
    "signature": ("your signature", lambda t, a: a.signature),
}


def unknown_variables(text: str) -> list[str]:
    """The variables a text names that do not exist, each once, as written."""
    return list(
        dict.fromkeys(m.group(0) for m in PATTERN.finditer(text) if m.group(1) not in VARIABLES)
    )


def fill(text: str, ticket: Ticket, agent: Agent) -> str:
    """The text with every known variable replaced; unknown ones are left for unknown_variables
    to report."""

    def value(match: re.Match) -> str:
        known = VARIABLES.get(match.group(1))
        return known[1](ticket, agent) if known else match.group(0)

    return PATTERN.sub(value, text)
