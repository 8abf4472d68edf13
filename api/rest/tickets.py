"""Reading tickets through the REST API, as the key's agent sees them in the staff panel.

Every read starts from `Ticket.objects.visible_to(agent)` (through the staff panel's own
selector): a ticket the agent cannot see answers 404, as its staff page does. The changes
(api.rest.changes) are operations of the same router: Django routes an address to one view,
which answers each of its methods.
"""

from datetime import UTC, datetime
from typing import Annotated

from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from accounts.models import Agent, User
from api.rest import schemas
from api.rest.auth import READS, agent_of
from api.rest.errors import ApiProblem
from tickets import queues, selectors, story
from tickets.models import ThreadEntry, Ticket

router = Router(tags=["Tickets"])

# What a ticket's row shows, read with it in one query.
TICKET_READS = ("requester", "department", "help_topic", "sla_plan", "assignee__user", "team")
DEFAULT_LIMIT = 25
MAX_LIMIT = 100
CURSOR_SALT = "api.rest.tickets.cursor"

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
    updated_since: schemas.IsoDateTime | None = Field(
        None, description="Only tickets changed at or after this time (ISO 8601; UTC if no zone)."
    )
    cursor: schemas.Text(1000) | None = Field(None, description="next_cursor of the last page.")
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT


# Reads -------------------------------------------------------------------------------------


def visible_ticket(agent: Agent, number: str) -> Ticket:
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
    """The ticket with its thread and events: three queries, however long the thread.

    The ticket is one the agent sees (`selectors.staff_ticket`), and its staff page shows the
    whole thread, internal notes included, to every agent who sees it: so does this."""
    thread = ticket.thread.prefetch_related("attachments")
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
    return ticket_detail(agent, visible_ticket(agent, number))
