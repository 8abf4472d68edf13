from django.core.management.base import BaseCommand, CommandError
from django.tasks import task_backends

from helpdesk.rq_tasks import RQBackend


class Command(BaseCommand):
    help = (
        "Work the Redis task queue (TASKS_BACKEND=rq): run its tasks, and move each task that "
        "was put off (run_after) into the queue when it is due."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--burst", action="store_true", help="Run what is due now, then exit (for tests)."
        )
        parser.add_argument("--name", default=None, help="This worker's name (unique).")

    def handle(self, *args, burst, name, verbosity, **options):
        from rq import SimpleWorker

        backend = task_backends["default"]
        if not isinstance(backend, RQBackend):
            raise CommandError(
                "The task queue is not Redis: set TASKS_BACKEND=rq, or run `manage.py worker`."
            )
        queues = [backend.queue(name) for name in sorted(backend.queues)]
        # Jobs run in this process, one after another, as db_worker runs them: no fork with
        # the database connections of the parent, no per-job start-up.
        worker = SimpleWorker(
            queues, name=name, connection=backend.connection, serializer=backend.serializer
        )
        worker.work(
            burst=burst,
            with_scheduler=True,
            logging_level="WARNING" if verbosity < 1 else "INFO",
        )
