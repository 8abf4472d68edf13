"""What the tickets app does when a lower app announces a change it cannot act on itself."""

from django.dispatch import receiver

from sla.signals import plans_changed
from tickets import timing


@receiver(plans_changed, dispatch_uid="tickets.recompute_open_tickets")
def recompute_due_times(sender, plans, **kwargs) -> None:
    """A plan's targets or schedule changed: its open tickets' due times follow."""
    timing.recompute_open_tickets(plans)
