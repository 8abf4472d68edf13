"""The ticket status machine: the statuses, the moves between them, and who may make them.

Every status change in the code is decided here (`next_status_after_user_reply`,
`check_transition`, `check_user_resolution`) and stamped here (`stamp`); no other module
compares or assigns status literals.
"""

from dataclasses import dataclass

from django.db import models


class Status(models.TextChoices):
    OPEN = "open", "Open"
    AWAITING_USER = "awaiting_user", "Awaiting user"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


# The two states the queues care about.
OPEN_STATUSES = frozenset({Status.OPEN, Status.AWAITING_USER})
CLOSED_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED})
# The SLA clock runs only while the ticket is open and the ball is on our side.
CLOCK_RUNNING_STATUSES = frozenset({Status.OPEN})

# How the end user sees each status in the portal.
PORTAL_LABELS = {
    Status.OPEN: "Open",
    Status.AWAITING_USER: "Awaiting your reply",
    Status.RESOLVED: "Resolved",
    Status.CLOSED: "Closed",
}

# Moves an agent may make, and the permission each needs (roles arrive with access control).
AGENT_TRANSITIONS: dict[tuple[Status, Status], str] = {
    (Status.OPEN, Status.AWAITING_USER): "reply",
    (Status.AWAITING_USER, Status.OPEN): "reply",
    (Status.OPEN, Status.RESOLVED): "close",
    (Status.AWAITING_USER, Status.RESOLVED): "close",
    (Status.OPEN, Status.CLOSED): "close",
    (Status.AWAITING_USER, Status.CLOSED): "close",
    (Status.RESOLVED, Status.CLOSED): "close",
    (Status.RESOLVED, Status.OPEN): "close",
    (Status.CLOSED, Status.OPEN): "close",
}


class TransitionRefused(Exception):
    """A status change that the machine does not allow; the message is for people."""


@dataclass(frozen=True)
class UserReplyOutcome:
    status: Status
    reopened: bool


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def initial_status() -> Status:
    return Status.OPEN


def portal_label(status: str) -> str:
    return PORTAL_LABELS[Status(status)]


def next_status_after_user_reply(status: str, *, within_reopen_window: bool) -> UserReplyOutcome:
    """The status a ticket takes when its end user replies.

    A reply to an open ticket leaves it open (and restarts the clock if it was waiting on
    the user); a reply to a resolved or closed ticket reopens it, but only within the
    reopen window: after that the user is asked to open a new ticket.
    """
    status = Status(status)
    if status in OPEN_STATUSES:
        return UserReplyOutcome(Status.OPEN, reopened=False)
    if not within_reopen_window:
        raise TransitionRefused(
            "This ticket was closed too long ago to be reopened. "
            "Please open a new ticket and mention its number."
        )
    return UserReplyOutcome(Status.OPEN, reopened=True)


def check_transition(current: str, target: str) -> str:
    """Return the permission an agent needs for this move; refuse a move that does not exist."""
    current, target = Status(current), Status(target)
    if current == target:
        raise TransitionRefused(f"The ticket is already {target.label.lower()}.")
    try:
        return AGENT_TRANSITIONS[(current, target)]
    except KeyError:
        raise TransitionRefused(
            f"A ticket cannot go from {current.label.lower()} to {target.label.lower()}."
        ) from None


def is_reopening(current: str, target: str) -> bool:
    return Status(current) in CLOSED_STATUSES and Status(target) in OPEN_STATUSES


def stamp(ticket, now) -> list[str]:
    """Set the timestamps that go with the ticket's (new) status; return the fields changed.

    Resolving stamps resolved_at, closing stamps closed_at (and resolved_at if it was
    closed without being resolved first), reopening clears both.
    """
    status = Status(ticket.status)
    if status == Status.RESOLVED:
        ticket.resolved_at, ticket.closed_at = now, None
    elif status == Status.CLOSED:
        ticket.resolved_at = ticket.resolved_at or now
        ticket.closed_at = now
    else:
        ticket.resolved_at = ticket.closed_at = None
    return ["resolved_at", "closed_at"]


def check_user_resolution(current: str) -> None:
    """An end user may mark their own ticket resolved while it is open."""
    if Status(current) not in OPEN_STATUSES:
        raise TransitionRefused("This ticket is already resolved or closed.")
