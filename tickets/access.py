"""How an end user reaches a ticket in the portal without a password.

Two ways, both ending at the same page: the signed access link (it goes into emails),
and the status form's email address + ticket number. Neither says whether a ticket
number exists to somebody who does not also know the address of somebody following it.

A link is made for one person, the requester or a collaborator: whoever opens it acts as
that person, so a collaborator's reply is recorded as theirs and not as the requester's.
It opens nothing once its person no longer follows the ticket.

A link carries the time it was made. After HELPDESK_ACCESS_LINK_MAX_AGE_DAYS (0: never) it
is expired: it no longer opens the ticket, but still names its person, so the portal can
offer to mail them a fresh one at their address on file (a link forwarded or left in an old
mailbox stops being a key to the ticket; its owner loses nothing).

A link also carries the ticket's link generation when it was made. An agent who revokes the
ticket's links moves the generation on (tickets.services.links.revoke_access_links): every
link made before opens nothing and, like an expired one, leads its person to a fresh one.
A counter and not a time, so that a link made in the same second as the revocation (or on a
web node whose clock is a little behind) is on the right side of it.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from accounts.emails import normalise_or_none
from accounts.models import User
from helpdesk import throttle
from tickets.models import Collaborator, Ticket

_signer = signing.TimestampSigner(salt="tickets.portal-access.timed")
# Links mailed before links carried their time: ours, and of unknown age, so they count as
# expired (unless links never expire) and lead their person to a fresh one.
_untimed_signer = signing.Signer(salt="tickets.portal-access")


@dataclass(frozen=True)
class TicketAccess:
    """What a link opens: the ticket, the person it was made for, and whether it is too old
    to open it."""

    ticket: Ticket
    person: User
    is_expired: bool = False
    # Made before the ticket's links were revoked (is_expired is then true as well).
    is_revoked: bool = False

    @property
    def is_requester(self) -> bool:
        return self.person.pk == self.ticket.requester_id


def ticket_access_token(ticket: Ticket, user: User | None = None) -> str:
    """The token of this person's link to the ticket; None stands for its requester."""
    person_id = ticket.requester_id if user is None else user.pk
    payload = [ticket.number, person_id]
    if ticket.link_generation:
        # Links of a ticket never revoked stay as they were before revocation existed.
        payload.append(ticket.link_generation)
    return _signer.sign_object(payload)


def ticket_access_url(ticket: Ticket, user: User | None = None) -> str:
    """This person's link to the ticket's portal page; None stands for its requester."""
    return reverse("portal:ticket", kwargs={"token": ticket_access_token(ticket, user)})


def max_age() -> timedelta | None:
    """How long a link opens its ticket; None: for ever."""
    days = settings.HELPDESK_ACCESS_LINK_MAX_AGE_DAYS
    return timedelta(days=days) if days else None


def _read(token: str) -> tuple[list, bool] | None:
    """The token's payload and whether it has expired; None for a token we did not sign."""
    limit = max_age()
    try:
        return _signer.unsign_object(token, max_age=limit), False
    except signing.SignatureExpired:
        return _signer.unsign_object(token), True
    except (signing.BadSignature, ValueError, TypeError):
        pass
    try:
        return _untimed_signer.unsign_object(token), limit is not None
    except (signing.BadSignature, ValueError, TypeError):
        return None


def access_from_token(token: str) -> TicketAccess | None:
    """The ticket a token opens, for whom, and whether the link has expired; None for a
    tampered or foreign token, or one whose person is no longer the requester nor a
    collaborator."""
    read = _read(token)
    if read is None:
        return None
    payload, is_expired = read
    try:
        number, person_id, *rest = payload
        (generation,) = rest or [0]
    except (ValueError, TypeError):
        return None
    if not isinstance(generation, int):
        return None
    ticket = (
        Ticket.objects.select_related("requester", "help_topic", "department")
        .filter(number=str(number))
        .first()
    )
    if ticket is None:
        return None
    is_revoked = generation < ticket.link_generation
    is_expired = is_expired or is_revoked
    if ticket.requester_id == person_id:
        return TicketAccess(ticket, ticket.requester, is_expired, is_revoked)
    collaboration = (
        Collaborator.objects.select_related("user").filter(ticket=ticket, user_id=person_id).first()
    )
    if collaboration is None:
        return None
    return TicketAccess(ticket, collaboration.user, is_expired, is_revoked)


def ticket_from_access_token(token: str) -> Ticket | None:
    """The ticket a token opens, or None for a tampered, foreign, stale, expired or revoked
    token."""
    access = access_from_token(token)
    return access.ticket if access and not access.is_expired else None


def masked_email(address: str) -> str:
    """The address as a page may show it to whoever holds a link: k•••@example.com."""
    local, at, domain = address.rpartition("@")
    if not at:
        return "•••"
    return f"{local[:1]}•••@{domain}"


def normalize_ticket_number(raw: str) -> str:
    """'#482 913' and '482913' are the same number to a person reading an email."""
    return "".join(ch for ch in raw if ch.isdigit())


def find_ticket_for_person(*, email: str, number: str) -> TicketAccess | None:
    """The ticket with this number and whoever follows it (its requester, else a
    collaborator) at this address, else None."""
    number = normalize_ticket_number(number)
    if not number:
        return None
    people = User.objects.with_email(email).values("pk")
    ticket = (
        Ticket.objects.select_related("requester")
        .filter(number=number, requester__in=people)
        .first()
    )
    if ticket is not None:
        return TicketAccess(ticket, ticket.requester)
    collaboration = (
        Collaborator.objects.select_related("ticket", "user")
        .filter(ticket__number=number, user__in=people)
        .first()
    )
    return TicketAccess(collaboration.ticket, collaboration.user) if collaboration else None


def _counted_as(email: str) -> str:
    """One count for every form of one address (case, unicode or punycode domain)."""
    return (normalise_or_none(email) or email.strip()).lower()


def lookup_limits(*, email: str, address: str) -> list[tuple[throttle.Limit, str]]:
    """The limits of the status lookup, per email typed and per client address, so that an
    address's ticket numbers cannot be walked (HELPDESK_STATUS_LOOKUP_*)."""
    minutes = settings.HELPDESK_STATUS_LOOKUP_WINDOW_MINUTES
    per_email = settings.HELPDESK_STATUS_LOOKUP_FAILURES_PER_EMAIL
    per_address = settings.HELPDESK_STATUS_LOOKUP_FAILURES_PER_ADDRESS
    return [
        (throttle.per_minutes("lookup-email", per_email, minutes), _counted_as(email)),
        (throttle.per_minutes("lookup-address", per_address, minutes), address),
    ]
