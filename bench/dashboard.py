"""How long the staff dashboard's figures take at scale: a full `tickets.reports.Report`.

Run from the repository root against a PostgreSQL database of its own (created beforehand;
the script migrates it and fills it; it is not the test suite's):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench_dash \\
        .venv/bin/python bench/dashboard.py [--tickets 100000] [--runs 5] [--fresh] [--explain]

Data: `--tickets` tickets over the last two years with their events, thread entries and
satisfaction ratings, made with a fixed random seed and written with COPY (no history rows,
no signals). A data set of the same size made by the same version of this script is reused;
`--fresh` makes it again.

Reports: every figure (each cached property of Report) for an administrator over all tickets
(last 30, 90 and 365 days), for an agent who sees two departments of ten (30 days) and for
one department (30 days); median and best of `--runs` runs, the queries per report and the
time of each part. `--explain` shows PostgreSQL's plan of the slowest query. It exits with an
error if a figure disagrees with a direct count.
"""

import argparse
import json
import math
import os
import random
import statistics
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import OuterRef, Q, Subquery  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Agent, DepartmentAccess, Role, Team, User  # noqa: E402
from sla.models import Schedule, SLAPlan, WorkingHours  # noqa: E402
from tickets import reports  # noqa: E402
from tickets.models import (  # noqa: E402
    Department,
    Event,
    HelpTopic,
    SatisfactionRating,
    ThreadEntry,
    Ticket,
)
from tickets.status import Status  # noqa: E402

# Changing how the data is made changes this, so that an older data set is made again.
VERSION = 1
SEED = 20261203
ADMIN_EMAIL = "admin@bench.example"
UNUSABLE = UNUSABLE_PASSWORD_PREFIX  # nobody signs in
ZONE = ZoneInfo("Europe/Berlin")
DEPARTMENTS = 10
AGENTS_PER_DEPARTMENT = 5  # 50 agents
TOPICS_PER_DEPARTMENT = 2  # 20 help topics
DEPARTMENT_WEIGHTS = [25, 18, 12, 10, 8, 8, 6, 5, 4, 4]
PRIORITIES = ([1, 2, 3, 4], [15, 60, 20, 5])  # low, normal, high, emergency
SOURCES = (["web", "email", "phone", "api"], [45, 45, 8, 2])
# Plans: name, first response hours, resolution hours.
PLANS = [("Standard", 8, 40), ("Priority", 2, 16), ("Basic", 24, 120)]
SPAN = timedelta(days=730)
MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


# The data ---------------------------------------------------------------------------------


@dataclass
class Cast:
    """Who and what the tickets are spread over (ids)."""

    departments: list[int]
    topics: dict[int, list[tuple[int, int | None]]]  # department: [(topic, its plan)]
    plans: list[int]
    department_plan: dict[int, int]
    agents: dict[int, list[tuple[int, int]]]  # department: [(agent, its user)]
    teams: list[int]
    requesters: list[int]


def marker() -> str:
    return f"Bench admin v{VERSION}"


def existing_anchor(count: int) -> datetime | None:
    """The "now" of an existing data set of this size (None: there is none)."""
    admin = User.objects.filter(email=ADMIN_EMAIL, full_name=marker()).first()
    if admin is None or Ticket.objects.count() != count:
        return None
    return admin.date_joined


