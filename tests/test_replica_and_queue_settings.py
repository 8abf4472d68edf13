"""DATABASE_REPLICA_URL and TASKS_BACKEND, read as a fresh process reads them at start-up."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SHOW = """
import json
from django.conf import settings
print(json.dumps({
    "databases": sorted(settings.DATABASES),
    "replica": settings.DATABASES.get("replica", {}).get("NAME"),
    "mirror": settings.DATABASES.get("replica", {}).get("TEST", {}).get("MIRROR"),
    "tasks": settings.TASKS["default"]["BACKEND"],
    "redis": settings.TASKS["default"].get("OPTIONS", {}).get("URL"),
}))
"""


def _settings(**env):
    unset = ("DATABASE_REPLICA_URL", "TASKS_BACKEND", "TASKS_REDIS_URL")
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(  # noqa: S603 (our own settings)
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "helpdesk.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_by_default_there_is_no_replica_and_the_queue_is_the_database():
    shown = json.loads(_settings().stdout)

    assert shown["databases"] == ["default"]
    assert shown["tasks"] == "django_tasks_db.DatabaseBackend"


def test_a_replica_url_adds_the_replica_alias():
    shown = json.loads(
        _settings(DATABASE_REPLICA_URL="postgres://reader@db-replica:5432/helpdesk").stdout
    )

    assert shown["databases"] == ["default", "replica"]
    assert shown["replica"] == "helpdesk"
    assert shown["mirror"] == "default"  # under test there is no replication to follow


def test_tasks_backend_rq_queues_on_the_redis_it_names():
    shown = json.loads(_settings(TASKS_BACKEND="rq", TASKS_REDIS_URL="redis://queue:6379/3").stdout)

    assert shown["tasks"] == "helpdesk.rq_tasks.RQBackend"
    assert shown["redis"] == "redis://queue:6379/3"


def test_an_unknown_tasks_backend_stops_start_up_with_its_name():
    run = _settings(TASKS_BACKEND="celery")

    assert run.returncode != 0
    assert "TASKS_BACKEND='celery': use database or rq" in run.stderr
