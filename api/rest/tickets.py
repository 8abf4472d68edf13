"""Tickets through the REST API, as the key's agent sees and works them in the staff panel.

Every read starts from `Ticket.objects.visible_to(agent)` (through the staff panel's own
selector): a ticket the agent cannot see answers 404, as its staff page does. Every change
is asked of `can()` first and made by the service the staff panel's form calls.
"""

import base64
import binascii
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated

from django import forms
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from ninja import Field, Header, Path, Query, Router, Schema
from ninja.responses import Status

from accounts.models import Agent, Team, User
from api.rest import schemas
from api.rest.auth import READS, WRITES, agent_of
from api.rest.errors import ApiProblem
from tickets import queues, selectors, services, story
from tickets import status as status_machine
from tickets.forms import AttachmentsField
from tickets.models import Department, Source, ThreadEntry, Ticket
from tickets.permissions import can, departments_to_create_in
from tickets.staff_forms import NewTicketForm

router = Router(tags=["Tickets"])

# What a ticket's row shows, read with it in one query.
TICKET_READS = ("requester", "department", "help_topic", "sla_plan", "assignee__user", "team")
DEFAULT_LIMIT = 25
MAX_LIMIT = 100
CURSOR_SALT = "api.rest.tickets.cursor"
# Idempotency keys of different API keys never meet: each is hashed with its key's id.
IDEMPOTENCY_NAMESPACE = uuid.UUID("6f0f8f0e-3c1b-4d0c-9a57-0e1f9a3b7c21")

Number = Annotated[str, Path(pattern=schemas.NUMBER_PATTERN, description="The number, no #.")]


class TicketFilters(Schema):
    """The staff queues' filters, and a cursor to page with."""

    status: schemas.StatusName | None = None
    department: schemas.Id | None = Field(None, description="A department's id.")
    priority: schemas.PriorityName | None = None
    assignee: Annotated[str, Field(pattern=r"^(none|[1-9][0-9]{0,17})$")] | None = Field(
        None, description="An agent's id, or `none` for unassigned tickets."
    )
    team: schemas.Id | None = None
    help_topic: schemas.Id | None = None
    source: schemas.SourceName | None = None
    requester: schemas.Text(254) | None = Field(None, description="The requester's email.")
    updated_since: datetime | None = Field(
        None, description="Only tickets changed at or after this time (ISO 8601; UTC if no zone)."
    )
    cursor: schemas.Text(1000) | None = Field(None, description="next_cursor of the last page.")
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT


# Reads -------------------------------------------------------------------------------------


def _visible(agent: Agent, number: str) -> Ticket:
    ticket = selectors.staff_ticket(agent, number)
    if ticket is None:
        # Not 403: a ticket the agent cannot see must not be known to exist.
        raise ApiProblem(404, "not-found", f"There is no ticket #{number} that this key can see.")
    return ticket


def _named(row) -> dict | None:
    return None if row is None else {"id": row.pk, "name": str(row)}


def ticket_summary(ticket: Ticket) -> dict:
    assignee = ticket.assignee
    requester = ticket.requester
    return {
        "number": ticket.number,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": schemas.priority_name(ticket.priority),
        "source": ticket.source,
        "department": _named(ticket.department),
        "help_topic": _named(ticket.help_topic),
        "sla_plan": _named(ticket.sla_plan),
        "assignee": None
        if assignee is None
        else {"id": assignee.pk, "name": assignee.user.display_name, "email": assignee.user.email},
        "team": _named(ticket.team),
        "requester": {"name": requester.display_name, "email": requester.email},
        "is_overdue": ticket.is_overdue,
        "is_answered": ticket.is_answered,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "first_response_due_at": ticket.first_response_due_at,
        "resolution_due_at": ticket.resolution_due_at,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
        "revision": ticket.revision,
        "url": reverse("api:v1:ticket", kwargs={"number": ticket.number}),
        "staff_url": reverse("staff:ticket", kwargs={"number": ticket.number}),
    }


def shows_internal_notes(agent: Agent, ticket: Ticket) -> bool:
    """Whether the agent is shown the ticket's internal notes: as on its staff page, which
    shows the whole thread to every agent who may see the ticket, view-only ones included.
    Notes are kept from end users, never from the staff."""
    return can(agent, "view", ticket)


def entry_out(entry: ThreadEntry, number: str) -> dict:
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "author": entry.author_name,
        "body": entry.body,
        "created_at": entry.created_at,
        "attachments": [
            {
                "id": attachment.pk,
                "filename": attachment.filename,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "url": reverse(
                    "staff:ticket-attachment", kwargs={"number": number, "pk": attachment.pk}
                ),
            }
            for attachment in entry.attachments.all()
        ],
    }


