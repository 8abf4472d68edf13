"""What the SLA app tells the apps above it, which it must not import.

- `plans_changed(sender, plans)`: these plans' targets or schedule changed (a plan or its
  schedule was saved). Sent inside the saving transaction: a receiver that recomputes what
  counts on them (the tickets app's open tickets) commits or rolls back with the change.
"""

from django.dispatch import Signal

plans_changed = Signal()
