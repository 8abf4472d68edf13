"""An agent's saved searches: a queue's filters, search and sort kept under a name."""

from django.db import IntegrityError, transaction

from accounts.models import Agent
from helpdesk.errors import Refused
from tickets.models import SavedQueue

# Each is counted with the tabs on every queue page: the cap keeps that query small.
MAX_SAVED_QUEUES = 20


class SavedQueueRefused(Refused):
    """The name is taken, or the agent has as many saved searches as one may keep."""


def _tidy(name: str) -> str:
    return " ".join(name.split())


def _taken(agent: Agent, name: str, exclude: int | None = None) -> SavedQueueRefused | None:
    others = SavedQueue.objects.filter(agent=agent, name__iexact=name).exclude(pk=exclude)
    if others.exists():
        return SavedQueueRefused(f"You already have a saved search named “{name}”.")
    return None


def save_search(agent: Agent, *, name: str, queue: str, query: str) -> SavedQueue:
    """Keep a queue page's filters, search and sort (`query`, as its address had them)."""
    name = _tidy(name)
    if SavedQueue.objects.filter(agent=agent).count() >= MAX_SAVED_QUEUES:
        raise SavedQueueRefused(
            f"You have {MAX_SAVED_QUEUES} saved searches, as many as one agent may keep: "
            "delete one to save another."
        )
    if refusal := _taken(agent, name):
        raise refusal
    try:
        with transaction.atomic():
            return SavedQueue.objects.create(agent=agent, name=name, queue=queue, query=query)
    except IntegrityError:
        # The same name saved a moment ago, from another tab.
        raise _taken(agent, name) or SavedQueueRefused("That name is taken.") from None


def rename_search(saved: SavedQueue, *, name: str) -> SavedQueue:
    name = _tidy(name)
    if refusal := _taken(saved.agent, name, exclude=saved.pk):
        raise refusal
    saved.name = name
    try:
        with transaction.atomic():
            saved.save(update_fields=["name"])
    except IntegrityError:
        raise _taken(saved.agent, name, exclude=saved.pk) or SavedQueueRefused(
            "That name is taken."
        ) from None
    return saved


def delete_search(saved: SavedQueue) -> None:
    saved.delete()
