"""A deployment of the helpdesk for a test: a database of its own (a PostgreSQL database
beside the test database, or an SQLite file), migrated and seeded by `manage.py` as an
operator would, Redis db 6 as the shared cache, and Procfile.serve's processes serving it.

The servers must see committed data and commit their own, so they do not use the test
database (whose test runs inside a transaction); the test reads what they wrote through
`manage.py shell` against the same database (`Deployment.run`).
"""

import json
import os
import secrets
import subprocess
import sys
import urllib.parse
from pathlib import Path

import psycopg
import redis
from psycopg import sql

from tests.serving.stack import REDIS_URL, ROOT, Stack


def _postgres_url(test_url: str, suffix: str) -> str:
    parts = urllib.parse.urlsplit(test_url)
    name = parts.path.lstrip("/") + suffix
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _server_url(url: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/postgres"))


def _name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


class Deployment:
    def __init__(self, tmp: Path, *, smtp_port: int, database_url: str | None = None):
        """On PostgreSQL when the test run is (a database named after the test run's, plus
        "_served"), else on an SQLite file; or on `database_url`'s PostgreSQL database,
        which is made afresh and dropped afterwards."""
        test_url = database_url or os.environ.get("DATABASE_URL", "")
        self.on_postgres = test_url.startswith(("postgres://", "postgresql://"))
        if database_url and self.on_postgres:
            self.database_url = database_url
        elif self.on_postgres:
            self.database_url = _postgres_url(test_url, "_served")
        else:
            self.database_url = f"sqlite:///{tmp / 'helpdesk.sqlite3'}"
        self.backend = "PostgreSQL" if self.on_postgres else "SQLite"
        self.tmp = tmp
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "CACHE_URL": REDIS_URL,
            "SECRET_KEY": secrets.token_urlsafe(50),  # one for every process
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "HELPDESK_VAR_DIR": str(tmp),
            "MEDIA_ROOT": str(tmp / "media"),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "DEFAULT_FROM_EMAIL": "Helpdesk <help@helpdesk.example>",
            "EMAIL_HELP_TOPIC": "General",
            "SLA_SWEEP_SECONDS": "10",
            # Every client of these tests comes from 127.0.0.1, where in production each person
            # has an address of their own: the per-address limits on anonymous tickets and API
            # requests are lifted. Sign-in lockouts stay (their test is one of LIMITS in
            # test_two_web_processes_and_two_workers.py).
            "WEB_TICKETS_PER_ADDRESS": "0",
            "API_REQUESTS_PER_ADDRESS": "0",
            "LOG_LEVEL": "WARNING",
            "GUNICORN_LOG_LEVEL": "warning",
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py's own
        self.stack = Stack(self.env, tmp / "logs")

    def run(self, *args: str, input: bytes | None = None) -> str:
        """`manage.py args…` against this deployment's database; its output."""
        done = subprocess.run(  # noqa: S603 (our own manage.py)
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=input,
            capture_output=True,
            timeout=300,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr.decode()}")
        return done.stdout.decode()

    def shell(self, function: str) -> dict:
        """Run tests.serving.seed.<function>() in `manage.py shell`; its JSON."""
        code = f"from tests.serving import seed; seed.{function}()"
        return json.loads(self.run("shell", "--no-startup", "-c", code).strip().splitlines()[-1])

    def facts(self) -> dict:
        return self.shell("facts")

    def __enter__(self) -> "Deployment":
        redis.Redis.from_url(REDIS_URL).flushdb()
        if self.on_postgres:
            self._drop()
            with psycopg.connect(_server_url(self.database_url), autocommit=True) as conn:
                conn.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(_name(self.database_url)))
                )
        self.run("migrate", "--noinput", "-v0")
        self.seeded = self.shell("seed")
        return self

    def __exit__(self, *exc_info) -> None:
        self.stack.stop()
        redis.Redis.from_url(REDIS_URL).flushdb()
        if self.on_postgres:
            self._drop()

    def _drop(self) -> None:
        with psycopg.connect(_server_url(self.database_url), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(_name(self.database_url))
                )
            )
