"""A fresh helpdesk in other processes, for faults a test cannot cause inside its own.

`PrivatePostgres` is a PostgreSQL cluster of the test's own (initdb into a temporary folder,
its socket there too, a port in 55432-55439), which the test may stop and start: the shared
server on 5432 is never touched. `Install` is a migrated database with the demo data and
the environment to run `manage.py` against it; `AppServer` serves it over HTTP in a
subprocess, as a web node does.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_PORTS = range(55432, 55440)
APP_PORTS = range(8500, 8600)


def free_port(candidates) -> int:
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {candidates}")


def wait_for(condition, seconds: float = 30, every: float = 0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(every)
    return None


class PrivatePostgres:
    """A PostgreSQL cluster for one test, run as the postgres OS user when we are root."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="helpdesk-faults-pg-"))
        self.data = self.directory / "data"
        self.port = free_port(PG_PORTS)

    def _run(self, *args, check=True):
        command = [str(PG_BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(  # noqa: S603 (PostgreSQL's own programs)
            command, capture_output=True, text=True, check=check, timeout=120
        )

    def init(self) -> "PrivatePostgres":
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        return self

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.directory / "log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str):
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def remove(self):
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class Install:
    """A migrated database with the demo data, and how to run manage.py against it."""

    def __init__(self, folder: Path, database_url: str, **env):
        self.folder = folder
        self.database_url = database_url
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "HELPDESK_VAR_DIR": str(folder),
            "MEDIA_ROOT": str(folder / "media"),
            "DEBUG": "0",
            **env,
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)

    def manage(self, *args, check=True) -> str:
        done = subprocess.run(  # noqa: S603 (our own manage.py)
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code).strip()

    def prepare(self) -> "Install":
        self.manage("migrate", "--noinput")
        self.manage("load_demo")
        return self

    def popen(self, *args, **kwargs) -> subprocess.Popen:
        """manage.py `args` in a process of its own, its output written to a file under the
        install's folder (a pipe nobody reads fills up, and the process then hangs in its
        next log line); `output_of(process)` reads it."""
        logs = self.folder / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        log_path = logs / f"{args[0]}-{len(list(logs.iterdir()))}.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(  # noqa: S603 (our own manage.py)
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
                **kwargs,
            )
        process.log_path = log_path
        return process


def output_of(process: subprocess.Popen, last: int = 5000) -> str:
    """The end of what a process started by Install.popen has written."""
    return process.log_path.read_text(errors="replace")[-last:]


class AppServer:
    """The helpdesk's web server in a subprocess, one request at a time on one connection
    (so that a connection made before an outage is the one used after it)."""

    def __init__(self, install: Install):
        self.install = install
        self.port = free_port(APP_PORTS)
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def __enter__(self) -> "AppServer":
        self.process = self.install.popen(
            "runserver", "--noreload", "--nothreading", f"127.0.0.1:{self.port}"
        )
        if not wait_for(self._answers, 60):
            self.__exit__()
            raise RuntimeError("the web server did not start:\n" + self.output())
        return self

    def _answers(self) -> bool:
        try:
            return requests.get(self.base + "/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def __exit__(self, *exc_info):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)

    def output(self) -> str:
        return output_of(self.process)


# Taking the database away under a running app ---------------------------------------


class PostgresOutage:
    def __init__(self, folder):
        self.cluster = PrivatePostgres().init()
        self.cluster.start()
        self.cluster.create_database("helpdesk")
        self.install = Install(folder, self.cluster.url("helpdesk")).prepare()

    def take_away(self):
        self.cluster.stop()

    def bring_back(self):
        self.cluster.start()

    def close(self):
        self.cluster.remove()


class SQLiteOutage:
    def __init__(self, folder):
        self.path = folder / "helpdesk.sqlite3"
        self.away = folder / "away"
        self.away.mkdir()
        # A connection per request, as the file is opened anew each time.
        self.install = Install(
            folder, f"sqlite:///{self.path}", DATABASE_CONN_MAX_AGE="0"
        ).prepare()

    def _files(self, where):
        return [where / (self.path.name + suffix) for suffix in ("", "-wal", "-shm")]

    def take_away(self):
        for here, there in zip(self._files(self.path.parent), self._files(self.away), strict=True):
            if here.exists():
                shutil.move(here, there)
        self.path.mkdir()  # what stands at the database's path cannot be opened as one

    def bring_back(self):
        self.path.rmdir()
        for here, there in zip(self._files(self.path.parent), self._files(self.away), strict=True):
            if there.exists():
                shutil.move(there, here)

    def close(self):
        pass
