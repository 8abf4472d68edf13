"""Mailing an end user their own link to a ticket: a fresh one when theirs has expired,
or the one asked for on Check Ticket Status when it answers by email.

The link goes to the address on file of the person the link is for, never to an address
typed by a visitor, and at most LINKS_PER_HOUR times an hour to one person: a page that
sends mail on a button press must not become a way to flood somebody's mailbox.

An agent may also revoke every link to a ticket made so far (a link forwarded to the wrong
person, a shared mailbox): the people following it then ask for a fresh one the same way.
"""

from contextlib import suppress
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Agent, User
from helpdesk.mail.models import OutgoingMail
from tickets import notifications
from tickets.access import find_ticket_for_person
from tickets.models import Event, Ticket
from tickets.services.base import TicketError, locked_for
from tickets.services.records import record_event

LINKS_PER_HOUR = 3

TOO_MANY_LINKS = (
    "We have already sent you several links in the last hour. Please use the newest one in "
    "your mailbox, or ask again later."
)
CANNOT_SEND = "We cannot send mail to the address we have for you. Please contact us."


def _links_sent_lately(person: User) -> int:
    since = timezone.now() - timedelta(hours=1)
    return OutgoingMail.objects.filter(
        tag=notifications.access_link_tag(person), created_at__gte=since
    ).count()


@transaction.atomic
def send_access_link(ticket: Ticket, *, to: User) -> OutgoingMail:
    """Mail this follower of the ticket a fresh link of their own, at their address on file.

    Refuses somebody who no longer follows the ticket, a person sent LINKS_PER_HOUR links
    in the last hour, and a person no mail can go to (inactive, bouncing, banned).
    """
    # Locked, so that two presses at once cannot both pass the count.
    person = User.objects.select_for_update().get(pk=to.pk)
    if not Ticket.objects.followed_by(person).filter(pk=ticket.pk).exists():
        raise TicketError("This ticket is no longer shared with you.")
    if _links_sent_lately(person) >= LINKS_PER_HOUR:
        raise TicketError(TOO_MANY_LINKS)
    mail = notifications.access_link(ticket, person)
    if mail is None:
        raise TicketError(CANNOT_SEND)
    return mail


def send_status_link(*, email: str, number: str) -> None:
    """Check Ticket Status by email: mail their own link to whoever follows the ticket with
    this number at this address (its requester or a collaborator).

    Refuses silently, as a wrong pair is: the page answers alike whatever happened, so it
    tells nobody whether a ticket exists, nor whether its person hit the hourly limit.
    """
    access = find_ticket_for_person(email=email, number=number)
    if access is None:
        return
    with suppress(TicketError):
        send_access_link(access.ticket, to=access.person)


@transaction.atomic
def revoke_access_links(ticket: Ticket, *, by: Agent) -> Ticket:
    """Make every portal link to the ticket made until now open nothing, for its requester
    and collaborators alike; links made afterwards work. Needs `edit`.

    The ticket's revision stays: no form open on the ticket is made stale by it.
    """
    ticket = locked_for(ticket, by=by, action="edit", revision=None)
    ticket.link_generation += 1
    ticket.save(update_fields=["link_generation"])
    record_event(ticket, Event.Kind.LINKS_REVOKED, actor=by.user)
    return ticket
