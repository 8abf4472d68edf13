"""Writes to tickets: one function per thing a person or the system does."""

import secrets
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import find_or_create_end_user
from tickets import status as status_machine
from tickets.attachments import store_upload
from tickets.models import (
    Attachment,
    Event,
    HelpTopic,
    PendingUpload,
    Source,
    ThreadEntry,
    Ticket,
)


class TicketError(Exception):
    """A domain rule refused the action; the message is meant for the person acting."""


def new_ticket_number() -> str:
    """A random number with a fixed count of digits and no leading zero.

    Random, not sequential, so that a number reveals neither how many tickets there are
    nor its neighbours' numbers.
    """
    digits = settings.HELPDESK_TICKET_NUMBER_DIGITS
    low = 10 ** (digits - 1)
    return str(low + secrets.randbelow(9 * low))


def _save_attachments(
    entry: ThreadEntry,
    files: Iterable[UploadedFile],
    kept_uploads: Iterable[PendingUpload] = (),
) -> list[Attachment]:
    saved = []
    for pending in kept_uploads:
        # The kept file is already in storage: the attachment takes it over.
        saved.append(
            Attachment.objects.create(
                entry=entry,
                file=pending.file.name,
                filename=pending.filename,
                content_type=pending.content_type,
                size=pending.size,
                created_at=timezone.now(),
            )
        )
        pending.delete()
    saved.extend(store_upload(Attachment(entry=entry), upload) for upload in files)
    return saved


def _insert_with_fresh_number(ticket: Ticket, attempts: int = 20) -> None:
    for _ in range(attempts):
        ticket.number = new_ticket_number()
        if Ticket.objects.filter(number=ticket.number).exists():
            continue
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
) -> tuple[Ticket, bool]:
    """Open a ticket for the person with this email; return it and whether it is new.

    The ticket takes its help topic's department, priority and SLA plan (else the
    department's plan). The same submission key twice returns the first ticket.
    """
    if submission_key is not None:
        earlier = Ticket.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            if _same_requester(earlier, email):
                return earlier, False
            # The form was sent again for another address (Back, edit, resubmit): a new
            # ticket, and never the first one's number in this person's answer.
            submission_key = None

    requester = find_or_create_end_user(email=email, full_name=full_name, phone=phone)
    department = help_topic.department
    ticket = Ticket(
        subject=subject.strip(),
        requester=requester,
        source=source,
        department=department,
        help_topic=help_topic,
        priority=help_topic.priority,
        sla_plan=help_topic.sla_plan or department.sla_plan,
        status=status_machine.initial_status(),
        submission_key=submission_key,
        **_auto_assignment(help_topic),
    )
    try:
        _insert_with_fresh_number(ticket)
    except IntegrityError:
        # A concurrent click with the same key won the race; answer with its ticket.
        earlier = Ticket.objects.get(submission_key=submission_key)
        if not _same_requester(earlier, email):
            raise TicketError("This form was just sent; please reload it and try again.") from None
        return earlier, False

    entry = ThreadEntry.objects.create(
        ticket=ticket,
        kind=ThreadEntry.Kind.MESSAGE,
        author=requester,
        author_name=requester.display_name,
        body=body,
    )
    _save_attachments(entry, attachments, kept_uploads)
    Event.objects.create(
        ticket=ticket,
        kind=Event.Kind.CREATED,
        actor=requester,
        data={"source": source, "help_topic": help_topic.name, "department": department.name},
    )
    if ticket.assignee_id or ticket.team_id:
        Event.objects.create(
            ticket=ticket,
            kind=Event.Kind.ASSIGNED,
            actor=None,
            data={
                "agent": str(ticket.assignee) if ticket.assignee else None,
                "team": str(ticket.team) if ticket.team else None,
                "by_help_topic": help_topic.name,
            },
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


def _same_requester(ticket: Ticket, email: str) -> bool:
    return ticket.requester.email.casefold() == email.strip().casefold()


def _within_reopen_window(ticket: Ticket, now) -> bool:
    ended_at = max(filter(None, [ticket.resolved_at, ticket.closed_at]), default=None)
    if ended_at is None:
        return True
    return now - ended_at <= timedelta(days=settings.HELPDESK_REOPEN_WINDOW_DAYS)


@transaction.atomic
def post_user_reply(
    ticket: Ticket,
    *,
    by: User,
    body: str,
    attachments: Iterable[UploadedFile] = (),
    kept_uploads: Iterable[PendingUpload] = (),
    submission_key: uuid.UUID | None = None,
) -> ThreadEntry:
    """Add the end user's message to the thread; reopen a resolved or closed ticket.

    Refuses a reply to a ticket closed longer ago than the reopen window. The same
    submission key twice returns the first entry.
    """
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if submission_key is not None:
        earlier = ThreadEntry.objects.filter(ticket=ticket, submission_key=submission_key).first()
        if earlier is not None:
            return earlier

    now = timezone.now()
    previous = ticket.status
    try:
        outcome = status_machine.next_status_after_user_reply(
            previous, within_reopen_window=_within_reopen_window(ticket, now)
        )
    except status_machine.TransitionRefused as refusal:
        raise TicketError(str(refusal)) from refusal

    entry = ThreadEntry.objects.create(
        ticket=ticket,
        kind=ThreadEntry.Kind.MESSAGE,
        author=by,
        author_name=by.display_name,
        body=body,
        submission_key=submission_key,
    )
    _save_attachments(entry, attachments, kept_uploads)

    changed = ["is_answered", "updated_at"]
    ticket.is_answered = False
    if outcome.status != previous:
        ticket.status = outcome.status
        changed.append("status")
        if outcome.reopened:
            ticket.resolved_at = None
            ticket.closed_at = None
            changed += ["resolved_at", "closed_at"]
            Event.objects.create(
                ticket=ticket, kind=Event.Kind.REOPENED, actor=by, data={"from": previous}
            )
        else:
            Event.objects.create(
                ticket=ticket,
                kind=Event.Kind.STATUS_CHANGED,
                actor=by,
                data={"from": previous, "to": outcome.status},
            )
    ticket.save(update_fields=changed)
    return entry
