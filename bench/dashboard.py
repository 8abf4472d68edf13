"""How long the staff dashboard's figures take at scale: a full `tickets.reports.Report`.

Run from the repository root against a PostgreSQL database of its own (created beforehand;
the script migrates it and fills it; it is not the test suite's):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench_dash \\
        .venv/bin/python bench/dashboard.py [--tickets 100000] [--runs 5] [--fresh] [--explain]

Data: `--tickets` tickets over the last two years with their events, thread entries and
satisfaction ratings, made by bench/data.py's `dashboard` profile with a fixed random seed
and written with COPY (no history rows, no signals). A data set of the same size made by the
same version of bench/data.py is reused; `--fresh` makes it again.

Reports: every figure (each cached property of Report) for an administrator over all tickets
(last 30, 90 and 365 days), for an agent who sees two departments of ten (30 days) and for
one department (30 days); median and best of `--runs` runs, the queries per report and the
time of each part. `--explain` shows PostgreSQL's plan of the slowest query. It exits with an
error if a figure disagrees with a direct count.
"""

import argparse
import os
import statistics
import sys
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import OuterRef, Q, Subquery  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Agent  # noqa: E402
from bench.data import DAY, SEED, ZONE, existing_anchor, generate  # noqa: E402
from tickets import reports  # noqa: E402
from tickets.models import Department, Event, SatisfactionRating, Ticket  # noqa: E402

# The reports ------------------------------------------------------------------------------

PARTS = ["backlog", "days", "totals", "by_plan", "by_department", "by_agent", "satisfaction"]


@dataclass
class Case:
    label: str
    tickets: object  # a QuerySet
    days: int


def full_report(case: Case, anchor, agents, departments) -> reports.Report:
    period = reports.Period.last_days(case.days, ZONE, now=anchor)
    report = reports.Report(
        reports.Scope(tickets=case.tickets, period=period, now=anchor),
        agents=agents,
        departments=departments,
    )
    for part in PARTS:
        getattr(report, part)
    return report


def profile(case: Case, anchor, agents, departments):
    """One more run, query by query: (part, seconds, sql) per query."""
    period = reports.Period.last_days(case.days, ZONE, now=anchor)
    report = reports.Report(
        reports.Scope(tickets=case.tickets, period=period, now=anchor),
        agents=agents,
        departments=departments,
    )
    queries = []
    for part in PARTS:
        with CaptureQueriesContext(connection) as captured:
            getattr(report, part)
        queries += [(part, float(q["time"]), q["sql"]) for q in captured.captured_queries]
    return report, queries


def check(case: Case, report: reports.Report, anchor) -> list[str]:
    """Figures that disagree with a direct count."""
    period = report.period
    tickets = case.tickets
    expected = {
        "created": tickets.filter(created_at__gte=period.starts_at, created_at__lte=anchor).count(),
        "first responses": tickets.filter(period.contains("first_responded_at")).count(),
        "open now": tickets.filter(status__in=reports.OPEN).count(),
        "ratings": SatisfactionRating.objects.filter(
            period.contains("resolved_at"), ticket__in=tickets
        ).count(),
    }
    got = {
        "created": report.totals.created,
        "first responses": report.totals.first_responses,
        "open now": report.backlog["total"],
        "ratings": report.satisfaction.ratings,
    }
    wrong = [f"{k}: {got[k]} instead of {v}" for k, v in expected.items() if got[k] != v]
    if report.days[-1].open_at_end != report.backlog["total"]:
        wrong.append("today's open at the end of the day is not the backlog")
    # The first day's open tickets, counted the long way: created by the end of the day,
    # and not ended then (no ending or reopening event yet, or a reopening last).
    first = report.days[0]
    end_of_day = datetime.combine(first.day + DAY, time(), ZONE)
    moves = Event.objects.filter(
        reports._ending() | Q(kind=Event.Kind.REOPENED),
        ticket=OuterRef("pk"),
        created_at__lt=end_of_day,
    ).order_by("-created_at", "-pk")
    open_then = (
        tickets.filter(created_at__lt=end_of_day)
        .annotate(last_move=Subquery(moves.values("kind")[:1]))
        .filter(Q(last_move__isnull=True) | Q(last_move=Event.Kind.REOPENED))
        .count()
    )
    if first.open_at_end != open_then:
        wrong.append(f"open at the end of {first.day}: {first.open_at_end} instead of {open_then}")
    if any(day.open_at_end < 0 for day in report.days):
        wrong.append("a day ended with fewer than no open tickets")
    if sum(row.open_now for row in report.by_department) != report.backlog["total"]:
        wrong.append("the departments' open tickets do not add up to the backlog")
    if not report.totals.created or not report.by_agent:
        wrong.append("nothing counted")
    return wrong


def explain(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return [line for (line,) in cursor.fetchall()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per report")
    parser.add_argument("--fresh", action="store_true", help="make the data set again")
    parser.add_argument("--explain", action="store_true", help="show the plan of the slowest query")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run it against PostgreSQL: set DATABASE_URL (see the docstring).")
    call_command("migrate", verbosity=0)
    anchor = None if args.fresh else existing_anchor(args.tickets)
    if anchor is None:
        print(f"generating {args.tickets:,} tickets (seed {SEED})")
        started = perf_counter()
        anchor = generate(args.tickets)
        print(f"  generated in {perf_counter() - started:.1f} s")
    else:
        print(f"reusing the {args.tickets:,} tickets as of {anchor:%Y-%m-%d %H:%M} UTC")

    agents = list(Agent.objects.select_related("user"))
    departments = list(Department.objects.all())
    # An agent who sees two departments of ten (their own and one by extended access), is
    # in a team, and is not an administrator.
    agent = Agent.objects.get(user__email="agent1@bench.example")
    department = Department.objects.get(name="Bench department 1")
    everything = Ticket.objects.all()
    cases = [
        Case("admin, all tickets, 30 days", everything, 30),
        Case("admin, all tickets, 90 days", everything, 90),
        Case("admin, all tickets, 365 days", everything, 365),
        Case("agent, 2 departments of 10, 30 days", Ticket.objects.visible_to(agent), 30),
        Case(
            "one department (the busiest), 30 days",
            reports.scoped(everything, department=department),
            30,
        ),
    ]
    failures = []
    slowest = (0.0, "", "", "")
    print(f"{args.runs} runs each; seconds for a full report (every figure):")
    for case in cases:
        full_report(case, anchor, agents, departments)  # warm the cache
        seconds = []
        for _ in range(args.runs):
            started = perf_counter()
            full_report(case, anchor, agents, departments)
            seconds.append(perf_counter() - started)
        report, queries = profile(case, anchor, agents, departments)
        parts = {}
        for part, took, _sql in queries:
            n, total = parts.get(part, (0, 0.0))
            parts[part] = (n + 1, total + took)
        print(
            f"{case.label}: median {statistics.median(seconds):.3f} s, "
            f"min {min(seconds):.3f} s; {len(queries)} queries"
        )
        print(
            "    "
            + ", ".join(f"{part} {n}q {total:.3f}" for part, (n, total) in parts.items() if n)
        )
        for part, took, sql in queries:
            if took > slowest[0]:
                slowest = (took, case.label, part, sql)
        failures += [f"{case.label}: {problem}" for problem in check(case, report, anchor)]
    took, label, part, sql = slowest
    print(f"slowest query: {took:.3f} s, {part} of '{label}'")
    if args.explain:
        print(sql)
        for line in explain(sql)[:30]:
            print("   ", line)
    if failures:
        raise SystemExit("wrong figures:\n" + "\n".join(failures))


if __name__ == "__main__":
    main()
