"""Reads that pages need, built on the QuerySet methods in models."""

import itertools
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Agent, Team
from helpdesk import memo
from helpdesk.moments import moment
from sla.calendars import calendar_of
from sla.models import SLAPlan
from sla.targets import FIRST_RESPONSE, RESOLUTION, Targets, time_left
from tickets import story, timing
from tickets.access import ticket_access_url
from tickets.models import (
    Attachment,
    CannedResponse,
    Department,
    HelpTopic,
    ThreadEntry,
    Ticket,
)
from tickets.permissions import forget_access
from tickets.status import portal_label


@dataclass(frozen=True)
class Directory:
    """Every department, agent, team and help topic, active ones first, then by name.

    A queue page's filter bar and bulk form both offer these; loaded once, they cost four
    queries whatever the page shows. Inactive ones are kept: tickets can still sit with them.
    """

    departments: list
    agents: list
    teams: list
    topics: list


DIRECTORY = "tickets.staff_directory"


def _load_directory() -> Directory:
    return Directory(
        departments=list(Department.objects.order_by("-is_active", "name")),
        agents=list(
            Agent.objects.select_related("user").order_by(
                "-user__is_active", "user__full_name", "user__email"
            )
        ),
        teams=list(Team.objects.order_by("-is_active", "name")),
        topics=list(HelpTopic.objects.order_by("-is_active", "name")),
    )


def staff_directory() -> Directory:
    """The directory, kept for a few seconds per process (helpdesk.memo): every queue page
    and dashboard shows it. A change saved in this process is seen at once (tickets.receivers
    forgets the copy); other processes see it within helpdesk.memo.LIFETIME. Its lists are
    shared between requests: read them, never change them or the objects in them."""
    directory = memo.remembered(DIRECTORY, _load_directory)
    for agent in directory.agents:
        # Never an access read for another request (tickets.permissions.access_of).
        forget_access(agent)
    return directory


@dataclass(frozen=True)
class Choice:
    pk: int
    label: str
    is_active: bool


@dataclass(frozen=True)
class ActionChoices:
    """Every agent, team, department, help topic and SLA plan as pk, label and whether active,
    in their usual order: what the ticket page's action bar offers (the active ones) and the
    names its field history shows (all of them).

    Plain values, no model objects, so that one copy can serve every request of a process
    (an Agent object carries its access for one request: tickets.permissions.access_of).
    """

    agents: tuple[Choice, ...]
    teams: tuple[Choice, ...]
    departments: tuple[Choice, ...]
    topics: tuple[Choice, ...]
    plans: tuple[Choice, ...]

    def names(self) -> dict[str, dict[int, str]]:
        """Labels by pk for the fields of the ticket's history that name these rows."""
        return {
            "assignee": {c.pk: c.label for c in self.agents},
            "team": {c.pk: c.label for c in self.teams},
            "department": {c.pk: c.label for c in self.departments},
            "help_topic": {c.pk: c.label for c in self.topics},
            "sla_plan": {c.pk: c.label for c in self.plans},
        }


ACTION_CHOICES = "tickets.action_choices"


def _read_action_choices() -> ActionChoices:
    def choices(rows, active=lambda row: row.is_active) -> tuple[Choice, ...]:
        return tuple(Choice(row.pk, str(row), active(row)) for row in rows)

    return ActionChoices(
        agents=choices(Agent.objects.select_related("user"), lambda a: a.user.is_active),
        teams=choices(Team.objects.all()),
        departments=choices(Department.objects.all()),
        topics=choices(HelpTopic.objects.all()),
        plans=choices(SLAPlan.objects.all()),
    )


def action_choices() -> ActionChoices:
    """The action bar's choices, kept a few seconds per process (helpdesk.memo); saving any
    of these rows forgets the copy (tickets.receivers)."""
    return memo.remembered(ACTION_CHOICES, _read_action_choices)


@dataclass(frozen=True)
class Canned:
    pk: int
    title: str
    body: str
    department_id: int | None


CANNED_RESPONSES = "tickets.canned_responses"


def canned_responses_for(department_id: int) -> list[Canned]:
    """The canned responses usable in this department (CannedResponse.objects.usable_in:
    the one rule of which those are), each department's read once and kept a few seconds per
    process (helpdesk.memo; saving any response forgets them all, tickets.receivers)."""
    kept: dict[int, list[Canned]] = memo.remembered(CANNED_RESPONSES, dict)
    if department_id not in kept:
        kept[department_id] = [
            Canned(c.pk, c.title, c.body, c.department_id)
            for c in CannedResponse.objects.usable_in(department_id)
        ]
    return kept[department_id]


def portal_thread(ticket: Ticket) -> list[ThreadEntry]:
    """The thread as the end user sees it: messages and responses with their files, no notes."""
    return list(
        ticket.thread.visible_to_end_user()
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
    )


def portal_ticket_list(user) -> list[tuple[Ticket, str, str]]:
    """The tickets the signed-in end user requested or collaborates on, newest activity
    first: ticket, their own link to it, status label."""
    tickets = Ticket.objects.followed_by(user).select_related("help_topic").order_by("-updated_at")
    return [
        (ticket, ticket_access_url(ticket, user), portal_label(ticket.status)) for ticket in tickets
    ]