def make_cast(rng: random.Random, count: int, anchor: datetime) -> Cast:
    """Plans, departments, topics, roles, agents (some limited, some with extended access),
    teams and end users, with the ORM."""
    schedule = Schedule.objects.create(name="Bench business hours", timezone="Europe/Berlin")
    WorkingHours.objects.bulk_create(
        WorkingHours(schedule=schedule, weekday=day, start=time(9), end=time(17))
        for day in range(5)
    )
    plans = SLAPlan.objects.bulk_create(
        SLAPlan(
            name=name,
            schedule=schedule,
            first_response_hours=first,
            resolution_hours=resolution,
            warning_percent=80,
        )
        for name, first, resolution in PLANS
    )
    departments = Department.objects.bulk_create(
        Department(name=f"Bench department {n + 1}", sla_plan=plans[n % 2]) for n in range(10)
    )
    topics = HelpTopic.objects.bulk_create(
        HelpTopic(
            name=f"Bench topic {d + 1}.{t + 1}",
            department=department,
            sla_plan=plans[(d + t) % 3] if t else None,  # None: the department's plan
            survey_enabled=(d + t) % 7 != 0,
        )
        for d, department in enumerate(departments)
        for t in range(TOPICS_PER_DEPARTMENT)
    )
    full, viewer = Role.objects.bulk_create(
        [
            Role(
                name="Bench agent",
                **dict.fromkeys(
                    ["view", "reply", "note", "edit", "assign", "transfer", "close", "create"],
                    True,
                ),
            ),
            Role(name="Bench viewer", view=True),
        ]
    )
    users = User.objects.bulk_create(
        [User(email=ADMIN_EMAIL, full_name=marker(), password=UNUSABLE, date_joined=anchor)]
        + [
            User(
                email=f"agent{n}@bench.example",
                full_name=f"Agent {n:02d}",
                password=UNUSABLE,
                date_joined=anchor - SPAN,
            )
            for n in range(1, DEPARTMENTS * AGENTS_PER_DEPARTMENT)
        ]
    )
    agents = Agent.objects.bulk_create(
        Agent(
            user=user,
            is_admin=n == 0,
            is_limited_access=n % 17 == 5,  # three of them
            department=departments[n % DEPARTMENTS],
            role=full,
        )
        for n, user in enumerate(users)
    )
    DepartmentAccess.objects.bulk_create(
        DepartmentAccess(
            agent=agents[n], department=departments[(n + 1) % DEPARTMENTS], role=viewer
        )
        for n in (1, 12, 23, 34, 45)  # agent 1 (department 2) also sees department 3
    )
    teams = Team.objects.bulk_create(Team(name=f"Bench team {n + 1}") for n in range(3))
    for n, team in enumerate(teams):
        team.members.set(agents[1 + n * 4 : 5 + n * 4])
    end_users = User.objects.bulk_create(
        (
            User(
                email=f"user{n}@customer.example",
                full_name=f"Customer {n}",
                password=UNUSABLE,
                date_joined=anchor - SPAN,
            )
            for n in range(max(100, count // 10))
        ),
        batch_size=10_000,
    )
    by_department: dict[int, list[tuple[int, int]]] = {d.pk: [] for d in departments}
    for agent in agents[1:]:
        by_department[agent.department_id].append((agent.pk, agent.user_id))
    topic_map: dict[int, list[tuple[int, int | None]]] = {d.pk: [] for d in departments}
    for topic in topics:
        topic_map[topic.department_id].append((topic.pk, topic.sla_plan_id))
    return Cast(
        departments=[d.pk for d in departments],
        topics=topic_map,
        plans=[p.pk for p in plans],
        department_plan={d.pk: d.sla_plan_id for d in departments},
        agents=by_department,
        teams=[t.pk for t in teams],
        requesters=[u.pk for u in end_users],
    )


def lognormal(rng: random.Random, median: timedelta, sigma: float) -> timedelta:
    return median * math.exp(rng.gauss(0, sigma))


class Rows:
    """The rows of the four big tables, as tuples in the columns' order."""

    TICKET = [f.attname for f in Ticket._meta.concrete_fields]
    EVENT = ["id", "ticket_id", "kind", "actor_id", "data", "created_at"]
    ENTRY = [
        "id",
        "ticket_id",
        "kind",
        "author_id",
        "author_name",
        "body",
        "created_at",
        "submission_key",
        "message_id",
    ]
    RATING = ["id", "ticket_id", "resolved_at", "rating", "comment", "created_at", "updated_at"]

    def __init__(self):
        self.tickets: list[tuple] = []
        self.events: list[tuple] = []
        self.entries: list[tuple] = []
        self.ratings: list[tuple] = []

    def event(self, ticket: int, kind: str, actor: int | None, at: datetime, **data) -> None:
        self.events.append((len(self.events) + 1, ticket, kind, actor, json.dumps(data), at))

    def entry(self, ticket: int, kind: str, author: int, name: str, at: datetime) -> None:
        body = "Thanks, we are looking into it." if kind == "response" else "It does not work."
        self.entries.append((len(self.entries) + 1, ticket, kind, author, name, body, at, None, ""))

    def rating(self, ticket: int, resolved_at: datetime, good: bool, comment: str, at) -> None:
        good_or_bad = "good" if good else "bad"
        self.ratings.append(
            (len(self.ratings) + 1, ticket, resolved_at, good_or_bad, comment, at, at)
        )


def make_ticket(rng: random.Random, rows: Rows, pk: int, number: int, cast: Cast, anchor):
    """One ticket's life: created, answered, maybe awaiting the user, overdue, ended,
    reopened and ended again, rated; its row, events, entries and rating."""
    is_open = rng.random() < 0.15
    # Open tickets lean recent (a backlog has more young tickets than old ones).
    age = SPAN * (rng.random() ** 2 if is_open else rng.random())
    created = (anchor - age).replace(microsecond=0)
    if created.hour < 6:  # most tickets come in working hours
        created += timedelta(hours=rng.randint(7, 10))
    created = min(created, anchor - MIN)
    department = rng.choices(cast.departments, DEPARTMENT_WEIGHTS)[0]
    topic, plan = None, cast.department_plan[department]
    if rng.random() < 0.9:
        topic, topic_plan = rng.choice(cast.topics[department])
        plan = topic_plan or plan
    if rng.random() < 0.1:
        plan = None
    priority = rng.choices(*PRIORITIES)[0]
    assignee = assignee_user = team = None
    staff = cast.agents[department]
    if rng.random() < (0.6 if is_open else 0.85):
        assignee, assignee_user = rng.choice(staff)
    elif rng.random() < 0.3:
        team = rng.choice(cast.teams)
    requester = rng.choice(cast.requesters)
    first_hours, resolution_hours = 8, 40
    if plan is not None:
        _name, first_hours, resolution_hours = PLANS[cast.plans.index(plan)]
    first_due = created + first_hours * HOUR * 2.5 if plan else None  # working to wall time
    resolution_due = created + resolution_hours * HOUR * 2.5 if plan else None

    def actor() -> int:
        return assignee_user or rng.choice(staff)[1]

    rows.event(pk, "created", requester, created, source="web", department="Bench")
    rows.entry(pk, "message", requester, "Customer", created)
    latest = anchor - MIN

    # The first response.
    responded = rng.random() < (0.6 if is_open else 0.95)
    fr_at = fr_on_time = fr_work = None
    if responded:
        fr_work = lognormal(rng, 90 * MIN, 1.4)
        fr_at = min(created + fr_work * rng.uniform(1, 3), latest)
        fr_on_time = fr_at <= first_due if plan else None
        fr_work = fr_work if plan else None
        responder = actor()
        rows.entry(pk, "response", responder, "Agent", fr_at)
        if assignee and rng.random() < 0.4:
            rows.event(pk, "assigned", responder, fr_at, agent="Agent", team=None)
        for _ in range(rng.choice([0, 0, 1, 1, 1, 2, 2, 3])):
            at = min(fr_at + lognormal(rng, 6 * HOUR, 1.2), latest)
            rows.entry(pk, "response", actor(), "Agent", at)
    after = fr_at or created

    # Waiting on the user for a while.
    status = Status.OPEN
    if responded and rng.random() < (0.35 if is_open else 0.2):
        asked = min(after + 10 * MIN, latest)
        rows.event(pk, "status_changed", actor(), asked, **{"from": "open", "to": "awaiting_user"})
        status = Status.AWAITING_USER
        back = asked + lognormal(rng, DAY, 1.0)
        if back < latest and (not is_open or rng.random() < 0.3):
            rows.event(
                pk, "status_changed", requester, back, **{"from": "awaiting_user", "to": "open"}
            )
            status, after = Status.OPEN, back

    # Ending (once, or twice with a reopen between), or still open after a reopen.
    resolved_at = closed_at = res_work = res_on_time = None
    late = False  # past the resolution due time while open
    reopened = rng.random() < (0.05 if is_open else 0.08)
    rounds = (1 if reopened else 0) + (0 if is_open else 1)
    for n in range(rounds):
        work = lognormal(rng, 4 * HOUR, 1.3)
        end = min(after + work * rng.uniform(1.2, 3) + MIN, latest)
        by_requester = rng.random() < 0.1
        target = "resolved" if by_requester or rng.random() < 0.7 else "closed"
        who = requester if by_requester else actor()
        extra = {"by_requester": True} if by_requester else {}
        rows.event(pk, "status_changed", who, end, **{"from": status.value, "to": target}, **extra)
        resolved_at = end
        closed_at = end if target == "closed" else None
        res_work = work if plan else None
        res_on_time = end <= resolution_due if plan else None
        late = late or res_on_time is False
        status = Status(target)
        if target == "resolved" and rng.random() < 0.28:
            rated = end + lognormal(rng, 3 * HOUR, 1.0)
            if rated < latest:
                good = rng.random() < 0.8
                comment = rng.choice(["", "", "Quick and friendly.", "Took too long."])
                rows.rating(pk, end, good, comment, rated)
                rows.event(pk, "rated", requester, rated, rating="good" if good else "bad")
        if n == 0 and reopened:
            back = end + lognormal(rng, DAY, 1.0)
            if back >= latest:
                break
            if rng.random() < 0.5:  # the requester's reply (data without "to")
                rows.event(pk, "reopened", requester, back, **{"from": status.value})
            else:
                rows.event(pk, "reopened", actor(), back, **{"from": status.value, "to": "open"})
            status, after = Status.OPEN, back
            resolved_at = closed_at = res_work = res_on_time = None
    if status == Status.RESOLVED and resolved_at + 7 * DAY < latest and rng.random() < 0.6:
        closed_at = resolved_at + 7 * DAY  # closed automatically a week later
        rows.event(
            pk,
            "status_changed",
            None,
            closed_at,
            automatic=True,
            **{"from": "resolved", "to": "closed"},
        )
        status = Status.CLOSED
    # Overdue: the sweep marks a ticket whose clock runs past its due time, once.
    late = late or (status == Status.OPEN and plan is not None and resolution_due < latest)
    if late:
        due = resolution_due.isoformat()
        rows.event(pk, "overdue", None, resolution_due, target="resolution", due=due)
    is_overdue = late and status in (Status.OPEN, Status.AWAITING_USER)
    updated = max(filter(None, [created, fr_at, resolved_at, closed_at, after]))
    ticket = {
        "id": pk,
        "number": str(number),
        "subject": f"Printer {pk} jams on every page",
        "requester_id": requester,
        "given_name": "",
        "given_phone": "",
        "source": rng.choices(*SOURCES)[0],
        "department_id": department,
        "help_topic_id": topic,
        "priority": priority,
        "sla_plan_id": plan,
        "assignee_id": assignee,
        "team_id": team,
        "status": status.value,
        "is_overdue": is_overdue,
        "is_answered": responded,
        "first_response_due_at": first_due,
        "resolution_due_at": resolution_due,
        "due_override_at": None,
        "first_responded_at": fr_at,
        "first_response_on_time": fr_on_time,
        "first_response_work": fr_work,
        "resolved_at": resolved_at,
        "resolution_on_time": res_on_time,
        "resolution_work": res_work,
        "closed_at": closed_at,
        "overdue_at": resolution_due if is_overdue else None,
        "sla_paused_work": timedelta(0),
        "sla_paused_since": None,
        "sla_warn_at": None,
        "first_response_warned": False,
        "resolution_warned": False,
        "created_at": created,
        "updated_at": updated,
        "submission_key": None,
        "revision": 0,
    }
    rows.tickets.append(tuple(ticket[name] for name in Rows.TICKET))


def copy(model, columns: list[str], rows: list[tuple]) -> None:
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as stream:
            for row in rows:
                stream.write_row(row)
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


def generate(count: int) -> datetime:
    call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(SEED)
    # "Now" for the data and its reports: the last noon (UTC), so that the same seed makes
    # the same data whenever it runs, only moved by whole days.
    anchor = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    if anchor > datetime.now(UTC):
        anchor -= DAY
    rows = Rows()
    with transaction.atomic():
        cast = make_cast(rng, count, anchor)
        numbers = rng.sample(range(1_000_000, 10_000_000), count)
        for pk in range(1, count + 1):
            make_ticket(rng, rows, pk, numbers[pk - 1], cast, anchor)
        copy(Ticket, Rows.TICKET, rows.tickets)
        copy(Event, Rows.EVENT, rows.events)
        copy(ThreadEntry, Rows.ENTRY, rows.entries)
        copy(SatisfactionRating, Rows.RATING, rows.ratings)
    with connection.cursor() as cursor:  # as autovacuum would have, for honest plans
        for model in (Ticket, Event, ThreadEntry, SatisfactionRating, User):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    print(
        f"  {len(rows.tickets):,} tickets, {len(rows.events):,} events, "
        f"{len(rows.entries):,} thread entries, {len(rows.ratings):,} ratings, "
        f"{len(cast.requesters):,} end users"
    )
    return anchor


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
