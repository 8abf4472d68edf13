"""Running the background worker inside a test, as `make worker` runs it."""

from django.core.management import call_command


def work_the_queue() -> None:
    """Run every task that is ready now, then return (django-tasks-db's batch mode)."""
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def send_queued_mail() -> None:
    """Send every queued message now, as the worker's sending task does (for tests that run
    inside a transaction, where the worker's own loop cannot)."""
    from helpdesk.mail.models import OutgoingMail
    from helpdesk.mail.outbox import send_outgoing_mail

    for pk in OutgoingMail.objects.filter(status="queued").values_list("pk", flat=True):
        send_outgoing_mail.call(pk)
