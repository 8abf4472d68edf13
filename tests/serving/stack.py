"""The app as `make serve` runs it, for tests: web processes and task workers started from
Procfile.serve's own lines, each in its own process group, stopped at the end.

Plain Python: the processes get their settings from environment variables, as in production.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


def free_port() -> int:
    """A loopback port nobody listens on; from TEST_PORT_RANGE ("8600-8699") when set, so
    that several people's test runs on one machine keep to their own ports."""
    low, _, high = os.environ.get("TEST_PORT_RANGE", "").partition("-")
    candidates = range(int(low), int(high) + 1) if low and high else [0]
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in TEST_PORT_RANGE={os.environ['TEST_PORT_RANGE']}")


def procfile_commands(name: str = "Procfile.serve") -> dict[str, str]:
    """The process types of a Procfile and their shell commands."""
    commands = {}
    for line in (ROOT / name).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            kind, _, command = line.partition(":")
            commands[kind.strip()] = command.strip()
    return commands


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database Django's connection uses (the test database)."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as answer:
        return answer.code
    except OSError:
        return 0


class Stack:
    """Web processes and workers sharing one environment (database, cache, secret key)."""

    def __init__(self, env: dict[str, str], logs: Path):
        self.env = {
            **env,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "DEBUG": "0",
        }
        self.logs = logs
        self.logs.mkdir(parents=True, exist_ok=True)
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.commands = procfile_commands()

    def _start(self, kind: str, label: str, extra: dict[str, str]) -> subprocess.Popen:
        log = (self.logs / f"{label}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603 (Procfile.serve's own command)
            ["/bin/sh", "-c", self.commands[kind]],  # as honcho runs it
            cwd=ROOT,
            env={**self.env, **extra},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append((label, process))
        return process

    def web(self, workers: int = 2) -> str:
        """Start a gunicorn with `workers` worker processes; its base URL once it answers."""
        port = free_port()
        label = f"web-{port}"
        process = self._start(
            "web", label, {"HOST_PORT": f"{HOST}:{port}", "WEB_CONCURRENCY": str(workers)}
        )
        base = f"http://{HOST}:{port}"
        deadline = time.monotonic() + 60
        while status_of(base + "/scp/login/") != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{label} did not start:\n{self.log(label)}")
            time.sleep(0.2)
        return base

    def worker(self) -> subprocess.Popen:
        return self._start("worker", f"worker-{len(self.processes)}", {})

    def log(self, label: str) -> str:
        path = self.logs / f"{label}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def server_errors(self) -> str:
        """Django's reports of 500s (with their tracebacks) in every process's log."""
        found = []
        for label, _ in self.processes:
            path = self.logs / f"{label}.log"
            text = path.read_text(errors="replace") if path.exists() else ""
            start = text.find("Internal Server Error")
            while start != -1 and len(found) < 5:
                found.append(f"--- {label}\n{text[start : start + 6000]}")
                start = text.find("Internal Server Error", start + 1)
        return "\n".join(found)

    def logs_text(self) -> str:
        return "\n".join(f"--- {label}\n{self.log(label)}" for label, _ in self.processes)

    def __enter__(self) -> "Stack":
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def stop(self) -> None:
        for _, process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for _, process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        # gunicorn's workers share the group; anything left in a group goes too.
        for _, process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        self.processes.clear()
