"""Webhooks: URLs an administrator registers to be told, by a signed POST, of ticket changes."""

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class WebhookEvent(models.TextChoices):
    """What a webhook may ask to hear of; the value is sent as `event` and X-Helpdesk-Event."""

    TICKET_CREATED = "ticket.created", "Ticket created"
    MESSAGE_RECEIVED = "message.received", "Message received (from the user)"
    RESPONSE_SENT = "response.sent", "Response sent (an agent's reply to the user)"
    STATUS_CHANGED = "ticket.status_changed", "Status changed"
    ASSIGNED = "ticket.assigned", "Assigned"
    OVERDUE = "ticket.overdue", "Marked overdue"


# The event of the "Send test ping" button; never subscribed to, always sent when asked.
PING = "ping"


def new_secret() -> str:
    """A fresh signing secret: 256 random bits, readable and easy to paste."""
    return "whsec_" + secrets.token_hex(32)


def validate_events(value) -> None:
    known = set(WebhookEvent.values)
    if not isinstance(value, list) or not value or not set(value) <= known:
        raise ValidationError("Choose at least one of the events offered.", code="invalid")


class Webhook(models.Model):
    """A URL told of the chosen events by a POST signed with its secret (api.webhooks).

    The secret is kept in plain text because signing needs it (a hash cannot sign), and it
    is shown to administrators on the webhook's page; "New secret" replaces it.
    """

    name = models.CharField(max_length=100)
    url = models.CharField(
        "URL",
        max_length=2000,
        help_text="Where each event is POSTed, such as https://hooks.example.com/helpdesk.",
    )
    events = models.JSONField(default=list, validators=[validate_events])
    secret = models.CharField(max_length=80, default=new_secret, editable=False)
    is_active = models.BooleanField("Active", default=True)
    allow_private_targets = models.BooleanField(
        "Allow private targets",
        default=False,
        help_text=(
            "Allow a URL on this machine or on a private network (loopback, 10.x, 192.168.x, "
            "fc00::/7 and the like). Leave it off unless you run the receiver yourself: "
            "otherwise anybody who may edit webhooks can make the helpdesk call internal "
            "services."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def wants(self, event: str) -> bool:
        return event in self.events

    @property
    def event_labels(self) -> list[str]:
        labels = dict(WebhookEvent.choices)
        return [labels[event] for event in WebhookEvent.values if event in self.events]


def _new_delivery_id() -> uuid.UUID:
    return uuid.uuid4()


class WebhookDelivery(models.Model):
    """One event for one webhook: the body exactly as it is sent, and what became of it.

    Written in the transaction of the change it tells of (a rolled-back change leaves none);
    the worker sends it, retrying with growing waits, and it stays here as the log.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, will retry"
        GIVEN_UP = "given_up", "Given up"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    # Sent as the body's "id" and X-Helpdesk-Delivery; the same on every retry, so that a
    # receiver that got it twice can tell.
    delivery_id = models.UUIDField(default=_new_delivery_id, unique=True, editable=False)
    event = models.CharField(max_length=40)
    # "#123456", for people reading the log; empty for a test ping.
    ticket_number = models.CharField(max_length=20, blank=True)
    # The JSON body, as sent (its UTF-8 bytes are what is signed).
    body = models.TextField()
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # The receiver's HTTP status on the last attempt (None: no answer at all).
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["webhook", "-created_at"], name="webhook_delivery_log"),
        ]

    def __str__(self):
        return f"{self.event} to {self.webhook}"

    @property
    def event_label(self) -> str:
        if self.event == PING:
            return "Test ping"
        return dict(WebhookEvent.choices).get(self.event, self.event)
