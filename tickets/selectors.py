"""Reads that pages need, built on the QuerySet methods in models."""

from django.db.models import Prefetch

from tickets.models import Attachment, ThreadEntry, Ticket


def portal_thread(ticket: Ticket) -> list[ThreadEntry]:
    """The thread as the end user sees it: messages and responses with their files, no notes."""
    return list(
        ticket.thread.visible_to_end_user()
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
    )


def portal_attachment(ticket: Ticket, pk: int) -> Attachment | None:
    """An attachment of this ticket that its end user may download (never one on a note)."""
    return (
        Attachment.objects.filter(pk=pk, entry__ticket=ticket)
        .exclude(entry__kind=ThreadEntry.Kind.NOTE)
        .first()
    )
