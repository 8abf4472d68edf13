"""The staff ticket page in-process: SQL queries, wall and CPU time per request.

    DATABASE_URL=sqlite:////tmp/ticket_view.sqlite3 .venv/bin/python bench/ticket_view.py
    [--requests 50] [--profile] [--portal]

The database is migrated and emptied first (point DATABASE_URL at a database of its own).
Two tickets are made, with 5 and with 50 thread entries (the bigger one with attachments,
collaborators, events and field changes); each page is fetched once to warm up, then
`--requests` times with Django's test client, DEBUG off, as a full-access agent and as a
view-only one. `--profile` prints cProfile's top functions for the 5-entry page.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/ticket_view.sqlite3")
os.environ["DJANGO_SETTINGS_MODULE"] = "helpdesk.settings"
os.environ["DEBUG"] = "false"
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="ticket_view_media")


def make_data():
    from datetime import time as clock_time
    from decimal import Decimal

    from django.utils import timezone

    from tests import factories
    from tickets import services
    from tickets.access import ticket_access_url
    from tickets.models import CannedResponse, Priority, SatisfactionRating, ThreadEntry
    from tickets.status import Status

    hours = factories.ScheduleFactory(name="Business hours", timezone="Europe/Berlin")
    for day in range(5):
        factories.WorkingHoursFactory(
            schedule=hours, weekday=day, start=clock_time(9), end=clock_time(17)
        )
    factories.HolidayFactory(schedule=hours)
    plan = factories.SLAPlanFactory(
        name="Sev-B",
        schedule=hours,
        first_response_hours=Decimal("1"),
        resolution_hours=Decimal("8"),
    )
    other_plan = factories.SLAPlanFactory(name="Sev-A")
    support = factories.DepartmentFactory(name="Support", sla_plan=plan)
    banking = factories.DepartmentFactory(name="Online Banking", sla_plan=plan)
    topic = factories.HelpTopicFactory(name="Card problems", department=support, sla_plan=plan)
    other_topic = factories.HelpTopicFactory(name="Other", department=support, sla_plan=plan)
    full = factories.RoleFactory(name="All Access", full=True)
    view = factories.RoleFactory(name="View only", view=True)
    john = factories.AgentFactory(
        user__email="john@example.com",
        user__full_name="John Miller",
        department=support,
        role=full,
        signature="John, Support",
    )
    factories.DepartmentAccessFactory(agent=john, department=banking, role=full)
    viewer = factories.AgentFactory(
        user__email="vic@example.com",
        user__full_name="Vic Viewer",
        department=support,
        role=view,
    )
    factories.DepartmentAccessFactory(agent=viewer, department=banking, role=view)
    jane = factories.AgentFactory(department=banking, role=full)
    for _n in range(8):
        factories.AgentFactory(department=support, role=full)
    team = factories.TeamFactory(name="Level 2")
    team.members.add(john)
    CannedResponse.objects.create(title="Thanks", body="Thank you, %{ticket.name}.\n%{signature}")
    CannedResponse.objects.create(
        title="Card blocked", body="Your card %{ticket.number} is blocked.", department=support
    )
    karen = factories.UserFactory(email="karen@example.com", full_name="Karen Taylor")

    tickets = {}
    for size in (5, 50):
        ticket = factories.TicketFactory(
            requester=karen, help_topic=topic, subject=f"Card declined ({size} entries)"
        )
        for n in range(size):
            kind = [ThreadEntry.Kind.MESSAGE, ThreadEntry.Kind.RESPONSE, ThreadEntry.Kind.NOTE][
                n % 3
            ]
            author = karen if kind == ThreadEntry.Kind.MESSAGE else john.user
            entry = factories.ThreadEntryFactory(
                ticket=ticket,
                kind=kind,
                author=author,
                author_name=author.full_name,
                body=f"Entry {n}\n\n" + "Some details of the problem. " * 20,
            )
            if size == 50 and n % 5 == 0:
                factories.AttachmentFactory(entry=entry)
                factories.AttachmentFactory(entry=entry, filename=f"shot-{n}.png")
        if size == 50:
            for n in range(4):
                services.add_collaborator(ticket, email=f"cc{n}@example.com")
            steps = [
                lambda t: services.change_priority(t, priority=Priority.HIGH, by=john),
                lambda t: services.assign_ticket(t, agent=jane, by=john),
                lambda t: services.assign_ticket(t, team=team, by=john),
                lambda t: services.transfer_ticket(t, department=banking, by=john),
                lambda t: services.change_help_topic(t, help_topic=other_topic, by=john),
                lambda t: services.change_sla_plan(t, sla_plan=other_plan, by=john),
                lambda t: services.change_sla_plan(t, sla_plan=plan, by=john),
                lambda t: services.change_priority(t, priority=Priority.EMERGENCY, by=john),
                lambda t: services.change_status(t, status=Status.RESOLVED, by=john),
            ]
            for step in steps:
                ticket.refresh_from_db()
                step(ticket)
            ticket.refresh_from_db()
            now = timezone.now()
            SatisfactionRating.objects.create(
                ticket=ticket,
                resolved_at=ticket.resolved_at,
                rating="good",
                comment="Quick, thanks",
                created_at=now,
                updated_at=now,
            )
        tickets[size] = ticket
    return john, viewer, karen, tickets, ticket_access_url


def timed(client, url, n):
    client.get(url)  # warm-up
    walls, cpus = [], []
    for _ in range(n):
        w, c = time.perf_counter(), time.process_time()
        response = client.get(url)
        cpus.append(time.process_time() - c)
        walls.append(time.perf_counter() - w)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return (
        len(queries.captured_queries),
        statistics.median(walls),
        statistics.median(cpus),
        min(cpus),
    )


def row(page, size, n, wall, cpu, best):
    ms = " | ".join(f"{seconds * 1000:.1f}" for seconds in (wall, cpu, best))
    print(f"| {page} | {size} | {n} | {ms} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-entries", type=int, choices=[5, 50], default=5)
    parser.add_argument("--queries", action="store_true", help="print the 5-entry page's SQL")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    john, viewer, karen, tickets, access_url = make_data()
    print(f"database: {connection.vendor}; {args.requests} requests each, after one warm-up")
    print("| page | entries | queries | wall ms (median) | CPU ms (median) | CPU ms (best) |")
    print("|---|---|---|---|---|---|")
    for who, agent in (("full agent", john), ("view-only agent", viewer)):
        client = Client()
        client.force_login(agent.user)
        for size, ticket in tickets.items():
            url = reverse("staff:ticket", kwargs={"number": ticket.number})
            n, wall, cpu, best = timed(client, url, args.requests)
            row(f"staff, {who}", size, n, wall, cpu, best)
    for size, ticket in tickets.items():
        client = Client()
        n, wall, cpu, best = timed(client, access_url(ticket, karen), args.requests)
        row("portal, access link", size, n, wall, cpu, best)
    client = Client()
    client.force_login(karen)
    for size, ticket in tickets.items():
        n, wall, cpu, best = timed(client, access_url(ticket, karen), args.requests)
        row("portal, signed in", size, n, wall, cpu, best)

    client = Client()
    client.force_login(john.user)
    url = reverse("staff:ticket", kwargs={"number": tickets[args.profile_entries].number})
    if args.queries:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        for q in queries.captured_queries:
            print(q["sql"][:300])
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(20):
            client.get(url)
        profile.disable()
        stats = pstats.Stats(profile).sort_stats("cumulative")
        stats.print_stats(45)


if __name__ == "__main__":
    main()
