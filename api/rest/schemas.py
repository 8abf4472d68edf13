"""What the REST API takes and gives, as pydantic schemas: the OpenAPI schema is made of these.

Text fields refuse NUL characters and lone surrogates, which no database stores: such a
request is a 422 naming the field, not a failure of ours.
"""

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator

from tickets.models import Priority, Source
from tickets.status import Status

# Ids are the database's 64-bit keys: a larger number is no id at all.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A ticket's number as shown without its "#": digits only.
NUMBER_PATTERN = r"^[0-9]{1,12}$"

# Priorities and statuses by name, as a person reads them in the staff panel.
PRIORITY_NAMES = {priority.name.lower(): priority for priority in Priority}
PriorityName = Literal["low", "normal", "high", "emergency"]
StatusName = Literal["open", "awaiting_user", "resolved", "closed"]
SourceName = Literal["web", "email", "phone", "api", "walk_in", "chat", "other"]
assert set(PRIORITY_NAMES) == set(PriorityName.__args__)  # noqa: S101 (kept in step)
assert {s.value for s in Status} == set(StatusName.__args__)  # noqa: S101
assert {s.value for s in Source} == set(SourceName.__args__)  # noqa: S101


def priority_name(value: int) -> str:
    return Priority(value).name.lower()


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Null characters are not allowed.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("The text is not valid Unicode.") from None
    return value


def Text(max_length: int | None = None, min_length: int = 0):
    """A string a database can store, of at most max_length characters."""
    return Annotated[
        str, Field(min_length=min_length, max_length=max_length), AfterValidator(_storable)
    ]


_ISO_8601 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _iso_8601(value):
    # pydantic also takes a number of seconds ("1.5", "-1e-72"): not what the schema's
    # date-time says, so refused.
    if isinstance(value, str) and not _ISO_8601.match(value):
        raise ValueError("Give a date and time in ISO 8601, such as 2026-12-03T09:00:00Z.")
    return value


# A moment as ISO 8601 text, nothing else.
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_8601)]


# Out ---------------------------------------------------------------------------------------


class Named(Schema):
    id: int
    name: str


class Person(Schema):
    name: str
    email: str


class AgentRef(Schema):
    id: int
    name: str
    email: str


class TicketSummary(Schema):
    """A ticket as the queues list it."""

    number: str
    subject: str
    status: StatusName
    priority: PriorityName
    source: SourceName
    department: Named
    help_topic: Named | None
    sla_plan: Named | None
    assignee: AgentRef | None
    team: Named | None
    requester: Person
    is_overdue: bool
    is_answered: bool
    created_at: datetime
    updated_at: datetime
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    revision: int = Field(
        description="Grows with every change; send it back with a change to have it refused "
        "(409) if somebody changed the ticket meanwhile."
    )
    url: str = Field(description="This ticket in the API.")
    staff_url: str = Field(description="This ticket in the staff panel.")


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    url: str = Field(description="The staff panel's download (needs a signed-in agent).")


class EntryOut(Schema):
    """One entry of the thread: the requester's message, an agent's response, or an internal
    note (which the end user never sees)."""

    id: int
    kind: Literal["message", "response", "note"]
    author: str
    body: str
    created_at: datetime
    attachments: list[AttachmentOut]


class EventOut(Schema):
    kind: str
    text: str = Field(description="The event in words, as the staff panel shows it.")
    actor: str | None = Field(description="Who did it; null for the system.")
    created_at: datetime
    data: dict[str, Any]


class TicketDetail(TicketSummary):
    """A ticket with its thread (internal notes included for agents, as the staff panel
    shows them) and its events."""

    thread: list[EntryOut]
    events: list[EventOut]


class TicketPage(Schema):
    items: list[TicketSummary]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )


class DepartmentOut(Schema):
    id: int
    name: str
    is_active: bool
    is_public: bool
    sla_plan_id: int | None


class HelpTopicOut(Schema):
    id: int
    name: str
    is_active: bool
    is_public: bool
    department_id: int
    priority: PriorityName
    sla_plan_id: int | None


class SLAPlanOut(Schema):
    id: int
    name: str
    is_active: bool
    first_response_hours: float
    resolution_hours: float
    schedule: str


# In ----------------------------------------------------------------------------------------


class AttachmentIn(Schema):
    """A file sent with the text, as base64; the staff forms' rules apply (accepted types,
    size, count), within the request size limit."""

    filename: Text(200, 1) = Field(description="Its name, with the extension that says its type.")
    content_base64: str = Field(description="The file's bytes, base64-encoded.")


class NewTicket(Schema):
    """A ticket opened by the key's agent on a user's behalf, as the staff panel's
    "Open a New Ticket" does; its source is API."""

    email: Text(254, 1) = Field(description="The requester's address; made a user if new.")
    name: Text(150, 1) = Field(description="The requester's name, as given on this ticket.")
    phone: Text(40) = ""
    help_topic: Id = Field(description="A help topic of a department the agent may create in.")
    subject: Text(255, 1)
    message: Text(None, 1) = Field(description="The requester's first message.")
    attachments: list[AttachmentIn] = Field(default_factory=list)


class NewEntry(Schema):
    body: Text(None, 1)
    attachments: list[AttachmentIn] = Field(default_factory=list)
    revision: Annotated[int, Field(ge=0, le=MAX_ID)] | None = Field(
        None, description="The ticket's revision you saw; refused (409) if it changed."
    )


class NewReply(NewEntry):
    """A response sent to the requester."""

    status: StatusName | None = Field(None, description="Change the status in the same step.")


class TicketChange(Schema):
    """The fields to change; each needs its own permission of the agent's role in the
    ticket's department (status: what the move needs; priority: edit; assignee and team:
    assign; department: transfer). Nothing is changed unless every change is allowed."""

    status: StatusName | None = None
    priority: PriorityName | None = None
    assignee: Id | None = Field(None, description="An agent's id; null for nobody.")
    team: Id | None = Field(None, description="A team's id; null for no team.")
    department: Id | None = None
    revision: Annotated[int, Field(ge=0, le=MAX_ID)] | None = None