def ticket_detail(agent: Agent, ticket: Ticket) -> dict:
    """The ticket with its thread and events: three queries, however long the thread."""
    thread = ticket.thread.prefetch_related("attachments")
    if not shows_internal_notes(agent, ticket):
        thread = thread.visible_to_end_user()
    events = ticket.events.select_related("actor")
    return {
        **ticket_summary(ticket),
        "thread": [entry_out(entry, ticket.number) for entry in thread],
        "events": [
            {
                "kind": event.kind,
                "text": story.describe_event(event),
                "actor": event.actor.display_name if event.actor else None,
                "created_at": event.created_at,
                "data": event.data or {},
            }
            for event in events
        ],
    }


def _cursor_after(ticket: Ticket) -> str:
    return signing.dumps([ticket.updated_at.isoformat(), ticket.pk], salt=CURSOR_SALT)


def _after_cursor(cursor: str) -> Q:
    """The tickets after the one the cursor names, in the list's order (newest change first,
    then the higher id): a page never repeats or skips a ticket that did not change."""
    try:
        updated, pk = signing.loads(cursor, salt=CURSOR_SALT)
        updated, pk = datetime.fromisoformat(updated), int(pk)
    except (signing.BadSignature, ValueError, TypeError):
        raise ApiProblem(
            400, "bad-request", "This cursor is not one this API gave; start again without it."
        ) from None
    return Q(updated_at__lt=updated) | Q(updated_at=updated, pk__lt=pk)


def _as_utc(moment: datetime, field: str) -> datetime:
    try:
        if timezone.is_naive(moment):
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ApiProblem(
            422,
            "validation",
            f"{field} is out of range.",
            errors=[{"location": "query", "field": field, "message": "Out of range."}],
        ) from None


def _narrowing(filters: TicketFilters) -> Q:
    """The list's filters as one condition; the staff queues' own, where they have one."""
    as_queues_name = {
        "status": filters.status,
        "department": filters.department,
        "priority": schemas.PRIORITY_NAMES[filters.priority] if filters.priority else None,
        "assignee": filters.assignee
        if filters.assignee in (None, queues.NOBODY)
        else int(filters.assignee),
        "team": filters.team,
        "topic": filters.help_topic,
        "source": filters.source,
    }
    condition = Q()
    for name, value in as_queues_name.items():
        if value is not None:
            condition &= queues.FILTERS[name](value)
    if filters.requester:
        condition &= Q(requester__in=User.objects.with_email(filters.requester).values("pk"))
    if filters.updated_since:
        condition &= Q(updated_at__gte=_as_utc(filters.updated_since, "updated_since"))
    if filters.cursor:
        condition &= _after_cursor(filters.cursor)
    return condition


def _refuse_unknown_filters(request) -> None:
    """A misspelt filter (`?stauts=open`) is refused, not ignored: ignored, it would answer
    with every ticket as if it were the ones asked for."""
    unknown = sorted(set(request.GET) - set(TicketFilters.model_fields))
    if unknown:
        raise ApiProblem(
            422,
            "validation",
            f"Unknown query parameters: {', '.join(unknown)}.",
            errors=[
                {"location": "query", "field": name[:100], "message": "Not a filter of this list."}
                for name in unknown
            ],
        )


@router.get("/tickets", response=schemas.TicketPage, auth=READS, url_name="tickets")
def list_tickets(request, filters: Query[TicketFilters]):
    """The tickets the key's agent sees, most recently changed first, a page at a time.

    A page costs the same few queries however long it is."""
    _refuse_unknown_filters(request)
    agent = agent_of(request)
    tickets = (
        Ticket.objects.visible_to(agent)
        .filter(_narrowing(filters))
        .select_related(*TICKET_READS)
        .order_by("-updated_at", "-pk")
    )
    rows = list(tickets[: filters.limit + 1])
    page = rows[: filters.limit]
    more = len(rows) > filters.limit
    return {
        "items": [ticket_summary(ticket) for ticket in page],
        "next_cursor": _cursor_after(page[-1]) if more else None,
    }


@router.get("/tickets/{number}", response=schemas.TicketDetail, auth=READS, url_name="ticket")
def get_ticket(request, number: Number):
    """One ticket with its thread and events; 404 for one the key's agent cannot see."""
    agent = agent_of(request)
    return ticket_detail(agent, _visible(agent, number))


# Changes -----------------------------------------------------------------------------------


