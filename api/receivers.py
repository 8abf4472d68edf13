"""What the api app does when the tickets app announces a change (tickets.signals).

Each receiver runs inside the change's transaction and first asks the short-lived list of
active webhooks (api.webhooks.wanting) whether anyone wants the event, so a change nobody
listens for costs nothing.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from api import webhooks
from api.models import Webhook, WebhookEvent
from helpdesk import memo
from tickets.models import Event, ThreadEntry
from tickets.signals import entry_added, event_recorded

_ENTRY_EVENTS = {
    ThreadEntry.Kind.MESSAGE: WebhookEvent.MESSAGE_RECEIVED,
    ThreadEntry.Kind.RESPONSE: WebhookEvent.RESPONSE_SENT,
    # Internal notes: none, ever.
}
_EVENT_EVENTS = {
    Event.Kind.CREATED: WebhookEvent.TICKET_CREATED,
    Event.Kind.STATUS_CHANGED: WebhookEvent.STATUS_CHANGED,
    Event.Kind.REOPENED: WebhookEvent.STATUS_CHANGED,
    Event.Kind.ASSIGNED: WebhookEvent.ASSIGNED,
    Event.Kind.OVERDUE: WebhookEvent.OVERDUE,
}


@receiver(entry_added, dispatch_uid="api.webhooks.entry_added")
def tell_of_entry(sender, entry: ThreadEntry, **kwargs) -> None:
    """A message from the user or a response to them: to the webhooks that want it."""
    event = _ENTRY_EVENTS.get(entry.kind)
    if event is None or not webhooks.wanting(event):
        return
    if entry.kind == ThreadEntry.Kind.MESSAGE and _opens_the_ticket(entry):
        return  # told as ticket.created, which carries it
    webhooks.queue(
        event,
        ticket=entry.ticket,
        details={"entry": webhooks.entry_payload(entry), "by": entry.author_name or None},
        occurred_at=entry.created_at,
    )


def _opens_the_ticket(entry: ThreadEntry) -> bool:
    return not ThreadEntry.objects.filter(ticket_id=entry.ticket_id, pk__lt=entry.pk).exists()


@receiver(event_recorded, dispatch_uid="api.webhooks.event_recorded")
def tell_of_event(sender, event: Event, **kwargs) -> None:
    """A ticket opened, moved, assigned or overdue: to the webhooks that want it."""
    hook_event = _EVENT_EVENTS.get(event.kind)
    if hook_event is None or not webhooks.wanting(hook_event):
        return
    webhooks.queue(
        hook_event,
        ticket=event.ticket,
        details={"by": event.actor.display_name if event.actor else None, **_details(event)},
        occurred_at=event.created_at,
    )


def _details(event: Event) -> dict:
    """What the event adds to the ticket: the opening message, or what changed."""
    data, ticket = event.data, event.ticket
    if event.kind == Event.Kind.CREATED:
        opening = getattr(ticket, "opening_entry", None) or (
            ticket.thread.filter(kind=ThreadEntry.Kind.MESSAGE).order_by("pk").first()
        )
        details = {"source": ticket.source}
        if opening is not None:
            details["entry"] = webhooks.entry_payload(opening)
        return details
    if event.kind in (Event.Kind.STATUS_CHANGED, Event.Kind.REOPENED):
        return {
            "change": {
                "from": data.get("from"),
                "to": data.get("to", ticket.status),
                "reopened": event.kind == Event.Kind.REOPENED,
            }
        }
    if event.kind == Event.Kind.ASSIGNED:
        return {"change": {"agent": data.get("agent"), "team": data.get("team")}}
    return {"change": {"target": data.get("target"), "due": data.get("due")}}  # overdue


@receiver(post_save, sender=Webhook, dispatch_uid="api.forget_active_webhooks")
@receiver(post_delete, sender=Webhook, dispatch_uid="api.forget_active_webhooks_deleted")
def forget_active_webhooks(sender, **kwargs) -> None:
    """A saved webhook is used (or no longer) at once in this process (helpdesk.memo)."""
    memo.forget(webhooks.ACTIVE_WEBHOOKS)
