"""Webhooks: each ticket change an administrator asked for, POSTed signed to their URL.

The outbox pattern of helpdesk.mail.outbox: `queue()` writes one WebhookDelivery per webhook
that wants the event, and enqueues its sending task, in the transaction of the change (a
rolled-back change leaves neither). `send_delivery` claims the row, checks the target again,
POSTs the body and records the answer. A receiver that is down, slow or answers anything but
2xx is tried again after each wait of HELPDESK_WEBHOOK_RETRY_SECONDS, then given up; a
target that is refused (api.targets) or a redirect is given up at once. A retried delivery
keeps its id, so a receiver can tell one it already has.
"""

import http.client
import json
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from api import http_post, signing, targets
from api.models import Webhook, WebhookDelivery, WebhookEvent
from api.models.webhooks import PING
from helpdesk import memo
from tickets.models import ThreadEntry

# A delivery claimed for sending longer ago than this was dropped by a worker that died.
STALLED_AFTER = timedelta(minutes=10)
USER_AGENT = "Helpdesk-Webhooks/1.0"

ACTIVE_WEBHOOKS = "api.active-webhooks"


def active_webhooks() -> tuple[tuple[int, frozenset[str]], ...]:
    """Every active webhook as (pk, its events); read at most every few seconds, so a ticket
    change that no webhook wants costs no query (helpdesk.memo)."""
    return memo.remembered(
        ACTIVE_WEBHOOKS,
        lambda: tuple(
            (pk, frozenset(events))
            for pk, events in Webhook.objects.filter(is_active=True).values_list("pk", "events")
        ),
    )


def wanting(event: str) -> list[int]:
    """The active webhooks that want this event (as of a few seconds ago)."""
    return [pk for pk, events in active_webhooks() if event in events]


def _still_active(pks: list[int]) -> list[int]:
    """Those of these webhooks that are active now: the short-lived list may name one just
    deactivated or deleted in another process, and a delivery to a deleted webhook would
    fail the change it tells of."""
    return list(Webhook.objects.filter(pk__in=pks, is_active=True).values_list("pk", flat=True))


# --- What is sent -------------------------------------------------------------------------


def _when(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def ticket_payload(ticket) -> dict:
    """The ticket as a receiver sees it: what it is, where it stands, where to open it."""
    assignee = ticket.assignee
    return {
        "number": ticket.number,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.get_priority_display(),
        "department": ticket.department.name,
        "assignee": (
            {"name": assignee.user.display_name, "email": assignee.user.email}
            if assignee is not None
            else None
        ),
        "team": ticket.team.name if ticket.team_id else None,
        "url": settings.HELPDESK_BASE_URL + reverse("staff:ticket", args=[ticket.number]),
    }


def entry_payload(entry) -> dict:
    """A message or response as sent; an internal note is refused, never sent anywhere."""
    if entry.kind not in (ThreadEntry.Kind.MESSAGE, ThreadEntry.Kind.RESPONSE):
        raise ValueError("Internal notes never leave the staff side.")
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "author": entry.author_name,
        "body": entry.body,
        "created_at": _when(entry.created_at),
        "attachments": [
            {"name": a.filename, "size": a.size, "content_type": a.content_type}
            for a in entry.attachments.all()
        ],
    }


def queue(event: str, *, ticket=None, details: dict, occurred_at=None) -> list[WebhookDelivery]:
    """Record a delivery of this event to each active webhook that wants it, and enqueue its
    sending, in the caller's transaction; nothing when none wants it."""
    wanted = wanting(event)
    pks = _still_active(wanted) if wanted else []
    if not pks:
        return []
    return _record(pks, event, ticket=ticket, details=details, occurred_at=occurred_at)


def _record(pks, event, *, ticket, details, occurred_at=None) -> list[WebhookDelivery]:
    now = timezone.now()
    common = {"event": event, "occurred_at": _when(occurred_at or now)}
    if ticket is not None:
        common["ticket"] = ticket_payload(ticket)
    common.update(details)
    deliveries = []
    for pk in pks:
        delivery = WebhookDelivery(
            webhook_id=pk,
            event=event,
            ticket_number=f"#{ticket.number}" if ticket is not None else "",
            next_attempt_at=now,
            created_at=now,
        )
        # The id first, so that a person reading the body sees it at once.
        body = {"id": str(delivery.delivery_id), **common}
        delivery.body = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        deliveries.append(delivery)
    # In the caller's transaction (no savepoint: a query saved per change), or its own.
    with transaction.atomic(savepoint=False):
        if len(deliveries) == 1:
            deliveries[0].save(force_insert=True)
        else:
            WebhookDelivery.objects.bulk_create(deliveries)
        _enqueue([delivery.pk for delivery in deliveries])
    return deliveries


def _enqueue(pks: list[int]) -> None:
    if len(pks) == 1:
        send_delivery.enqueue(pks[0])
    elif pks:
        send_deliveries.enqueue(pks)


def ping(webhook: Webhook) -> WebhookDelivery:
    """Queue a test delivery to this webhook now, whatever its events (even inactive)."""
    [delivery] = _record(
        [webhook.pk], PING, ticket=None, details={"webhook": {"name": webhook.name}}
    )
    return delivery


