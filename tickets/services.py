"""Writes to tickets: one function per thing a person or the system does."""

import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Agent, User
from accounts.services import find_or_create_end_user
from sla import timing
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
    TicketPresence,
)
from tickets.permissions import can, departments_to_create_in, forget_access


class TicketError(Exception):
    """A domain rule refused the action; the message is meant for the person acting."""


class ActionRefused(TicketError):
    """The agent's role does not allow this action on this ticket."""


class StaleTicket(TicketError):
    """The ticket changed after the agent loaded the form they sent."""


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
    by: Agent | None = None,
    requester: User | None = None,
) -> tuple[Ticket, bool]:
    """Open a ticket for the person with this email; return it and whether it is new.

    The ticket takes its help topic's department, priority and SLA plan (else the
    department's plan). The same submission key twice returns the first ticket. An agent
    opening it on the user's behalf (`by`) needs `create` in that department. A signed-in
    end user is passed as `requester` and files as themselves, whatever `email` says. The
    name and phone typed are kept on the ticket; an existing user's profile is not changed.
    """
    if requester is not None:
        email = requester.email
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
        requester = find_or_create_end_user(email=email, full_name=full_name, phone=phone)
    department = help_topic.department
    ticket = Ticket(
        subject=subject.strip(),
        requester=requester,
        given_name=full_name.strip(),
        given_phone=phone.strip(),
        source=source,
        department=department,
        help_topic=help_topic,
        priority=help_topic.priority,
        sla_plan=timing.plan_for(help_topic=help_topic, department=department),
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

    # Due times count from created_at, which the insert has just set.
    ticket.save(update_fields=timing.start(ticket))
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
        actor=by.user if by else requester,
        data={
            "source": source,
            "help_topic": help_topic.name,
            "department": department.name,
            "on_behalf_of": requester.email if by else None,
        },
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

    changed = ["is_answered", "updated_at", "revision"]
    ticket.is_answered = False
    ticket.revision += 1
    if outcome.status != previous:
        changed += _set_status(ticket, outcome.status, now)
        if outcome.reopened:
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


# --- what agents do to a ticket ---------------------------------------------------------

STALE_MESSAGE = (
    "This ticket changed after you opened it (see the thread and history below). "
    "Nothing was saved; your text is still in the form: check the change and send again."
)


def _locked_for(ticket: Ticket, *, by: Agent, action: str, revision: int | None) -> Ticket:
    """The ticket's row, locked, after checking the agent may act and the form is current."""
    locked = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("department", "assignee__user", "team", "help_topic", "sla_plan")
        .get(pk=ticket.pk)
    )
    forget_access(by)
    if not can(by, action, locked):
        raise ActionRefused(f"Your role does not allow you to {action} on this ticket.")
    if revision is not None and revision != locked.revision:
        raise StaleTicket(STALE_MESSAGE)
    return locked


def _save_change(ticket: Ticket, fields: list[str]) -> None:
    ticket.revision += 1
    ticket.save(update_fields=[*fields, "revision", "updated_at"])


def _event(ticket: Ticket, kind: str, by: Agent | None, **data) -> Event:
    return Event.objects.create(ticket=ticket, kind=kind, actor=by.user if by else None, data=data)


def _label(value) -> str | None:
    return str(value) if value is not None else None


@transaction.atomic
def change_priority(ticket: Ticket, *, priority: int, by: Agent, revision: int | None = None):
    """Set the ticket's priority; needs `edit`."""
    ticket = _locked_for(ticket, by=by, action="edit", revision=revision)
    if ticket.priority == priority:
        return ticket
    before = ticket.get_priority_display()
    ticket.priority = priority
    _save_change(ticket, ["priority"])
    _event(
        ticket,
        Event.Kind.PRIORITY_CHANGED,
        by,
        **{"from": before, "to": ticket.get_priority_display()},
    )
    return ticket


@transaction.atomic
def change_sla_plan(ticket: Ticket, *, sla_plan, by: Agent, revision: int | None = None):
    """Set the ticket's SLA plan; needs `edit`."""
    ticket = _locked_for(ticket, by=by, action="edit", revision=revision)
    if ticket.sla_plan_id == (sla_plan.pk if sla_plan else None):
        return ticket
    before = _label(ticket.sla_plan)
    ticket.sla_plan = sla_plan
    _save_change(ticket, ["sla_plan", *timing.on_plan_change(ticket)])
    _event(ticket, Event.Kind.SLA_CHANGED, by, **{"from": before, "to": _label(sla_plan)})
    return ticket


def _adopt_plan(ticket: Ticket, by: Agent, reason: str) -> list[str]:
    """After a help topic or department change: take the plan it brings, if it brings one."""
    plan = timing.plan_for(help_topic=ticket.help_topic, department=ticket.department)
    if plan is None or plan.pk == ticket.sla_plan_id:
        return []
    before = _label(ticket.sla_plan)
    ticket.sla_plan = plan
    _event(ticket, Event.Kind.SLA_CHANGED, by, **{"from": before, "to": plan.name, reason: True})
    return ["sla_plan", *timing.on_plan_change(ticket)]


