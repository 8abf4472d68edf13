"""The outbox's safety net (found by helpdesk.apps at start-up)."""

from helpdesk.mail import outbox
from helpdesk.periodic import periodic_task


@periodic_task("HELPDESK_MAIL_STALLED_SECONDS")
def requeue_stalled_mail() -> int:
    """Send again what a worker that died was sending, or never got to."""
    return outbox.requeue_stalled()
