"""The ticket status machine: the statuses, every move between them, and who may make each.

Three kinds of actor move a ticket: an agent (the move needs a permission of their role in
the ticket's department), the requester (replying, or marking their ticket resolved), and the
system (closing resolved tickets after a while). `MOVES` declares every move there is; a move
not declared there does not exist. tickets.services.lifecycle.set_status is the one function
that changes a status, and asks `find_move` first. No other module compares status literals:
they ask the predicates here.
"""

import enum
from dataclasses import dataclass

from django.db import models


class Status(models.TextChoices):
    OPEN = "open", "Open"
    AWAITING_USER = "awaiting_user", "Awaiting user"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class Actor(enum.StrEnum):
    AGENT = "agent"
    REQUESTER = "requester"
    SYSTEM = "system"


# The two states the queues care about.
OPEN_STATUSES = frozenset({Status.OPEN, Status.AWAITING_USER})
CLOSED_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED})
# The SLA clock runs only while the ticket is open and the ball is on our side; while it
# waits on the user it is paused (DESIGN.md, "SLA").
CLOCK_RUNNING_STATUSES = frozenset({Status.OPEN})
CLOCK_PAUSED_STATUSES = frozenset({Status.AWAITING_USER})

# How the end user sees each status in the portal.
PORTAL_LABELS = {
    Status.OPEN: "Open",
    Status.AWAITING_USER: "Awaiting your reply",
    Status.RESOLVED: "Resolved",
    Status.CLOSED: "Closed",
}


@dataclass(frozen=True)
class Move:
    source: Status
    target: Status
    actor: Actor
    # What an agent's role must allow (None for the requester and the system).
    permission: str | None = None

    @property
    def reopens(self) -> bool:
        return self.source in CLOSED_STATUSES and self.target in OPEN_STATUSES


def _agent(source, target, permission) -> Move:
    return Move(source, target, Actor.AGENT, permission)


MOVES: tuple[Move, ...] = (
    # Agents: asking the user for something and taking the ball back need `reply`; ending
    # a ticket and reopening it need `close`.
    _agent(Status.OPEN, Status.AWAITING_USER, "reply"),
    _agent(Status.AWAITING_USER, Status.OPEN, "reply"),
    _agent(Status.OPEN, Status.RESOLVED, "close"),
    _agent(Status.AWAITING_USER, Status.RESOLVED, "close"),
    _agent(Status.OPEN, Status.CLOSED, "close"),
    _agent(Status.AWAITING_USER, Status.CLOSED, "close"),
    _agent(Status.RESOLVED, Status.CLOSED, "close"),
    _agent(Status.RESOLVED, Status.OPEN, "close"),
    _agent(Status.CLOSED, Status.OPEN, "close"),
    # The requester: a reply hands the ticket back to us, and reopens an ended one (within
    # the reopen window); "Mark as Resolved" ends an open one (where the setting allows).
    Move(Status.AWAITING_USER, Status.OPEN, Actor.REQUESTER),
    Move(Status.RESOLVED, Status.OPEN, Actor.REQUESTER),
    Move(Status.CLOSED, Status.OPEN, Actor.REQUESTER),
    Move(Status.OPEN, Status.RESOLVED, Actor.REQUESTER),
    Move(Status.AWAITING_USER, Status.RESOLVED, Actor.REQUESTER),
    # The system: a resolved ticket closes by itself after AUTO_CLOSE_DAYS.
    Move(Status.RESOLVED, Status.CLOSED, Actor.SYSTEM),
)
_BY_KEY = {(move.source, move.target, move.actor): move for move in MOVES}


class TransitionRefused(Exception):
    """A status change that the machine does not allow; the message is for people."""


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


# What happened to a ticket moved to a status that ends it ("3 tickets closed."); moves to
# the open statuses read as plain settings ("set to Awaiting user").
ENDED_WORDS = {Status.RESOLVED: "resolved", Status.CLOSED: "closed"}
# The button that confirms ending tickets: "Close 3 tickets".
ENDING_VERBS = {Status.RESOLVED: "Resolve", Status.CLOSED: "Close"}


def ends(status: str) -> bool:
    """Whether moving a ticket to this status ends it: it leaves the working queues."""
    return status in CLOSED_STATUSES


def ending_verb(status: str) -> str:
    return ENDING_VERBS[Status(status)]


def moved_words(status: str) -> str:
    """What happened to a ticket moved to this status: "closed", "set to Awaiting user"."""
    status = Status(status)
    return ENDED_WORDS.get(status) or f"set to {status.label}"


def asks_for_rating(status: str) -> bool:
    """Whether the requester is asked "How did we do?" about a ticket in this status."""
    return status == Status.RESOLVED


def clock_runs(status: str) -> bool:
    return status in CLOCK_RUNNING_STATUSES


def clock_paused(status: str) -> bool:
    return status in CLOCK_PAUSED_STATUSES


def initial_status() -> Status:
    return Status.OPEN


def portal_label(status: str) -> str:
    return PORTAL_LABELS[Status(status)]


def find_move(current: str, target: str, *, actor: Actor) -> Move:
    """The declared move from `current` to `target` by this kind of actor; refuses others."""
    current, target, actor = Status(current), Status(target), Actor(actor)
    if actor == Actor.REQUESTER and current in CLOSED_STATUSES and target in CLOSED_STATUSES:
        raise TransitionRefused("This ticket is already resolved or closed.")
    if current == target:
        raise TransitionRefused(f"The ticket is already {target.label.lower()}.")
    move = _BY_KEY.get((current, target, actor))
    if move is not None:
        return move
    raise TransitionRefused(
        f"A ticket cannot go from {current.label.lower()} to {target.label.lower()}."
    )


def targets_from(current: str, *, actor: Actor) -> list[Status]:
    """Where this kind of actor may move a ticket from `current`, in the statuses' order."""
    current = Status(current)
    reachable = {m.target for m in MOVES if m.source == current and m.actor == Actor(actor)}
    return [status for status in Status if status in reachable]


def agent_permissions_from(current: str) -> set[str]:
    """The permissions that allow an agent some move from `current`."""
    current = Status(current)
    return {m.permission for m in MOVES if m.source == current and m.actor == Actor.AGENT}


def check_transition(current: str, target: str) -> str:
    """The permission an agent needs for this move; refuses a move that does not exist."""
    return find_move(current, target, actor=Actor.AGENT).permission


@dataclass(frozen=True)
class UserReplyOutcome:
    status: Status
    reopened: bool


def next_status_after_user_reply(status: str, *, within_reopen_window: bool) -> UserReplyOutcome:
    """The status a ticket takes when its requester replies.

    A reply to an open ticket leaves it open (and restarts the clock if it was waiting on
    the user); a reply to a resolved or closed ticket reopens it, but only within the
    reopen window: after that the user is asked to open a new ticket.
    """
    status = Status(status)
    if status == Status.OPEN:
        return UserReplyOutcome(Status.OPEN, reopened=False)
    move = find_move(status, Status.OPEN, actor=Actor.REQUESTER)
    if move.reopens and not within_reopen_window:
        raise TransitionRefused(
            "This ticket was closed too long ago to be reopened. "
            "Please open a new ticket and mention its number."
        )
    return UserReplyOutcome(move.target, reopened=move.reopens)


def auto_close_sources() -> list[Status]:
    """The statuses the system closes by itself."""
    return [m.source for m in MOVES if m.actor == Actor.SYSTEM and m.target == Status.CLOSED]


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
