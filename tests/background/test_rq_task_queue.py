"""TASKS_BACKEND=rq: Django's tasks queued on Redis (helpdesk.rq_tasks) and worked by
`manage.py rq_worker`, as the database queue is by `db_worker`.

Redis answers on loopback here; these tests use only its database 7, emptied before and after.
"""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone
from redis import Redis

from helpdesk import periodic
from helpdesk.task_queue import queue_is_reachable
from tests import factories
from tests.mailservers import free_port
from tickets.models import Ticket
from tickets.status import Status

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/7"

# Run by a separate process, configured as production is: opens a ticket whose auto-response
# goes to the outbox, whose sending task is enqueued on Redis when the change commits.
OPEN_A_TICKET = """
from django.tasks import task_backends
from helpdesk.mail.models import OutgoingMail
from tickets import services
from tickets.models import Department, HelpTopic
department = Department.objects.create(name="Support")
topic = HelpTopic.objects.create(name="Outage", department=department)
ticket, _ = services.open_ticket(
    email="karen@example.com", full_name="Karen", help_topic=topic,
    subject="Card declined", body="My card is declined at every shop.",
)
assert type(task_backends["default"]).__name__ == "RQBackend"
print(ticket.number)
"""


@pytest.fixture
def redis_db():
    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    yield redis
    redis.flushdb()


@pytest.fixture
def rq_queue(settings, redis_db):
    """The default task backend is the Redis queue, on the tests' Redis database."""
    settings.TASKS = {
        "default": {
            "BACKEND": "helpdesk.rq_tasks.RQBackend",
            "QUEUES": ["default"],
            "OPTIONS": {"URL": REDIS_URL},
        }
    }
    return task_backends["default"]


@pytest.fixture
def process_database_url(tmp_path):
    """A database the worker process can open: this test's own on PostgreSQL (committed, as
    the test is transactional); on SQLite the tests' database lives in memory, so a fresh file
    is migrated for the processes instead."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    url = f"sqlite:///{tmp_path / 'rq.sqlite3'}"
    _manage({"DATABASE_URL": url}, "migrate", "--noinput", "-v0")
    return url


def _manage(env, *args):
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "HELPDESK_VAR_DIR": str(ROOT / "var"), **env},
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout


def test_a_mail_enqueued_on_redis_is_sent_by_a_worker_process(
    rq_queue, process_database_url, smtp_sink
):
    env = {
        "DATABASE_URL": process_database_url,
        "TASKS_BACKEND": "rq",
        "TASKS_REDIS_URL": REDIS_URL,
        "EMAIL_HOST": smtp_sink.host,
        "EMAIL_PORT": str(smtp_sink.port),
    }
    number = _manage(env, "shell", "-c", OPEN_A_TICKET).split()[-1]
    [job_id] = [
        key.decode().removeprefix("rq:job:") for key in rq_queue.connection.keys("rq:job:*")
    ]
    assert rq_queue.get_result(job_id).status == TaskResultStatus.READY
    assert smtp_sink.messages == []  # queued, not sent: no worker has run yet

    # The worker `make worker` runs when TASKS_BACKEND=rq, in its own process.
    _manage(env, "worker", "--batch")

    [received] = smtp_sink.wait_for(1)
    assert received.recipients == ("karen@example.com",)
    assert f"[#{number}]" in received.message["Subject"]
    done = rq_queue.get_result(job_id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.task.module_path == "helpdesk.mail.outbox.send_outgoing_mails"
    assert done.worker_ids


def test_periodic_jobs_run_on_redis_and_enqueue_their_next_run(rq_queue, settings):
    settings.HELPDESK_AUTO_CLOSE_DAYS = 7
    old = factories.TicketFactory(status=Status.RESOLVED)
    Ticket.objects.filter(pk=old.pk).update(resolved_at="2020-01-01T00:00:00Z")

    call_command("schedule_periodic_tasks", verbosity=0)
    periodic.import_jobs()
    assert set(periodic.start_chains()) == set()  # every chain already has its run waiting
    first_runs = {job.id: job.meta["task_path"] for job in rq_queue.queue("default").jobs}
    assert set(first_runs.values()) == set(periodic.JOBS)

    call_command("rq_worker", burst=True, verbosity=0)

    old.refresh_from_db()
    assert old.status == Status.CLOSED
    for job_id, path in first_runs.items():
        result = rq_queue.get_result(job_id)
        assert result.status == TaskResultStatus.SUCCESSFUL, (path, result.errors)
    # Each ran and put its next run in rq's timetable, once.
    scheduled = rq_queue.queue("default").scheduled_job_registry.get_job_ids()
    assert len(scheduled) == len(periodic.JOBS)
    for path in periodic.JOBS:
        assert rq_queue.has_waiting(path), path
    assert periodic.start_chains() == []


def test_a_failing_task_is_recorded_as_failed_with_its_error(rq_queue):
    from helpdesk.mail.outbox import send_outgoing_mail

    result = send_outgoing_mail.enqueue("not a number")

    call_command("rq_worker", burst=True, verbosity=0)

    done = rq_queue.get_result(result.id)
    assert done.status == TaskResultStatus.FAILED
    assert done.errors[0].exception_class_path.endswith("Error")
    assert "not a number" in done.errors[0].traceback


def test_a_task_put_off_waits_in_the_timetable_until_it_is_due(rq_queue):
    from helpdesk.mail.outbox import send_outgoing_mail

    later = timezone.now() + timedelta(hours=1)
    result = send_outgoing_mail.using(run_after=later).enqueue(1)

    call_command("rq_worker", burst=True, verbosity=0)

    assert rq_queue.get_result(result.id).status == TaskResultStatus.READY
    scheduled = rq_queue.queue("default").scheduled_job_registry
    assert scheduled.get_job_ids() == [result.id]
    assert abs(scheduled.get_scheduled_time(result.id) - later) < timedelta(seconds=1)


def test_the_queue_is_reachable_while_redis_answers(rq_queue, settings):
    assert queue_is_reachable()

    settings.TASKS = {
        "default": {
            "BACKEND": "helpdesk.rq_tasks.RQBackend",
            "OPTIONS": {"URL": f"redis://127.0.0.1:{free_port()}/7"},  # nothing listens there
        }
    }
    assert not queue_is_reachable()


def test_the_database_queue_is_reachable_with_its_database():
    assert queue_is_reachable()


def test_readyz_asks_redis_when_the_queue_is_there(rq_queue, settings, client):
    """With TASKS_BACKEND=rq, readiness is the database and Redis, and a Redis that does not
    answer makes the node not ready (its pages would fail to enqueue mail)."""
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": "ok", "queue": "ok"}

    settings.TASKS = {
        "default": {
            "BACKEND": "helpdesk.rq_tasks.RQBackend",
            "OPTIONS": {"URL": f"redis://127.0.0.1:{free_port()}/7"},  # nothing listens there
        }
    }
    away = client.get("/readyz")
    assert away.status_code == 503
    assert away.json() == {"status": "not ready", "database": "ok", "queue": "unreachable"}
