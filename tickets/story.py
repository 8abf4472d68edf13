"""A ticket's story in the words agents read: events and field changes as sentences.

"Status: Open → Awaiting user", "Assigned to Jane Cooper", "SLA plan: Sev-C → Sev-A":
labels instead of field names, names instead of ids, choices by their labels, times in the
viewer's zone. Used by the ticket page's timeline and its field history.
"""

from datetime import datetime

from django.utils.dateparse import parse_datetime

from accounts.models import Agent, Team
from helpdesk.moments import moment
from sla.models import SLAPlan
from tickets.models import (
    Department,
    Event,
    HelpTopic,
    Priority,
    SatisfactionRating,
    Source,
    Ticket,
)
from tickets.status import Status

_TARGETS = {"first_response": "first response", "resolution": "resolution"}


def when(value) -> str:
    """A moment (or its ISO text, as events keep it) as people read it."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return moment(value)


def _status(value) -> str:
    try:
        return Status(value).label
    except ValueError:
        return str(value or "—")


def _arrow(label: str, before, after) -> str:
    return f"{label}: {before or '—'} → {after or '—'}"


def describe_event(event: Event) -> str:
    """One event as a sentence."""
    data, kind = event.data or {}, event.kind
    if kind == Event.Kind.CREATED:
        text = f"Opened via {Source(data.get('source', 'web')).label}"
        if data.get("department"):
            text += f" in {data['department']}"
        if data.get("help_topic"):
            text += f" ({data['help_topic']})"
        if data.get("on_behalf_of"):
            text += f", on behalf of {data['on_behalf_of']}"
        if data.get("api_key"):
            text += f", with the API key “{data['api_key']}”"
        if data.get("ip"):
            text += f" for {data['ip']}"
        return text
    if kind == Event.Kind.ASSIGNED:
        who = data.get("agent") or (f"team {data['team']}" if data.get("team") else None)
        if who is None:
            return "Unassigned"
        if data.get("by_help_topic"):
            return f"Assigned to {who} by the help topic {data['by_help_topic']}"
        if data.get("on_reply"):
            return f"Assigned to {who}, who replied first"
        return f"Assigned to {who}"
    if kind == Event.Kind.TRANSFERRED:
        return _arrow("Department", data.get("from"), data.get("to"))
    if kind == Event.Kind.PRIORITY_CHANGED:
        return _arrow("Priority", data.get("from"), data.get("to"))
    if kind == Event.Kind.SLA_CHANGED:
        text = _arrow("SLA plan", data.get("from"), data.get("to"))
        if data.get("by_help_topic"):
            text += " (the help topic's plan)"
        elif data.get("by_department"):
            text += " (the department's plan)"
        return text
    if kind == Event.Kind.TOPIC_CHANGED:
        return _arrow("Help topic", data.get("from"), data.get("to"))
    if kind == Event.Kind.STATUS_CHANGED:
        text = _arrow("Status", _status(data.get("from")), _status(data.get("to")))
        if data.get("automatic"):
            text += ", by itself after the resolved days passed"
        elif data.get("by_requester"):
            text += ", marked resolved by the requester"
        return text
    if kind == Event.Kind.REOPENED:
        return f"Reopened (was {_status(data.get('from')).lower()})"
    if kind == Event.Kind.OVERDUE:
        target = _TARGETS.get(data.get("target"), "target")
        return f"Overdue: the {target} was due {when(data.get('due'))}"
    if kind == Event.Kind.DUE_CHANGED:
        if data.get("to"):
            return f"Due time set by hand: {when(data['to'])}"
        return "Manual due time removed: the SLA plan's due time applies again"
    if kind == Event.Kind.RATED:
        text = f"Rated {_rating(data.get('rating'))}"
        if data.get("changed"):
            text = f"Rating changed to {_rating(data.get('rating'))}"
        return text
    if kind == Event.Kind.LINKS_REVOKED:
        return "Access links revoked: links mailed until now no longer open the ticket"
    return event.get_kind_display()


def _rating(value) -> str:
    try:
        return SatisfactionRating.Rating(value).label
    except ValueError:
        return str(value or "—")


# Field history -----------------------------------------------------------------------------

# The fields of Ticket people care about, by the name they know them by; bookkeeping fields
# (flags the SLA keeps, timestamps of answers) are left out of the history.
FIELD_LABELS = {
    "subject": "Subject",
    "status": "Status",
    "priority": "Priority",
    "department": "Department",
    "help_topic": "Help topic",
    "sla_plan": "SLA plan",
    "assignee": "Assigned to",
    "team": "Team",
    "source": "Source",
    "requester": "Requester",
    "due_override_at": "Manual due time",
    "first_response_due_at": "First response due",
    "resolution_due_at": "Resolution due",
    "is_overdue": "Overdue",
    "is_answered": "Answered",
}
_NAMED = {
    "department": Department,
    "help_topic": HelpTopic,
    "sla_plan": SLAPlan,
    "team": Team,
}


def names_for(
    changes: list[tuple[str, object, object]], known: dict[str, dict[int, str]] | None = None
) -> dict[tuple[str, object], str]:
    """The names behind the ids in these changes, each model read once; `known` gives
    some fields' names by id already (tickets.selectors.action_choices), read only for ids
    it lacks."""
    known = known or {}
    wanted: dict[str, set] = {}
    names = {}
    for field, old, new in changes:
        if field in _NAMED or field in ("assignee", "requester"):
            for value in (old, new):
                if value is None:
                    continue
                if value in known.get(field, {}):
                    names[(field, value)] = known[field][value]
                else:
                    wanted.setdefault(field, set()).add(value)
    for field, ids in wanted.items():
        if field == "assignee":
            found = {
                a.pk: a.user.display_name
                for a in Agent.objects.filter(pk__in=ids).select_related("user")
            }
        elif field == "requester":
            model = Ticket._meta.get_field("requester").related_model
            found = {u.pk: str(u) for u in model.objects.filter(pk__in=ids)}
        else:
            found = {obj.pk: str(obj) for obj in _NAMED[field].objects.filter(pk__in=ids)}
        for pk, name in found.items():
            names[(field, pk)] = name
    return names


def value_of(field: str, value, names: dict) -> str:
    """One value of a field as people read it."""
    if value is None or value == "":
        return "—"
    if field == "status":
        return _status(value)
    if field == "priority":
        return Priority(value).label
    if field == "source":
        return Source(value).label
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return when(value)
    if (field, value) in names:
        return names[(field, value)]
    if field in _NAMED or field in ("assignee", "requester"):
        return "(removed)"
    return str(value)


def describe_changes(changes: list[tuple[str, object, object]], names: dict) -> list[str]:
    """Each change of a history step in words, fields people do not know left out."""
    return [
        _arrow(FIELD_LABELS[field], value_of(field, old, names), value_of(field, new, names))
        for field, old, new in changes
        if field in FIELD_LABELS
    ]