@contextmanager
def _refusals_as_problems():
    """The services' refusals, as the staff panel shows them, as problems."""
    try:
        yield
    except services.ActionRefused as refusal:
        raise ApiProblem(403, "forbidden", str(refusal)) from refusal
    except services.StaleTicket as refusal:
        raise ApiProblem(
            409,
            "conflict",
            "The ticket changed after the revision you sent: nothing was saved. Read it again "
            "and retry.",
        ) from refusal
    except services.TicketError as refusal:
        raise ApiProblem(409, "conflict", str(refusal)) from refusal


def _require(agent: Agent, permissions: list[str], ticket: Ticket) -> None:
    refused = [p for p in permissions if not can(agent, p, ticket)]
    if refused:
        raise ApiProblem(
            403,
            "forbidden",
            f"The agent's role does not allow them to {' or '.join(refused)} on this ticket.",
        )


def _invalid(field: str, message: str) -> ApiProblem:
    return ApiProblem(
        422,
        "validation",
        f"Check these fields: {field}.",
        errors=[{"location": "body", "field": field, "message": message}],
    )


def _checked_body(body: str) -> str:
    """The text of a reply or note, as the staff forms take it: stripped, within the limit."""
    body = body.strip()
    if not body:
        raise _invalid("body", "Write the text first.")
    limit = settings.HELPDESK_MAX_BODY_CHARS
    if len(body) > limit:
        raise _invalid("body", f"At most {limit:,} characters (it has {len(body):,}).")
    return body


