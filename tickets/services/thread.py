"""The conversation: the requester's messages, agents' responses and internal notes."""

import uuid
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Agent, User
from tickets import notifications, timing
from tickets import status as status_machine
from tickets.models import Event, PendingUpload, ThreadEntry, Ticket
from tickets.services.base import TicketError, locked, locked_for, save_change
from tickets.services.lifecycle import set_status, within_reopen_window
from tickets.services.records import add_entry, record_event
from tickets.status import Actor


@transaction.atomic
def post_user_reply(
    ticket: Ticket,
    *,
    by: User,
    body: str,
    attachments: Iterable[UploadedFile] = (),
    kept_uploads: Iterable[PendingUpload] = (),
    submission_key: uuid.UUID | None = None,
    message_id: str = "",
) -> ThreadEntry:
    """Add the end user's message to the thread; reopen a resolved or closed ticket.

    Refuses a reply to a ticket closed longer ago than the reopen window. The same
    submission key twice returns the first entry.
    """
    ticket = locked(ticket)
    if submission_key is not None:
        earlier = ThreadEntry.objects.filter(ticket=ticket, submission_key=submission_key).first()
        if earlier is not None:
            return earlier

    now = timezone.now()
    try:
        outcome = status_machine.next_status_after_user_reply(
            ticket.status, within_reopen_window=within_reopen_window(ticket, now)
        )
    except status_machine.TransitionRefused as refusal:
        raise TicketError(str(refusal)) from refusal

    entry = add_entry(
        ticket,
        ThreadEntry.Kind.MESSAGE,
        author=by,
        body=body,
        attachments=attachments,
        kept_uploads=kept_uploads,
        submission_key=submission_key,
        message_id=message_id,
    )
    fields = ["is_answered"]
    ticket.is_answered = False
    if outcome.status != ticket.status:
        fields += set_status(ticket, outcome.status, actor=Actor.REQUESTER, by=by, now=now)
    save_change(ticket, fields)
    notifications.user_replied(ticket, entry)
    return entry


@transaction.atomic
def post_reply(
    ticket: Ticket,
    *,
    by: Agent,
    body: str,
    status: str | None = None,
    attachments: Iterable[UploadedFile] = (),
    kept_uploads: Iterable[PendingUpload] = (),
    revision: int | None = None,
) -> ThreadEntry:
    """Send the end user a response, with the agent's signature below it, optionally
    changing the status in the same step.

    The ticket becomes answered; its first response is stamped; an unassigned ticket goes
    to the replying agent where the department says so. Needs `reply`, and whatever the
    status change needs.
    """
    ticket = locked_for(ticket, by=by, action="reply", revision=revision)
    if by.signature:
        body = f"{body.rstrip()}\n\n{by.signature}"
    now = timezone.now()
    fields = ["is_answered"]
    if status and status != ticket.status:
        fields += set_status(ticket, status, actor=Actor.AGENT, by=by, now=now)
    entry = add_entry(
        ticket,
        ThreadEntry.Kind.RESPONSE,
        author=by.user,
        body=body,
        attachments=attachments,
        kept_uploads=kept_uploads,
    )
    ticket.is_answered = True
    if ticket.first_responded_at is None:
        fields += timing.on_first_response(ticket, now)
    if ticket.assignee_id is None and ticket.team_id is None and ticket.department.assign_on_reply:
        ticket.assignee = by
        fields.append("assignee")
        record_event(
            ticket, Event.Kind.ASSIGNED, actor=by.user, agent=str(by), team=None, on_reply=True
        )
    save_change(ticket, fields)
    notifications.agent_responded(ticket, entry)
    return entry


@transaction.atomic
def post_note(
    ticket: Ticket,
    *,
    by: Agent,
    body: str,
    attachments: Iterable[UploadedFile] = (),
    kept_uploads: Iterable[PendingUpload] = (),
    revision: int | None = None,
    message_id: str = "",
) -> ThreadEntry:
    """Add an internal note, never shown or sent to the end user; needs `note`."""
    ticket = locked_for(ticket, by=by, action="note", revision=revision)
    entry = add_entry(
        ticket,
        ThreadEntry.Kind.NOTE,
        author=by.user,
        body=body,
        attachments=attachments,
        kept_uploads=kept_uploads,
        message_id=message_id,
    )
    save_change(ticket, [])
    notifications.note_posted(ticket, entry, by=by)
    return entry
