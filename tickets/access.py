"""How an end user reaches a ticket in the portal without a password.

Two ways, both ending at the same page: the signed access link (it goes into emails),
and the status form's email address + ticket number. Neither says whether a ticket
number exists to somebody who does not also know its requester's address.
"""

from django.core import signing
from django.urls import reverse

from tickets.models import Ticket

# No timestamp: a ticket has one link, the same in every email, that does not expire.
_signer = signing.Signer(salt="tickets.portal-access")


def ticket_access_token(ticket: Ticket) -> str:
    # Bound to the requester too: if the ticket is moved to another user, old links stop working.
    return _signer.sign_object([ticket.number, ticket.requester_id])


def ticket_access_url(ticket: Ticket) -> str:
    return reverse("portal:ticket", kwargs={"token": ticket_access_token(ticket)})


def ticket_from_access_token(token: str) -> Ticket | None:
    """The ticket a token opens, or None for a tampered, foreign or stale token."""
    try:
        number, requester_id = _signer.unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (
        Ticket.objects.select_related("requester", "help_topic", "department")
        .filter(number=str(number), requester_id=requester_id)
        .first()
    )


def normalize_ticket_number(raw: str) -> str:
    """'#482 913' and '482913' are the same number to a person reading an email."""
    return "".join(ch for ch in raw if ch.isdigit())


def find_ticket_for_requester(*, email: str, number: str) -> Ticket | None:
    """The ticket with this number whose requester has this address, else None."""
    number = normalize_ticket_number(number)
    if not number:
        return None
    return Ticket.objects.filter(number=number, requester__email__iexact=email.strip()).first()
