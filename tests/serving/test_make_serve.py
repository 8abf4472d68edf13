"""`make serve` runs the app as in production: Procfile.serve started by honcho, exactly as
the Makefile does, serves pages with gunicorn (WEB_CONCURRENCY worker processes, DEBUG off,
static files from whitenoise) and runs the background worker beside it; Ctrl-C stops both."""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import requests

from tests.mailservers import SMTPSink
from tests.serving.deployment import Deployment
from tests.serving.stack import BIN, HOST, ROOT, free_port, status_of


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _gunicorn_master(root: int) -> int | None:
    """The gunicorn master among the runner's descendants."""
    pending = [root]
    while pending:
        pid = pending.pop()
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(part.endswith(b"gunicorn") for part in command[:2]):
            return pid
        pending += _children(pid)
    return None


def test_make_serve_runs_gunicorn_with_its_workers_and_the_task_worker(tmp_path):
    with SMTPSink() as sink, Deployment(tmp_path, smtp_port=sink.port) as deployment:
        deployment.run("collectstatic", "--noinput", "-v0")  # as `make serve` does first
        port = free_port()
        base = f"http://{HOST}:{port}"
        env = {
            **deployment.env,
            "DEBUG": "0",
            "HOST_PORT": f"{HOST}:{port}",
            "WEB_CONCURRENCY": "3",
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        runner = subprocess.Popen(  # noqa: S603 (what `make serve` runs)
            [str(BIN / "honcho"), "-f", "Procfile.serve", "start"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while status_of(base + "/tickets/new/") != 200:
                assert runner.poll() is None and time.monotonic() < deadline, "not serving"
                time.sleep(0.3)
            page = requests.get(base + "/tickets/new/", timeout=30)
            stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page.text).group(1)
            static = requests.get(base + stylesheet, timeout=30)
            missing = requests.get(base + "/no-such-page/", timeout=30)
            master = _gunicorn_master(runner.pid)
            workers = _children(master) if master else []

            form = page.text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
            key = re.search(r'name="submission_key" value="([^"]+)"', form).group(1)
            topic = deployment.seeded["topics"]["General"]
            requests.post(
                base + "/tickets/new/",
                data={
                    "csrfmiddlewaretoken": token,
                    "submission_key": key,
                    "email": "served@customer.example",
                    "full_name": "Sam Served",
                    "help_topic": topic,
                    "subject": "Served by gunicorn",
                    "body": "Is the worker running?",
                },
                cookies=page.cookies,
                timeout=30,
            )
            sent = sink.wait_for(1, timeout=60)  # the auto-response, sent by the worker
        finally:
            os.killpg(runner.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
            output, _ = runner.communicate(timeout=60)

    assert page.headers["Server"].startswith("gunicorn")
    assert static.status_code == 200 and "max-age" in static.headers.get("Cache-Control", "")
    assert missing.status_code == 404 and "URLconf" not in missing.text  # DEBUG is off
    assert len(workers) == 3, output
    assert any("Served by gunicorn" in message.message["Subject"] for message in sent), output
    assert runner.returncode is not None
