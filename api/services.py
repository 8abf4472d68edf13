"""What the API changes: tickets opened through the osTicket-compatible endpoints, and the
keys themselves.

The ticket goes through the web form's own intake (tickets.services.open_ticket): its help
topic's department, priority and SLA plan, the auto-assignment, the notices. This only adds
what osTicket's API has beyond the form, in the same transaction: an internal note, and the
retried request that must not make a second ticket.
"""

import uuid

from django.db import transaction

from accounts.models import Agent
from api import keys
from api.models import ApiKey
from api.osticket_request import TicketRequest
from tickets import services
from tickets.models import ThreadEntry, Ticket
from tickets.services.records import add_entry

# Names the submission keys derived from Idempotency-Key headers; never change it, or
# retries sent across the change make a second ticket.
_IDEMPOTENCY_NAMESPACE = uuid.UUID("6c1d6f0e-5c0a-4e55-9a54-0b7f3f0d5a11")


def submission_key_for(key: ApiKey, idempotency_key: str) -> uuid.UUID | None:
    """The ticket's submission key for a request's Idempotency-Key header: the same header
    from the same API key is the same ticket; another key's same header is another."""
    if not idempotency_key:
        return None
    return uuid.uuid5(_IDEMPOTENCY_NAMESPACE, f"{key.pk}:{idempotency_key}")


@transaction.atomic
def open_ticket_from_api(
    request: TicketRequest, *, key: ApiKey, idempotency_key: str = ""
) -> tuple[Ticket, bool]:
    """Open the ticket a checked API request asks for; return it and whether it is new.

    A retry with the same Idempotency-Key (for the same requester) returns the first ticket
    and adds nothing. The request's notes become an internal note by the API key.
    """
    details = {"api_key": key.name}
    if request.ip:
        details["ip"] = request.ip
    ticket, is_new = services.open_ticket(
        email=request.email,
        full_name=request.name,
        phone=request.phone,
        help_topic=request.help_topic,
        subject=request.subject,
        body=request.body,
        attachments=request.attachments,
        source=request.source,
        submission_key=submission_key_for(key, idempotency_key),
        priority=request.priority,
        alert=request.alert,
        autorespond=request.autorespond,
        details=details,
    )
    if is_new and request.note:
        add_entry(
            ticket,
            ThreadEntry.Kind.NOTE,
            author=None,
            author_name=f"API key “{key.name}”",
            body=request.note,
        )
    return ticket, is_new


def create_api_key(key: ApiKey, *, by: Agent | None = None) -> str:
    """Save a new API key with a fresh secret; return the secret, shown this once only."""
    plain = keys.issue(key)
    key.created_by = by
    key.full_clean(exclude=["key_hash", "prefix"])
    key.save()
    return plain