def retry_now(delivery: WebhookDelivery) -> bool:
    """Send a delivery that failed, was given up or is waiting again at once; a sent one (or
    one being sent) is left alone. Whether it was queued."""
    with transaction.atomic():
        queued = WebhookDelivery.objects.filter(
            pk=delivery.pk,
            status__in=[
                WebhookDelivery.Status.PENDING,
                WebhookDelivery.Status.FAILED,
                WebhookDelivery.Status.GIVEN_UP,
            ],
        ).update(status=WebhookDelivery.Status.PENDING, next_attempt_at=timezone.now())
        if queued:
            send_delivery.enqueue(delivery.pk)
    return bool(queued)


# --- Sending ------------------------------------------------------------------------------


class Failed(Exception):
    """An attempt failed; `final` when waiting cannot help (a refused target, a redirect)."""

    def __init__(self, message: str, *, status: int | None = None, final: bool = False):
        super().__init__(message)
        self.status, self.final = status, final


def headers_for(delivery: WebhookDelivery, secret: str, body: bytes, timestamp: int) -> dict:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Helpdesk-Event": delivery.event,
        "X-Helpdesk-Delivery": str(delivery.delivery_id),
        "X-Helpdesk-Timestamp": str(timestamp),
        "X-Helpdesk-Signature": signing.signature(secret, timestamp, body),
    }


def _attempt(delivery: WebhookDelivery) -> int:
    """POST the delivery once; the receiver's 2xx status, or Failed."""
    webhook = delivery.webhook
    if not webhook.is_active and delivery.event != PING:
        raise Failed("The webhook was deactivated; nothing more is sent to it.", final=True)
    try:
        target = targets.check(webhook.url, allow_private=webhook.allow_private_targets)
    except targets.TargetRefused as refusal:
        raise Failed(str(refusal), final=True) from None
    body = delivery.body.encode()
    timestamp = int(time.time())
    try:
        answer = http_post.post(
            target,
            body,
            headers_for(delivery, webhook.secret, body, timestamp),
            timeout=settings.HELPDESK_WEBHOOK_TIMEOUT_SECONDS,
        )
    except TimeoutError:
        raise Failed(
            f"No answer within {settings.HELPDESK_WEBHOOK_TIMEOUT_SECONDS} seconds."
        ) from None
    except (OSError, http.client.HTTPException) as error:
        raise Failed(f"Could not reach the receiver: {error or type(error).__name__}") from None
    except Exception as error:  # whatever it was, the delivery must not stay "sending"
        raise Failed(f"{type(error).__name__}: {error}") from None
    if 200 <= answer.status < 300:
        return answer.status
    said = f"{answer.status} {answer.reason}".strip()
    if 300 <= answer.status < 400:
        raise Failed(
            f"Answered {said} to {answer.location or '?'}: redirects are not followed.",
            status=answer.status,
            final=True,
        )
    text = " ".join(answer.text.split())[:200]
    raise Failed(f"Answered {said}" + (f": {text}" if text else ""), status=answer.status)


def _retry_delays() -> list[int]:
    return list(settings.HELPDESK_WEBHOOK_RETRY_SECONDS)


@task
def send_deliveries(pks: list[int]) -> list[str]:
    """Send several deliveries, each as send_delivery does."""
    return [send_delivery.call(pk) for pk in pks]


@task
def send_delivery(pk: int) -> str:
    """Send one delivery; on a failure that may pass, wait and try again (bounded)."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=pk,
        status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.FAILED],
        next_attempt_at__lte=now,
    ).update(status=WebhookDelivery.Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    if not claimed:
        return "not due"  # sent already, given up, or another run holds it
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=pk)
    try:
        code = _attempt(delivery)
    except Failed as failure:
        return _record_failure(delivery, failure)
    delivery.status, delivery.sent_at = WebhookDelivery.Status.SENT, timezone.now()
    delivery.response_code, delivery.last_error = code, ""
    delivery.save(update_fields=["status", "sent_at", "response_code", "last_error"])
    return "sent"


def _record_failure(delivery: WebhookDelivery, failure: Failed) -> str:
    delays = _retry_delays()
    error = str(failure)
    with transaction.atomic():
        delivery.last_error, delivery.response_code = error[:500], failure.status
        if not failure.final and delivery.attempts <= len(delays):
            delivery.status = WebhookDelivery.Status.FAILED
            wait = timedelta(seconds=delays[delivery.attempts - 1])
            delivery.next_attempt_at = timezone.now() + wait
            send_delivery.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
        else:
            delivery.status = WebhookDelivery.Status.GIVEN_UP
        delivery.save(update_fields=["status", "next_attempt_at", "last_error", "response_code"])
    return f"{delivery.status}: {error}"


def requeue_stalled(now=None) -> int:
    """Wake deliveries whose sending was lost (a worker died mid-way); how many."""
    now = now or timezone.now()
    stalled = WebhookDelivery.objects.filter(
        Q(status=WebhookDelivery.Status.SENDING, last_attempt_at__lte=now - STALLED_AFTER)
        | Q(
            status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.FAILED],
            next_attempt_at__lte=now - STALLED_AFTER,
        )
    )
    woken = 0
    for pk in stalled.values_list("pk", flat=True):
        with transaction.atomic():
            if (
                WebhookDelivery.objects.filter(pk=pk)
                .exclude(status__in=[WebhookDelivery.Status.SENT, WebhookDelivery.Status.GIVEN_UP])
                .update(status=WebhookDelivery.Status.PENDING, next_attempt_at=now)
            ):
                send_delivery.enqueue(pk)
                woken += 1
    return woken


__all__ = ["WebhookEvent", "entry_payload", "ping", "queue", "retry_now", "ticket_payload"]
