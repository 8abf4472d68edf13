"""Writes to tickets: one function per thing a person or the system does.

One module per kind of change; this package gathers them, so callers write
`services.post_reply(...)` whichever module holds it. Every thread entry is written by
records.add_entry and every event by records.record_event; every status change goes
through lifecycle.set_status.
"""

from tickets.services.base import (
    STALE_MESSAGE,
    ActionRefused,
    AddressRefused,
    FileNotStored,
    StaleTicket,
    TicketError,
)
from tickets.services.bulk import BulkResult, bulk_apply, tickets_text, unseen_text
from tickets.services.changes import (
    assign_ticket,
    change_help_topic,
    change_priority,
    change_sla_plan,
    note_presence,
    set_due_time,
    transfer_ticket,
)
from tickets.services.intake import add_collaborator, new_ticket_number, open_ticket
from tickets.services.lifecycle import (
    change_status,
    close_resolved_tickets,
    resolve_by_user,
    set_status,
)
from tickets.services.links import revoke_access_links, send_access_link, send_status_link
from tickets.services.records import add_entry, record_event
from tickets.services.saved_queues import (
    MAX_SAVED_QUEUES,
    SavedQueueRefused,
    delete_search,
    rename_search,
    save_search,
)
from tickets.services.survey import rate
from tickets.services.thread import post_note, post_reply, post_user_reply
from tickets.survey import SurveyRefused, survey_applies

__all__ = [
    "MAX_SAVED_QUEUES",
    "STALE_MESSAGE",
    "ActionRefused",
    "AddressRefused",
    "BulkResult",
    "FileNotStored",
    "SavedQueueRefused",
    "StaleTicket",
    "SurveyRefused",
    "TicketError",
    "add_collaborator",
    "add_entry",
    "assign_ticket",
    "bulk_apply",
    "change_help_topic",
    "change_priority",
    "change_sla_plan",
    "change_status",
    "close_resolved_tickets",
    "delete_search",
    "new_ticket_number",
    "note_presence",
    "open_ticket",
    "post_note",
    "post_reply",
    "post_user_reply",
    "rate",
    "record_event",
    "rename_search",
    "resolve_by_user",
    "revoke_access_links",
    "save_search",
    "send_access_link",
    "send_status_link",
    "set_due_time",
    "set_status",
    "survey_applies",
    "tickets_text",
    "transfer_ticket",
    "unseen_text",
]
