"""What the tickets app announces to the apps above it, which it must not import.

Both are sent by tickets.services.records, the only writer of a ticket's story, inside the
transaction of the change: a receiver that writes rows (api.webhooks records its deliveries)
commits or rolls back with the change. Receivers must be cheap; they run on every change.
"""

from django.dispatch import Signal

# A thread entry was added, with its files: sender=ThreadEntry, entry=the ThreadEntry.
# Internal notes are announced too; a receiver that leaves the staff side must skip them.
entry_added = Signal()

# An event was recorded: sender=Event, event=the Event (its ticket is the caller's instance,
# as changed so far).
event_recorded = Signal()
