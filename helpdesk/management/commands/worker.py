from django.core.management import call_command
from django.core.management.base import BaseCommand

from helpdesk.rq_tasks import default_backend_is_rq


class Command(BaseCommand):
    help = (
        "Work the task queue that TASKS_BACKEND names: `db_worker` for the database queue, "
        "`rq_worker` for Redis. `make worker` and the Procfile run this."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is due now, then exit.")

    def handle(self, *args, batch, verbosity, **options):
        if default_backend_is_rq():
            call_command("rq_worker", burst=batch, verbosity=verbosity)
        else:
            call_command("db_worker", batch=batch, no_startup_delay=batch, verbosity=verbosity)
