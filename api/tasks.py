"""The webhooks' safety net (found by helpdesk.apps at start-up)."""

from api import webhooks
from helpdesk.periodic import periodic_task


@periodic_task("HELPDESK_WEBHOOK_STALLED_SECONDS")
def requeue_stalled_webhook_deliveries() -> int:
    """Send again what a worker that died was sending, or never got to."""
    return webhooks.requeue_stalled()
