"""Tickets per second through osTicket's API, POST /api/tickets.json, under gunicorn.

Run from the repository root, against a PostgreSQL database of your own (created and
migrated if missing; what the run adds is deleted afterwards):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_osapi \\
        .venv/bin/python bench/api_intake.py [--seconds 10] [--clients 8]

Serving as bench/harness.py serves the pages: gunicorn with 2 sync workers, DEBUG off,
persistent database connections. CLIENTS threads in this process each post, for a fixed
time, the JSON osTicket documents, as its PHP sample client sends it (form content type, the
key in X-API-Key): a data-URL message of about 500 bytes, a phone with an extension, the
submitter's IP, and one small base64 text file. The rate is the tickets the database gained
over the time the clients ran; every answer must be 201 with a number, each a different
one. The SQL of one request is counted in this process with Django's test client.
"""

import argparse
import base64
import json
import os
import random
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helpdesk_osapi")

from bench.harness import HOST, WORKERS, Gunicorn, create_database, free_port  # noqa: E402
from bench.intake import Marks, Result, _details, cpu_seconds  # noqa: E402

CLIENTS = 8
URL = "/api/tickets.json"
FILE = "data:text/plain;base64," + base64.b64encode(b"uptime: 12 days\nload: 7.2\n").decode()


def ticket_json(rng: random.Random, client: int, n: int) -> bytes:
    message = base64.b64encode(_details(rng).encode()).decode()
    return json.dumps(
        {
            "alert": True,
            "autorespond": True,
            "source": "API",
            "name": f"Monitor {client}",
            "email": f"monitor{client}@bench.example",
            "phone": "3185558634X123",
            "subject": f"Check failed on host {client}-{n}",
            "ip": "192.0.2.10",
            "message": f"data:text/plain;charset=utf-8;base64,{message}",
            "attachments": [{"status.txt": FILE}],
        }
    ).encode()


class Client(threading.Thread):
    """One program posting tickets as fast as the answers come, until the time is up."""

    def __init__(self, base: str, key: str, number: int, until: float):
        super().__init__(daemon=True)
        self.base, self.key, self.number, self.until = base, key, number, until
        self.rng = random.Random(number)
        self.numbers: list[str] = []
        self.latencies: list[float] = []
        self.problems: list[str] = []

    def run(self) -> None:
        n = 0
        while perf_counter() < self.until:
            n += 1
            request = urllib.request.Request(  # noqa: S310 (our own local server)
                self.base + URL,
                data=ticket_json(self.rng, self.number, n),
                headers={
                    "X-API-Key": self.key,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                method="POST",
            )
            began = perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
                    status, body = answer.status, answer.read().decode().strip()
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read().decode(errors="replace").strip()
            self.latencies.append((perf_counter() - began) * 1000)
            if status == 201 and body.isdigit():
                self.numbers.append(body)
            else:
                self.problems.append(f"{status}: {body[:120]}")


def setting_up() -> str:
    """A help topic in a department with one agent (to be alerted), and a key; the key."""
    from accounts.models import Agent, Role, User
    from api import services
    from api.models import ApiKey
    from tickets.models import Department, HelpTopic

    department, _ = Department.objects.get_or_create(name="API bench")
    HelpTopic.objects.get_or_create(name="API bench", defaults={"department": department})
    if not Agent.objects.filter(department=department).exists():
        role = Role.objects.filter(name="API bench").first() or Role.objects.create(
            name="API bench"
        )
        user = User.objects.create_user("api.bench.agent@bench.example", full_name="Bench")
        Agent.objects.create(user=user, department=department, role=role)
    ApiKey.objects.filter(name="API bench").delete()
    return services.create_api_key(ApiKey(name="API bench", rate_per_minute=2_000_000_000))


def count_queries(key: str) -> int:
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        answer = TestClient().generic(
            "POST",
            URL,
            ticket_json(random.Random(0), 0, 0),
            content_type="application/x-www-form-urlencoded",
            headers={"X-API-Key": key},
            REMOTE_ADDR=HOST,
            SERVER_NAME=HOST,
        )
    if answer.status_code != 201:
        raise SystemExit(f"The counted request was answered {answer.status_code}")
    return len(captured.captured_queries)


def measure(base: str, key: str, seconds: int, clients: int, workers: list[int]) -> Result:
    from tickets.models import Ticket

    result = Result("API, tickets.json", f"{clients} clients, {WORKERS} gunicorn workers")
    before = Ticket.objects.count()
    cpu_before = cpu_seconds(workers)
    began = perf_counter()
    threads = [Client(base, key, n, began + seconds) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = perf_counter() - began
    result.done = Ticket.objects.count() - before
    result.rate = result.done / result.seconds
    numbers = [number for thread in threads for number in thread.numbers]
    result.latencies = [ms for thread in threads for ms in thread.latencies]
    result.problems = [problem for thread in threads for problem in thread.problems][:5]
    if len(set(numbers)) != len(numbers) or len(numbers) != result.done:
        result.problems.append(f"{len(numbers)} numbers answered, {result.done} tickets made")
    if result.done:
        result.cpu_ms = (cpu_seconds(workers) - cpu_before) * 1000 / result.done
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Run it against PostgreSQL: DATABASE_URL=postgres://…")
    create_database(url)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    key = setting_up()
    marks = Marks()  # after the set-up, which stays for the next run
    try:
        queries = count_queries(key)
        env = {
            **os.environ,
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "LOG_LEVEL": "WARNING",
            # All calls come from one address: its limit would measure itself, not the API.
            "API_REQUESTS_PER_ADDRESS": "0",
        }
        port = free_port()
        with Gunicorn(port, env) as server:
            result = measure(
                f"http://{HOST}:{port}", key, args.seconds, args.clients, server.workers()
            )
    finally:
        from api.models import ApiKey

        marks.delete_since()
        ApiKey.objects.filter(name="API bench").delete()
    cpu = f"; {result.cpu_ms:.0f} ms of server CPU per ticket" if result.cpu_ms else ""
    print(
        f"{result.name} ({result.how}): {result.done} tickets in {result.seconds:.1f} s = "
        f"{result.rate:.1f} tickets/s; POST p50 {result.p50:.0f} ms, p99 {result.p99:.0f} ms; "
        f"{queries} SQL queries per ticket{cpu}"
    )
    for problem in result.problems:
        print(f"  problem: {problem}")
    if result.problems:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
