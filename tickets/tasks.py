"""Background jobs of the ticket life cycle."""

from helpdesk.periodic import periodic_task
from tickets import services


@periodic_task("HELPDESK_AUTO_CLOSE_SECONDS")
def close_resolved_tickets() -> int:
    """Close tickets resolved more than AUTO_CLOSE_DAYS ago (DESIGN.md, status machine)."""
    return services.close_resolved_tickets()