@transaction.atomic
def change_help_topic(ticket: Ticket, *, help_topic: HelpTopic, by: Agent, revision=None):
    """Set the ticket's help topic (its department and plan stay as they are); needs `edit`."""
    ticket = _locked_for(ticket, by=by, action="edit", revision=revision)
    if ticket.help_topic_id == help_topic.pk:
        return ticket
    before = _label(ticket.help_topic)
    ticket.help_topic = help_topic
    _event(ticket, Event.Kind.TOPIC_CHANGED, by, **{"from": before, "to": help_topic.name})
    _save_change(ticket, ["help_topic", *_adopt_plan(ticket, by, "by_help_topic")])
    return ticket


@transaction.atomic
def assign_ticket(ticket: Ticket, *, agent=None, team=None, by: Agent, revision=None):
    """Give the ticket to an agent or a team (or to nobody); needs `assign`.

    Refuses an inactive agent or team: they could not work it.
    """
    ticket = _locked_for(ticket, by=by, action="assign", revision=revision)
    if agent is not None and not agent.user.is_active:
        raise TicketError(f"{agent} is inactive and cannot be assigned tickets.")
    if team is not None and not team.is_active:
        raise TicketError(f"The team {team} is inactive and cannot be assigned tickets.")
    if (ticket.assignee_id, ticket.team_id) == (
        agent.pk if agent else None,
        team.pk if team else None,
    ):
        return ticket
    ticket.assignee, ticket.team = agent, team
    _save_change(ticket, ["assignee", "team"])
    _event(ticket, Event.Kind.ASSIGNED, by, agent=_label(agent), team=_label(team))
    return ticket


@transaction.atomic
def transfer_ticket(ticket: Ticket, *, department, by: Agent, revision=None):
    """Move the ticket to another department; needs `transfer`.

    Agents without access to the new department lose sight of it (unless assigned).
    """
    ticket = _locked_for(ticket, by=by, action="transfer", revision=revision)
    if ticket.department_id == department.pk:
        raise TicketError(f"The ticket is already in {department}.")
    before = ticket.department.name
    ticket.department = department
    _event(ticket, Event.Kind.TRANSFERRED, by, **{"from": before, "to": department.name})
    _save_change(ticket, ["department", *_adopt_plan(ticket, by, "by_department")])
    return ticket


@transaction.atomic
def set_due_time(ticket: Ticket, *, due_at, by: Agent, revision=None):
    """Set (or clear, with None) a resolution due time by hand; needs `edit`.

    Refuses a time in the past or more than a year ahead (timing.manual_due_problem).
    """
    ticket = _locked_for(ticket, by=by, action="edit", revision=revision)
    problem = due_at and timing.manual_due_problem(due_at, timezone.now())
    if problem:
        raise TicketError(problem)
    if ticket.due_override_at == due_at:
        return ticket
    before = ticket.due_override_at
    _save_change(ticket, timing.set_due_override(ticket, due_at))
    _event(
        ticket,
        Event.Kind.DUE_CHANGED,
        by,
        **{
            "from": before.isoformat() if before else None,
            "to": due_at.isoformat() if due_at else None,
        },
    )
    return ticket


def _set_status(ticket: Ticket, target: str, now) -> list[str]:
    """Every status change ends here: the machine's timestamps and the SLA clock follow it."""
    before = ticket.status
    ticket.status = target
    return [
        "status",
        *status_machine.stamp(ticket, now),
        *timing.on_status_change(ticket, before, now),
    ]


def _move_status(ticket: Ticket, target: str, *, by: Agent, now) -> list[str]:
    """Apply a status change the machine allows and the agent's role permits."""
    permission = status_machine.check_transition(ticket.status, target)
    if not can(by, permission, ticket):
        raise ActionRefused(
            f"Your role does not allow you to set this ticket to "
            f"{status_machine.Status(target).label.lower()}: it lacks '{permission}'."
        )
    before = ticket.status
    fields = _set_status(ticket, target, now)
    kind = (
        Event.Kind.REOPENED
        if status_machine.is_reopening(before, target)
        else (Event.Kind.STATUS_CHANGED)
    )
    _event(ticket, kind, by, **{"from": before, "to": target})
    return fields


