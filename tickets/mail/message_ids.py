"""How our mail names its ticket, so that replies find their way back.

Every message we send about a ticket has a Message-ID starting "ticket-<number>" in our own
domain, and refers to the conversation's root, "ticket-<number>@<domain>"; a reply names
them in In-Reply-To and References. Pure functions: the domain is passed in.
"""

import re

_OUR_ID = re.compile(r"^ticket-(\d{4,12})(?:\.|$)")


def root_message_id(number: str, domain: str) -> str:
    """The conversation's first message, as every mail of the ticket refers to it."""
    return f"ticket-{number}@{domain}"


def local_part(number: str, what: str = "") -> str:
    """The left part of a new Message-ID about this ticket: "ticket-482913.entry-42"."""
    return f"ticket-{number}.{what}" if what else f"ticket-{number}"


def ticket_number_in(message_id: str, domain: str) -> str | None:
    """The ticket number one of our Message-IDs names, or None for anybody else's."""
    local, _, their_domain = message_id.strip().strip("<>").strip().partition("@")
    match = _OUR_ID.match(local)
    if match is None or their_domain.lower() != domain.lower():
        return None
    return match.group(1)
