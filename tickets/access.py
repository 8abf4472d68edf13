"""How an end user reaches a ticket in the portal without a password.

Two ways, both ending at the same page: the signed access link (it goes into emails),
and the status form's email address + ticket number. Neither says whether a ticket
number exists to somebody who does not also know the address of somebody following it.

A link is made for one person, the requester or a collaborator: whoever opens it acts as
that person, so a collaborator's reply is recorded as theirs and not as the requester's.
It opens nothing once its person no longer follows the ticket.
"""

from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from accounts.models import User
from tickets.models import Collaborator, Ticket

# No timestamp: a person has one link to a ticket, the same in every email.
_signer = signing.Signer(salt="tickets.portal-access")


@dataclass(frozen=True)
class TicketAccess:
    """What a link opens: the ticket, and the person it was made for."""

    ticket: Ticket
    person: User

    @property
    def is_requester(self) -> bool:
        return self.person.pk == self.ticket.requester_id


def ticket_access_token(ticket: Ticket, user: User | None = None) -> str:
    """The token of this person's link to the ticket; None stands for its requester."""
    # The payload is the same as that of the links made for the requester alone before
    # links named their person, so those keep working.
    person_id = ticket.requester_id if user is None else user.pk
    return _signer.sign_object([ticket.number, person_id])


def ticket_access_url(ticket: Ticket, user: User | None = None) -> str:
    """This person's link to the ticket's portal page; None stands for its requester."""
    return reverse("portal:ticket", kwargs={"token": ticket_access_token(ticket, user)})


def access_from_token(token: str) -> TicketAccess | None:
    """The ticket a token opens and for whom; None for a tampered or foreign token, or
    one whose person is no longer the requester nor a collaborator."""
    try:
        number, person_id = _signer.unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    ticket = (
        Ticket.objects.select_related("requester", "help_topic", "department")
        .filter(number=str(number))
        .first()
    )
    if ticket is None:
        return None
    if ticket.requester_id == person_id:
        return TicketAccess(ticket, ticket.requester)
    collaboration = (
        Collaborator.objects.select_related("user").filter(ticket=ticket, user_id=person_id).first()
    )
    return TicketAccess(ticket, collaboration.user) if collaboration else None


def ticket_from_access_token(token: str) -> Ticket | None:
    """The ticket a token opens, or None for a tampered, foreign or stale token."""
    access = access_from_token(token)
    return access.ticket if access else None


def normalize_ticket_number(raw: str) -> str:
    """'#482 913' and '482913' are the same number to a person reading an email."""
    return "".join(ch for ch in raw if ch.isdigit())


def find_ticket_for_person(*, email: str, number: str) -> TicketAccess | None:
    """The ticket with this number and whoever follows it (its requester, else a
    collaborator) at this address, else None."""
    number = normalize_ticket_number(number)
    if not number:
        return None
    email = email.strip()
    ticket = (
        Ticket.objects.select_related("requester")
        .filter(number=number, requester__email__iexact=email)
        .first()
    )
    if ticket is not None:
        return TicketAccess(ticket, ticket.requester)
    collaboration = (
        Collaborator.objects.select_related("ticket", "user")
        .filter(ticket__number=number, user__email__iexact=email)
        .first()
    )
    return TicketAccess(collaboration.ticket, collaboration.user) if collaboration else None