@transaction.atomic
def change_status(ticket: Ticket, *, status: str, by: Agent, revision=None):
    """Move the ticket through the status machine; the move decides the permission needed."""
    ticket = _locked_for(ticket, by=by, action="view", revision=revision)
    try:
        fields = _move_status(ticket, status, by=by, now=timezone.now())
    except status_machine.TransitionRefused as refusal:
        raise TicketError(str(refusal)) from refusal
    _save_change(ticket, fields)
    return ticket


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
    """Send the end user a response, optionally changing the status in the same step.

    The ticket becomes answered; its first response is stamped; an unassigned ticket goes
    to the replying agent where the department says so. Needs `reply`, and whatever the
    status change needs.
    """
    ticket = _locked_for(ticket, by=by, action="reply", revision=revision)
    now = timezone.now()
    fields = ["is_answered"]
    if status and status != ticket.status:
        try:
            fields += _move_status(ticket, status, by=by, now=now)
        except status_machine.TransitionRefused as refusal:
            raise TicketError(str(refusal)) from refusal
    entry = ThreadEntry.objects.create(
        ticket=ticket,
        kind=ThreadEntry.Kind.RESPONSE,
        author=by.user,
        author_name=by.user.display_name,
        body=body,
    )
    _save_attachments(entry, attachments, kept_uploads)
    ticket.is_answered = True
    if ticket.first_responded_at is None:
        fields += timing.on_first_response(ticket, now)
    if ticket.assignee_id is None and ticket.team_id is None and ticket.department.assign_on_reply:
        ticket.assignee = by
        fields.append("assignee")
        _event(ticket, Event.Kind.ASSIGNED, by, agent=str(by), team=None, on_reply=True)
    _save_change(ticket, fields)
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
) -> ThreadEntry:
    """Add an internal note, never shown or sent to the end user; needs `note`."""
    ticket = _locked_for(ticket, by=by, action="note", revision=revision)
    entry = ThreadEntry.objects.create(
        ticket=ticket,
        kind=ThreadEntry.Kind.NOTE,
        author=by.user,
        author_name=by.user.display_name,
        body=body,
    )
    _save_attachments(entry, attachments, kept_uploads)
    _save_change(ticket, [])
    return entry


def close_resolved_tickets(now=None) -> int:
    """Close tickets resolved more than HELPDESK_AUTO_CLOSE_DAYS ago; return how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.HELPDESK_AUTO_CLOSE_DAYS)
    closed = 0
    for pk in Ticket.objects.filter(
        status=status_machine.Status.RESOLVED, resolved_at__lte=cutoff
    ).values_list("pk", flat=True):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().get(pk=pk)
            if ticket.status != status_machine.Status.RESOLVED:
                continue  # reopened meanwhile
            fields = _set_status(ticket, status_machine.Status.CLOSED, now)
            _save_change(ticket, fields)
            _event(
                ticket,
                Event.Kind.STATUS_CHANGED,
                None,
                automatic=True,
                **{"from": status_machine.Status.RESOLVED.value, "to": ticket.status},
            )
            closed += 1
    return closed


@transaction.atomic
def resolve_by_user(ticket: Ticket, *, by: User) -> Ticket:
    """The end user marks their own open ticket resolved (when the setting allows)."""
    if not settings.HELPDESK_USERS_CAN_RESOLVE:
        raise TicketError("Tickets are resolved by our agents; reply if you need more help.")
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.requester_id != by.pk:
        raise TicketError("Only the person who opened the ticket can mark it resolved.")
    try:
        status_machine.check_user_resolution(ticket.status)
    except status_machine.TransitionRefused as refusal:
        raise TicketError(str(refusal)) from refusal
    before = ticket.status
    fields = _set_status(ticket, status_machine.Status.RESOLVED, timezone.now())
    _save_change(ticket, fields)
    Event.objects.create(
        ticket=ticket,
        kind=Event.Kind.STATUS_CHANGED,
        actor=by,
        data={"from": before, "to": ticket.status, "by_requester": True},
    )
    return ticket


def note_presence(ticket: Ticket, *, agent: Agent, is_replying: bool) -> None:
    """Record that the agent has the ticket open (and whether they are writing a reply)."""
    TicketPresence.objects.update_or_create(
        ticket=ticket,
        agent=agent,
        defaults={"is_replying": is_replying, "seen_at": timezone.now()},
    )


@dataclass
class BulkResult:
    changed: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def bulk_apply(numbers: Iterable[str], *, action: str, value, by: Agent) -> BulkResult:
    """Apply one action to several tickets, each checked on its own with can().

    action is "priority", "status", "assign" (value: an Agent, a Team or None) or
    "transfer" (value: a Department). One refusal does not stop the others: the result
    says which changed and which were refused, and why.
    """
    result = BulkResult()
    tickets = {t.number: t for t in Ticket.objects.visible_to(by).filter(number__in=numbers)}
    for number in numbers:
        ticket = tickets.get(number)
        if ticket is None:
            result.refused.append((number, "not found"))
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
            else:
                raise ValueError(f"unknown bulk action {action!r}")
        except TicketError as refusal:
            result.refused.append((number, str(refusal)))
        else:
            result.changed.append(number)
    return result
