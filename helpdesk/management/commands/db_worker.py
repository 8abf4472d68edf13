"""django-tasks-db's `db_worker`, kept running through a database restart.

Its loop lets any database error other than "locked" end the process, so a PostgreSQL
restart (or an SQLite file briefly unreachable) stopped the worker, and under `make run`
honcho then stopped the web server with it. This command has the same name and options
(the helpdesk app is listed before django_tasks_db, so it is the one `manage.py db_worker`
runs): when the database cannot be reached it waits, longer each time up to 30 s, and
starts the loop again. What a task was doing when the database went away is picked up by
that work's own safety net (the stalled-mail and stalled-webhook jobs). `--batch` still
ends at the first such error, as a one-off run should.
"""

import logging
import signal
import time

from django.db import connections
from django_tasks_db.management.commands import db_worker

from helpdesk.outage import database_unavailable

logger = logging.getLogger("django_tasks_db")

LONGEST_WAIT_SECONDS = 30
# A loop that ran this long before failing had recovered: the next wait starts short again.
RECOVERED_AFTER_SECONDS = 60


class Command(db_worker.Command):
    help = db_worker.Command.help + " Keeps running while the database restarts."

    def handle(self, *args, **options):
        failures = 0
        while True:
            started = time.monotonic()
            try:
                return super().handle(*args, **options)
            except Exception as error:
                if options.get("batch") or not database_unavailable(error):
                    raise
                if time.monotonic() - started > RECOVERED_AFTER_SECONDS:
                    failures = 0
                failures += 1
                wait = min(2**failures, LONGEST_WAIT_SECONDS)
                logger.warning(
                    "The database cannot be reached (%s); trying again in %s s.",
                    str(error).strip().splitlines()[0] if str(error).strip() else error,
                    wait,
                )
                connections.close_all()
                # The finished loop's signal handlers would only tell it to stop: while
                # waiting, Ctrl-C and SIGTERM end the process as usual.
                signal.signal(signal.SIGINT, signal.default_int_handler)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                time.sleep(wait)