def _uploads(attachments: list[schemas.AttachmentIn]) -> list[SimpleUploadedFile]:
    """The files sent as base64, as uploads the staff forms' rules and the services take."""
    uploads = []
    for number, attachment in enumerate(attachments):
        try:
            data = base64.b64decode(attachment.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise _invalid(f"attachments.{number}.content_base64", "Not base64.") from None
        uploads.append(SimpleUploadedFile(attachment.filename, data))
    return uploads


def _checked_uploads(attachments: list[schemas.AttachmentIn]) -> list[SimpleUploadedFile]:
    """The files of a reply or note, refused as the staff composer refuses them."""
    try:
        return AttachmentsField().clean(_uploads(attachments))
    except forms.ValidationError as refusal:
        raise _invalid("attachments", " ".join(refusal.messages)) from None


def _after_change(agent: Agent, number: str, status: int):
    """The ticket as the agent now sees it; 204 when the change took it out of their sight."""
    ticket = selectors.staff_ticket(agent, number)
    if ticket is None:
        return HttpResponse(status=204)
    return Status(status, ticket_detail(agent, ticket))


# The staff form's field names, as this API calls them.
_NEW_TICKET_FIELDS = {
    "email": "email",
    "full_name": "name",
    "phone": "phone",
    "help_topic": "help_topic",
    "subject": "subject",
    "body": "message",
    "attachments": "attachments",
}


def _new_ticket_form(payload: schemas.NewTicket, departments: list[int]) -> NewTicketForm:
    """The staff panel's "Open a New Ticket" form, bound to the request: its rules (address,
    phone, topics the agent may create in, text length) are the API's."""
    data = QueryDict(mutable=True)
    for form_name, name in _NEW_TICKET_FIELDS.items():
        if name != "attachments":
            data[form_name] = str(getattr(payload, name))
    files = MultiValueDict({"attachments": _uploads(payload.attachments)})
    form = NewTicketForm(data, files, departments=departments)
    del form.fields["source"]  # always API
    if not form.is_valid():
        errors = [
            {
                "location": "body",
                "field": _NEW_TICKET_FIELDS.get(name, ""),
                "message": " ".join(messages),
            }
            for name, messages in form.errors.items()
        ]
        fields = ", ".join(e["field"] or "body" for e in errors)
        raise ApiProblem(422, "validation", f"Check these fields: {fields}.", errors=errors)
    return form


@router.post(
    "/tickets",
    response={200: schemas.TicketDetail, 201: schemas.TicketDetail, 204: None},
    auth=WRITES,
)
def create_ticket(
    request,
    payload: schemas.NewTicket,
    idempotency_key: Annotated[
        schemas.Text(200) | None,
        Header(
            alias="Idempotency-Key",
            description="Send the same value again (a retry) to get the first ticket (200).",
        ),
    ] = None,
):
    """Open a ticket on a user's behalf, as the key's agent (who needs `create` in the help
    topic's department); its source is API. 201 with the ticket; 204 if the agent cannot
    see it afterwards."""
    agent = agent_of(request)
    departments = departments_to_create_in(agent)
    if not departments:
        raise ApiProblem(403, "forbidden", "The agent's roles do not allow opening tickets.")
    form = _new_ticket_form(payload, departments)
    fields = form.intake_fields()
    if idempotency_key:
        fields["submission_key"] = uuid.uuid5(
            IDEMPOTENCY_NAMESPACE, f"{request.auth.pk}:{idempotency_key}"
        )
    with _refusals_as_problems():
        ticket, is_new = services.open_ticket(**fields, source=Source.API, by=agent)
    return _after_change(agent, ticket.number, 201 if is_new else 200)


@router.post(
    "/tickets/{number}/replies", response={201: schemas.EntryOut}, auth=WRITES, url_name="replies"
)
def post_reply(request, number: Number, payload: schemas.NewReply):
    """Send the requester a response (with the agent's signature), optionally changing the
    status in the same step; needs `reply`, and what the status move needs."""
    agent = agent_of(request)
    ticket = _visible(agent, number)
    _require(agent, ["reply"], ticket)
    body = _checked_body(payload.body)
    files = _checked_uploads(payload.attachments)
    with _refusals_as_problems():
        entry = services.post_reply(
            ticket,
            by=agent,
            body=body,
            status=payload.status,
            attachments=files,
            revision=payload.revision,
        )
    return Status(201, entry_out(entry, number))


@router.post(
    "/tickets/{number}/notes", response={201: schemas.EntryOut}, auth=WRITES, url_name="notes"
)
def post_note(request, number: Number, payload: schemas.NewEntry):
    """Add an internal note (never shown or sent to the end user); needs `note`."""
    agent = agent_of(request)
    ticket = _visible(agent, number)
    _require(agent, ["note"], ticket)
    body = _checked_body(payload.body)
    files = _checked_uploads(payload.attachments)
    with _refusals_as_problems():
        entry = services.post_note(
            ticket, by=agent, body=body, attachments=files, revision=payload.revision
        )
    return Status(201, entry_out(entry, number))


def _found(rows, pk: int | None, field: str, **active):
    if pk is None:
        return None
    row = rows.filter(pk=pk, **active).first()
    if row is None:
        raise _invalid(field, f"There is no active {field} with id {pk}.")
    return row


def _planned_changes(agent: Agent, ticket: Ticket, change: schemas.TicketChange) -> list:
    """Each requested change as (permission needed, service call), checked but not made."""
    given = change.model_fields_set
    plan = []
    if change.priority and schemas.PRIORITY_NAMES[change.priority] != ticket.priority:
        priority = schemas.PRIORITY_NAMES[change.priority]
        plan.append(("edit", lambda t, **kw: services.change_priority(t, priority=priority, **kw)))
    if {"assignee", "team"} & given:
        assignee = (
            _found(Agent.objects.select_related("user"), change.assignee, "assignee")
            if "assignee" in given
            else ticket.assignee
        )
        if assignee is not None and not assignee.user.is_active:
            raise _invalid("assignee", f"{assignee} is inactive and cannot be assigned tickets.")
        team = (
            _found(Team.objects, change.team, "team", is_active=True)
            if "team" in given
            else ticket.team
        )
        plan.append(
            (
                "assign",
                lambda t, **kw: services.assign_ticket(t, agent=assignee, team=team, **kw),
            )
        )
    if change.status and change.status != ticket.status:
        try:
            needed = status_machine.check_transition(ticket.status, change.status)
        except status_machine.TransitionRefused as refusal:
            raise ApiProblem(409, "conflict", str(refusal)) from refusal
        target = change.status
        plan.append((needed, lambda t, **kw: services.change_status(t, status=target, **kw)))
    if change.department and change.department != ticket.department_id:
        department = _found(Department.objects, change.department, "department", is_active=True)
        plan.append(
            (
                "transfer",
                lambda t, **kw: services.transfer_ticket(t, department=department, **kw),
            )
        )
    return plan


@router.patch(
    "/tickets/{number}",
    response={200: schemas.TicketDetail, 204: None},
    auth=WRITES,
    url_name="ticket-change",
)
def change_ticket(request, number: Number, payload: schemas.TicketChange):
    """Change the status (through the status machine), priority, assignee or team, and
    department; all or nothing. 200 with the ticket; 204 when the change took it out of the
    agent's sight (a transfer to a department they have no access to)."""
    agent = agent_of(request)
    ticket = _visible(agent, number)
    plan = _planned_changes(agent, ticket, payload)
    _require(agent, sorted({permission for permission, _ in plan}), ticket)
    revision = payload.revision
    with _refusals_as_problems(), transaction.atomic():
        # The department last: the other changes are asked while the agent still has it.
        for _permission, perform in plan:
            ticket = perform(ticket, by=agent, revision=revision)
            revision = None  # checked once, against the ticket as the client saw it
    return _after_change(agent, number, 200)
