"""A worker killed (SIGKILL: no clean-up of any kind) while it sends a message: a new worker
sends that message afterwards, once; none is lost and none doubled.

The worker is a real `manage.py db_worker` and the mail server a real SMTP server, which
holds the worker's connection at RCPT (nothing delivered yet) so that it can be killed at a
moment the test sees.
"""

import json
import os
import signal

import pytest

from tests.faults.installs import wait_for
from tests.mailservers import SMTPSink

QUEUE_ONE_MESSAGE = """
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from helpdesk.mail import outbox
from helpdesk.mail.models import OutgoingMail
from helpdesk.mail.notices import Rendered
# Only this test's message and task: the demo's own mail counts as sent long ago.
OutgoingMail.objects.update(status=OutgoingMail.Status.SENT)
DBTaskResult.objects.all().delete()
with transaction.atomic():
    mail = outbox.queue(
        notice="ticket.response", to=["karen@example.com"], regarding="Ticket #123456",
        rendered=Rendered("Your printer [#123456]", "We replaced the toner.", ""),
    )
print(mail.pk)
"""

STATE = """
import json
from django_tasks_db.models import DBTaskResult
from helpdesk.mail.models import OutgoingMail
mail = OutgoingMail.objects.get(pk={pk})
tasks = sorted(DBTaskResult.objects.filter(
    task_path="helpdesk.mail.outbox.send_outgoing_mail").values_list("status", flat=True))
print(json.dumps({{"status": mail.status, "attempts": mail.attempts, "tasks": tasks,
                  "message_id": mail.message_id}}))
"""

# What the clock does while nobody looks: the claim is older than the stalled threshold.
TIME_PASSES = """
from datetime import timedelta
from django.utils import timezone
from helpdesk.mail import outbox
from helpdesk.mail.models import OutgoingMail
OutgoingMail.objects.filter(pk={pk}).update(
    next_attempt_at=timezone.now() - outbox.STALLED_AFTER - timedelta(seconds=1)
)
"""


@pytest.fixture
def sink():
    with SMTPSink() as server:
        yield server


@pytest.fixture
def install(fresh_install, sink):
    fresh_install.env.update(
        EMAIL_HOST=sink.host,
        EMAIL_PORT=str(sink.port),
        EMAIL_TIMEOUT="120",  # a held connection must outlast the test's steps
        DEFAULT_FROM_EMAIL="Helpdesk <help@helpdesk.example>",
    )
    return fresh_install


def state(install, pk) -> dict:
    return json.loads(install.shell(STATE.format(pk=pk)).splitlines()[-1])


def test_a_message_whose_worker_was_killed_mid_send_is_sent_once_by_the_next(install, sink):
    pk = int(install.shell(QUEUE_ONE_MESSAGE).splitlines()[-1])
    sink.hold()
    worker = install.popen("db_worker", "--no-startup-delay", "--interval", "0.2")
    try:
        assert sink.held.wait(60), "the worker never reached the mail server"
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        sink.release()

    # Killed while sending: nothing delivered, the message still claimed by the dead worker.
    assert sink.messages == []
    assert state(install, pk)["status"] == "sending"

    # A new worker, as `make worker` starts one, once the claim is old enough to be stalled.
    install.shell(TIME_PASSES.format(pk=pk))
    install.manage("schedule_periodic_tasks")
    install.manage("db_worker", "--batch", "--no-startup-delay")
    install.manage("db_worker", "--batch", "--no-startup-delay")  # and again: nothing more

    after = state(install, pk)
    assert deliveries(sink, after["message_id"]) == 1
    assert (after["status"], after["attempts"]) == ("sent", 2)


def test_a_message_a_live_worker_is_sending_is_not_taken_for_stalled(install, sink):
    # Due twenty minutes ago (the queue was behind), claimed just now by a worker that is
    # still talking to the mail server: another worker's stalled-mail job must leave it be.
    pk = int(install.shell(QUEUE_ONE_MESSAGE).splitlines()[-1])
    install.shell(TIME_PASSES.format(pk=pk))
    sink.hold()
    first = install.popen("db_worker", "--no-startup-delay", "--interval", "0.2")
    second = None
    try:
        assert sink.held.wait(60), "the worker never reached the mail server"
        woken = install.shell("from helpdesk.mail import outbox; print(outbox.requeue_stalled())")
        second = install.popen("db_worker", "--batch", "--no-startup-delay")
        # The second worker finds nothing to send, or (wrongly) sends it too.
        wait_for(lambda: second.poll() is not None or sink.waiting > 1, 60)
        sink.release()
        second.wait(timeout=60)
        assert wait_for(lambda: state(install, pk)["status"] == "sent", 60, every=1)
    finally:
        sink.release()
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)

    assert woken.splitlines()[-1] == "0"
    assert deliveries(sink, state(install, pk)["message_id"]) == 1


def deliveries(sink, message_id) -> int:
    """How many times the mail server received this message (others, such as the weekly
    summaries the periodic jobs send, are not counted)."""
    sink.wait_for(1)
    return sum(m.message["Message-ID"] == f"<{message_id}>" for m in sink.messages)
