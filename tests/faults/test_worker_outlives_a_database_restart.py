"""The worker keeps running while the database restarts, and does the work queued once it
is back: it used to exit at the first connection error, and under `make run` took the web
server down with it (helpdesk/management/commands/db_worker.py)."""

import os
import signal
import time

from tests.faults.installs import output_of, wait_for

# Only this test's work in the queue: the demo's mail counts as sent long ago.
NOTHING_QUEUED = """
from django_tasks_db.models import DBTaskResult
from helpdesk.mail.models import OutgoingMail
OutgoingMail.objects.update(status=OutgoingMail.Status.SENT)
DBTaskResult.objects.all().delete()
"""

QUEUE_ONE_MESSAGE = """
from django.db import transaction
from helpdesk.mail import outbox
from helpdesk.mail.notices import Rendered
with transaction.atomic():
    mail = outbox.queue(
        notice="ticket.response", to=["karen@example.com"],
        rendered=Rendered("After the restart", "The database is back.", ""),
    )
print(mail.pk)
"""


def status_of(install, pk) -> str:
    code = (
        "from helpdesk.mail.models import OutgoingMail; "
        f"print(OutgoingMail.objects.get(pk={pk}).status)"
    )
    return install.shell(code).splitlines()[-1]


def test_the_worker_waits_for_the_database_and_then_sends_what_was_queued(outage):
    install = outage.install
    install.shell(NOTHING_QUEUED)
    worker = install.popen("db_worker", "--no-startup-delay", "--interval", "0.5")
    try:
        time.sleep(2)
        outage.take_away()
        time.sleep(6)  # several rounds of the worker's loop, each failing to connect
        assert worker.poll() is None, output_of(worker, 3000)
        outage.bring_back()

        pk = int(install.shell(QUEUE_ONE_MESSAGE).splitlines()[-1])
        sent = wait_for(lambda: status_of(install, pk) == "sent", 90, every=1)
        assert worker.poll() is None
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    output = output_of(worker, 20_000)

    assert sent, output[-3000:]
    assert "The database cannot be reached" in output
