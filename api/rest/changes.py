"""Changing tickets through the REST API, as the key's agent does in the staff panel.

Every change is asked of `can()` first — all of a request's changes before any is made —
and made by the service the staff panel's form calls; a new ticket goes through the staff
panel's own New Ticket form.
"""

import base64
import binascii
import uuid
from contextlib import contextmanager
from typing import Annotated

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict
from ninja import Header
from ninja.responses import Status

from accounts.models import Agent, Team
from api.rest import schemas
from api.rest.auth import WRITES, agent_of
from api.rest.errors import ApiProblem
from api.rest.tickets import Number, entry_out, router, ticket_detail, visible_ticket
from tickets import selectors, services
from tickets import status as status_machine
from tickets.forms import AttachmentsField
from tickets.models import Department, Source, Ticket
from tickets.permissions import can, departments_to_create_in
from tickets.staff_forms import NewTicketForm

# Idempotency keys of different API keys never meet: each is hashed with its key's id.
IDEMPOTENCY_NAMESPACE = uuid.UUID("6f0f8f0e-3c1b-4d0c-9a57-0e1f9a3b7c21")


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
    ticket = visible_ticket(agent, number)
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
    ticket = visible_ticket(agent, number)
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
    ticket = visible_ticket(agent, number)
    plan = _planned_changes(agent, ticket, payload)
    _require(agent, sorted({permission for permission, _ in plan}), ticket)
    revision = payload.revision
    with _refusals_as_problems(), transaction.atomic():
        # The department last: the other changes are asked while the agent still has it.
        for _permission, perform in plan:
            ticket = perform(ticket, by=agent, revision=revision)
            revision = None  # checked once, against the ticket as the client saw it
    return _after_change(agent, number, 200)