def portal_attachment(ticket: Ticket, pk: int) -> Attachment | None:
    """An attachment of this ticket that its end user may download (never one on a note)."""
    return (
        Attachment.objects.filter(pk=pk, entry__ticket=ticket)
        .exclude(entry__kind=ThreadEntry.Kind.NOTE)
        .first()
    )


def staff_attachment(ticket: Ticket, pk: int) -> Attachment | None:
    """An attachment on any entry of this ticket, internal notes included (for agents who
    can see the ticket; the caller has checked that)."""
    return Attachment.objects.filter(pk=pk, entry__ticket=ticket).first()


def staff_ticket(agent, number: str) -> Ticket | None:
    """The ticket with this number if this agent may see it, else None."""
    return (
        Ticket.objects.visible_to(agent)
        .select_related(
            "requester", "department", "help_topic", "sla_plan", "assignee__user", "team"
        )
        .filter(number=number)
        .first()
    )


def staff_thread(ticket: Ticket) -> list[ThreadEntry]:
    """The whole thread, notes included, with files (entries show the author's name as kept
    on the entry, so the author's row is not read)."""
    return list(ticket.thread.prefetch_related("attachments"))


@dataclass(frozen=True)
class Happening:
    """One item of the ticket's timeline: a thread entry, or an event told in words."""

    kind: str  # "entry" or "event"
    item: object
    text: str = ""


def staff_timeline(ticket: Ticket) -> list[Happening]:
    """Thread entries and events interleaved in time; events in words (tickets.story)."""
    entries = [Happening("entry", e) for e in staff_thread(ticket)]
    events = [
        Happening("event", e, story.describe_event(e))
        for e in ticket.events.select_related("actor")
    ]
    return sorted(
        entries + events,
        key=lambda happening: (happening.item.created_at, happening.kind == "entry"),
    )


def field_history(ticket: Ticket) -> list[dict]:
    """Each recorded change of the ticket's fields in words: when, who, what from what."""
    records = list(ticket.history.select_related("history_user").order_by("history_date"))
    steps = []
    for older, newer in itertools.pairwise(records):
        delta = newer.diff_against(older)
        if delta.changes:
            steps.append((newer, [(c.field, c.old, c.new) for c in delta.changes]))
    names = story.names_for(
        [change for _newer, changes in steps for change in changes],
        known=action_choices().names(),
    )
    history = []
    for newer, changes in steps:
        described = story.describe_changes(changes, names)
        if described:
            history.append(
                {"at": newer.history_date, "who": newer.history_user, "changes": described}
            )
    return history


PRESENCE_WINDOW = timedelta(seconds=60)


def others_present(ticket: Ticket, agent) -> list[str]:
    """Who else has this ticket open right now, e.g. "Jane Cooper (replying)"."""
    recent = (
        ticket.presence.filter(seen_at__gte=timezone.now() - PRESENCE_WINDOW)
        .exclude(agent=agent)
        .select_related("agent__user")
        .order_by("agent__user__full_name")
    )
    return [p.agent.user.display_name + (" (replying)" if p.is_replying else "") for p in recent]


@dataclass(frozen=True)
class DueTime:
    label: str
    due_at: object  # datetime | None
    left: str  # "2 h 10 min left", "overdue by 3 h", or "" (nothing due, or met)
    met: str  # "met Tue 10:12, on time" or ""
    by_hand: bool
    lines: list[str]


def due_times(ticket: Ticket) -> list[DueTime]:
    """The ticket's two due times for people: when, how long left, how they were reached."""
    now = timezone.now()
    # The plan's clock, built once for both due times and their explanations.
    targets = (
        Targets.of(ticket.sla_plan, calendar_of(ticket.sla_plan.schedule_id))
        if ticket.sla_plan_id
        else None
    )
    calendar = targets.calendar if targets else None
    met_at = {
        FIRST_RESPONSE: (ticket.first_responded_at, ticket.first_response_on_time),
        RESOLUTION: (ticket.resolved_at, ticket.resolution_on_time),
    }
    shown = []
    for explained in timing.explain(ticket, now, targets):
        when, on_time = met_at[explained.target]
        met = ""
        if when is not None:
            verdict = "" if on_time is None else (", on time" if on_time else ", late")
            met = f"met {moment(when)}{verdict}"
        left = ""
        if when is None and explained.due_at is None and not explained.computable:
            left = "cannot be worked out (see how the due times were worked out)"
        elif when is None and explained.due_at is not None and calendar is not None:
            if ticket.sla_paused_since is not None:
                left = timing.PAUSED_TEXT
            else:
                left = time_left(explained.due_at, calendar, now)
        shown.append(
            DueTime(
                label=explained.label,
                due_at=explained.due_at,
                left=left,
                met=met,
                by_hand=explained.target == RESOLUTION and ticket.due_override_at is not None,
                lines=explained.lines,
            )
        )
    return shown


def chosen_tickets(agent: Agent, numbers) -> list[Ticket]:
    """The tickets with these numbers that the agent sees, by number; the others left out."""
    return list(
        Ticket.objects.visible_to(agent)
        .filter(number__in=numbers)
        .only("pk", "number", "subject")
        .order_by("number")
    )
