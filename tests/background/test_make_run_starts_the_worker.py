"""`make run` serves the web pages and runs the background worker, and Ctrl-C stops both.

The overdue sweep and the auto-close used to run only under `make worker`, which `make run`
did not start: a newcomer's Overdue tab stayed at 0 after a ticket passed its due time.
This starts the Procfile with honcho, exactly as `make run` does, on a fresh SQLite file,
and waits for the worker to mark a past-due ticket overdue.
"""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

PAST_DUE_TICKET = """
from datetime import timedelta
from django.utils import timezone
from tickets import services
from tickets.models import HelpTopic, Ticket
ticket, _ = services.open_ticket(
    email="late@example.com", full_name="Late", help_topic=HelpTopic.objects.first(),
    subject="Past due", body="Nobody answered.",
)
Ticket.objects.filter(pk=ticket.pk).update(
    first_response_due_at=timezone.now() - timedelta(minutes=5),
    resolution_due_at=timezone.now() - timedelta(minutes=1),
)
print(ticket.pk)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env, *args) -> str:
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout


def _get(url) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
            return response.status
    except OSError:
        return 0


def _wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


@pytest.fixture
def fresh_install(tmp_path):
    db = tmp_path / "helpdesk.sqlite3"
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "HELPDESK_VAR_DIR": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "HOST_PORT": f"127.0.0.1:{port}",
        "SLA_SWEEP_SECONDS": "10",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    _manage(env, "migrate", "--noinput")
    _manage(env, "load_demo")
    ticket_pk = int(_manage(env, "shell", "-c", PAST_DUE_TICKET).split()[-1])
    return env, db, port, ticket_pk


def test_the_procfile_serves_pages_and_the_worker_marks_tickets_overdue(fresh_install):
    env, db, port, ticket_pk = fresh_install

    def is_overdue():
        with sqlite3.connect(db, timeout=20) as connection:
            row = connection.execute(
                "SELECT is_overdue FROM tickets_ticket WHERE id = ?", [ticket_pk]
            ).fetchone()
        return bool(row[0])

    assert not is_overdue()
    # What `make run` starts after migrating and loading the demo.
    runner = subprocess.Popen(  # noqa: S603
        [str(BIN / "honcho"), "-f", "Procfile", "start"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        served = _wait_for(lambda: _get(f"http://127.0.0.1:{port}/") == 200, 60)
        swept = _wait_for(is_overdue, 60)
    finally:
        os.killpg(runner.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        output, _ = runner.communicate(timeout=30)

    assert served, output
    assert swept, output
    assert "web.1 stopped" in output
    assert "worker.1 stopped" in output
    assert _get(f"http://127.0.0.1:{port}/") == 0, "the web server is still answering"


def test_make_run_starts_this_procfile():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]

    assert "honcho -f Procfile start" in recipe
    assert "worker:" in (ROOT / "Procfile").read_text()
