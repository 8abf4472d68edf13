"""The only two ways anything is written into a ticket's story: a thread entry, an event.

Intake from the web, mail and the API, agents' replies and notes, and the sweep all come
here, so that what an entry carries (its files, its submission key) and what an event
records are the same whichever way they came.
"""

from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from accounts.models import User
from tickets.attachments import NotStored, store_upload
from tickets.models import Attachment, Event, PendingUpload, ThreadEntry, Ticket
from tickets.services.base import FileNotStored
from tickets.signals import entry_added, event_recorded


def add_entry(
    ticket: Ticket,
    kind: str,
    *,
    author: User | None,
    body: str,
    attachments: Iterable[UploadedFile] = (),
    kept_uploads: Iterable[PendingUpload] = (),
    submission_key=None,
    message_id: str = "",
    author_name: str = "",
) -> ThreadEntry:
    """Add a message, response or note to the thread, with its files. Without an author,
    `author_name` names what wrote it (the system's own entries).

    Files kept from a refused form are already stored: their attachments take them over.
    A file that cannot be written (the disk full) refuses the whole entry (FileNotStored),
    and the files this entry had written already are removed: its rows roll back with the
    caller's transaction, and no file is left without a row.
    """
    entry = ThreadEntry.objects.create(
        ticket=ticket,
        kind=kind,
        author=author,
        author_name=author.display_name if author else author_name,
        body=body,
        submission_key=submission_key,
        message_id=message_id,
    )
    for pending in kept_uploads:
        Attachment.objects.create(
            entry=entry,
            file=pending.file.name,
            filename=pending.filename,
            content_type=pending.content_type,
            size=pending.size,
            created_at=timezone.now(),
        )
        pending.delete()
    stored = []
    try:
        for upload in attachments:
            stored.append(store_upload(Attachment(entry=entry), upload))
    except NotStored as failure:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise FileNotStored(
            f"The file {failure.filename} could not be saved: the helpdesk has no room for "
            "files just now. Nothing was sent or saved. Please try again later, or send it "
            "without the file."
        ) from failure
    entry_added.send(sender=ThreadEntry, entry=entry)
    return entry


def record_event(ticket: Ticket, kind: str, *, actor: User | None = None, **data) -> Event:
    """Record that something happened to the ticket (by `actor`, or by the system)."""
    event = Event.objects.create(ticket=ticket, kind=kind, actor=actor, data=data)
    event_recorded.send(sender=Event, event=event)
    return event
