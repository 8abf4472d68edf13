"""/healthz says the process answers; /readyz that the database and the task queue do.

Both are for load balancers: no login, no cookie, a small JSON body, a fixed (small) number
of queries, 200 or 503.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from helpdesk.periodic import JOBS, import_jobs

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_the_database(client, django_db_blocker):
    # Any query fails the test: liveness must not depend on the database.
    with django_db_blocker.block():
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert response.cookies == {}


def test_readyz_asks_the_database_one_question_and_sets_no_cookie(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert (body["database"], body["queue"]) == ("ok", "ok")
    assert body["worker"] == {"oldest_due_task_waiting_seconds": 0, "keeping_up": True}
    assert "django_tasks_database" in queries[0]["sql"]
    assert len(queries) == 1
    assert response.cookies == {}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_for_a_signed_in_agent_touches_neither_session_nor_user(client, john):
    client.force_login(john.user)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/readyz")

    assert response.status_code == 200
    assert len(queries) == 1  # not the session, not the user
    assert response.cookies == {}


def test_readyz_reports_a_worker_that_is_not_keeping_up_but_stays_ready(client, settings):
    settings.HELPDESK_READY_WORKER_LAG_SECONDS = 300
    import_jobs()
    job = next(iter(JOBS.values()))
    result = job.task.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        run_after=timezone.now() - timedelta(minutes=20)
    )

    response = client.get("/readyz")

    assert response.status_code == 200
    worker = response.json()["worker"]
    assert worker["keeping_up"] is False
    assert 20 * 60 <= worker["oldest_due_task_waiting_seconds"] < 21 * 60


def test_readyz_answers_503_when_the_queue_cannot_be_read(client):
    # The queue's table gone (a database not migrated, or the wrong one): not ready.
    table = connection.ops.quote_name(DBTaskResult._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO tasks_gone")  # undone with the test

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"]) == ("not ready", "unreachable")
    assert response.cookies == {}


def test_the_checks_take_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405
    assert client.head("/readyz").status_code == 200
