"""New tickets: from the portal's form, or opened by an agent on a user's behalf."""

import secrets
import uuid
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import emails
from accounts.models import Agent, User
from accounts.services import StaffAddress, find_or_create_end_user
from helpdesk.mail.outbox import one_sending_task
from tickets import notifications, timing
from tickets import status as status_machine
from tickets.models import (
    Collaborator,
    Event,
    HelpTopic,
    PendingUpload,
    Source,
    ThreadEntry,
    Ticket,
)
from tickets.permissions import departments_to_create_in
from tickets.services.base import ActionRefused, AddressRefused, TicketError
from tickets.services.records import add_entry, record_event

# What opening a ticket reads of its help topic: its department, the plans and their
# schedules, the automatic assignee or team. Read with the topic, in the same query.
TOPIC_READS = (
    "department__sla_plan__schedule",
    "sla_plan__schedule",
    "auto_assign_agent__user",
    "auto_assign_team",
)


def new_ticket_number() -> str:
    """A random number with a fixed count of digits and no leading zero.

    Random, not sequential, so that a number reveals neither how many tickets there are
    nor its neighbours' numbers.
    """
    digits = settings.HELPDESK_TICKET_NUMBER_DIGITS
    low = 10 ** (digits - 1)
    return str(low + secrets.randbelow(9 * low))


def _insert_with_fresh_number(ticket: Ticket, attempts: int = 20) -> None:
    for _ in range(attempts):
        ticket.number = new_ticket_number()
        try:
            with transaction.atomic():
                ticket.save(force_insert=True)
            return
        except IntegrityError:
            if (
                ticket.submission_key
                and Ticket.objects.filter(submission_key=ticket.submission_key).exists()
            ):
                raise
            ticket.pk = None  # a number taken in the meantime: draw again
    raise TicketError("No free ticket number was found; please try again.")


@transaction.atomic
def open_ticket(
    *,
    email: str,
    full_name: str,
    phone: str = "",
    help_topic: HelpTopic,
    subject: str,
    body: str,
    attachments: Iterable[UploadedFile] = (),
    kept_uploads: Iterable[PendingUpload] = (),
    source: str = Source.WEB,
    submission_key: uuid.UUID | None = None,
    by: Agent | None = None,
    requester: User | None = None,
    message_id: str = "",
    collaborators: Iterable[str] = (),
    priority: int | None = None,
    alert: bool = True,
    autorespond: bool = True,
    details: Mapping[str, str] | None = None,
) -> tuple[Ticket, bool]:
    """Open a ticket for the person with this email; return it and whether it is new.

    The ticket takes its help topic's department, priority and SLA plan (else the
    department's plan). The same submission key twice returns the first ticket. An agent
    opening it on the user's behalf (`by`) needs `create` in that department. A signed-in
    end user is passed as `requester` and files as themselves, whatever `email` says. The
    name and phone typed are kept on the ticket; an existing user's profile is not changed.
    A ticket from mail passes its Message-ID and the other people it was addressed to, who
    become collaborators. The new ticket's `opening_entry` is its first message.

    A program opening tickets (the osTicket-compatible API) may set the `priority` instead of
    the topic's, switch off the agents' alerts (`alert`) or the requester's auto-response
    (`autorespond`), and add `details` (its key, the submitter's address) to the Created event.

    The address is normalised (accounts.emails); a look-alike is refused, and so is an
    agent's address from the public side (no signed-in requester, no agent `by`): a web
    form, a mail or an API call cannot prove an agent sent it.
    """
    email = requester.email if requester is not None else _normalised(email)
    if by is not None and help_topic.department_id not in departments_to_create_in(by):
        raise ActionRefused(
            f"Your role does not allow you to open tickets in {help_topic.department}."
        )
    if submission_key is not None:
        earlier = Ticket.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            if _same_requester(earlier, email):
                return earlier, False
            # The form was sent again for another address (Back, edit, resubmit): a new
            # ticket, and never the first one's number in this person's answer.
            submission_key = None

    if requester is None:
        try:
            requester = find_or_create_end_user(
                email=email, full_name=full_name, phone=phone, public=by is None
            )
        except StaffAddress as error:
            raise AddressRefused(str(error)) from None
    department = help_topic.department
    ticket = Ticket(
        subject=subject.strip(),
        requester=requester,
        given_name=full_name.strip(),
        given_phone=phone.strip(),
        source=source,
        department=department,
        help_topic=help_topic,
        priority=help_topic.priority if priority is None else priority,
        sla_plan=timing.plan_for(help_topic=help_topic, department=department),
        status=status_machine.initial_status(),
        submission_key=submission_key,
        **_auto_assignment(help_topic),
    )
    # Due times count from created_at: both are set before the one insert.
    ticket.created_at = timezone.now()
    timing.start(ticket, ticket.created_at)
    try:
        _insert_with_fresh_number(ticket)
    except IntegrityError:
        # A concurrent click with the same key won the race; answer with its ticket.
        earlier = Ticket.objects.get(submission_key=submission_key)
        if not _same_requester(earlier, email):
            raise TicketError("This form was just sent; please reload it and try again.") from None
        return earlier, False

    entry = add_entry(
        ticket,
        ThreadEntry.Kind.MESSAGE,
        author=requester,
        body=body,
        attachments=attachments,
        kept_uploads=kept_uploads,
        message_id=message_id,
    )
    ticket.opening_entry = entry
    following = [add_collaborator(ticket, email=address) for address in collaborators]
    record_event(
        ticket,
        Event.Kind.CREATED,
        actor=by.user if by else requester,
        source=source,
        help_topic=help_topic.name,
        department=department.name,
        on_behalf_of=requester.email if by else None,
        **(details or {}),
    )
    if ticket.assignee_id or ticket.team_id:
        record_event(
            ticket,
            Event.Kind.ASSIGNED,
            agent=str(ticket.assignee) if ticket.assignee else None,
            team=str(ticket.team) if ticket.team else None,
            by_help_topic=help_topic.name,
        )
    # The auto-response and every agent's alert leave with one sending task, not one each.
    with one_sending_task():
        if alert and (ticket.assignee_id or ticket.team_id):
            notifications.ticket_assigned(ticket, by=None)
        notifications.ticket_opened(
            ticket,
            entry,
            by=by,
            collaborators=[c.user for c in following if c is not None],
            alert=alert,
            autorespond=autorespond,
        )
    return ticket, True


def _auto_assignment(help_topic: HelpTopic) -> dict:
    """The help topic's automatic assignee or team, skipping one that is inactive."""
    agent = help_topic.auto_assign_agent
    if agent is not None and agent.user.is_active:
        return {"assignee": agent}
    team = help_topic.auto_assign_team
    if team is not None and team.is_active:
        return {"team": team}
    return {}


def _normalised(email: str) -> str:
    try:
        return emails.normalise(email)
    except emails.RefusedAddress as error:
        raise AddressRefused(str(error)) from None


def _same_requester(ticket: Ticket, email: str) -> bool:
    return ticket.requester.email.casefold() == email.strip().casefold()


def add_collaborator(ticket: Ticket, *, email: str, full_name: str = "") -> Collaborator | None:
    """Let somebody follow the ticket (copied on its mail, may reply); the requester and
    people already following it are left as they are. Refuses a look-alike address."""
    try:
        user = find_or_create_end_user(email=email, full_name=full_name)
    except emails.RefusedAddress as error:
        raise TicketError(f"{email}: {error}") from None
    if user.pk == ticket.requester_id:
        return None
    collaborator, _ = Collaborator.objects.get_or_create(ticket=ticket, user=user)
    return collaborator
