"""A helpdesk's data at scale, for the benchmarks: made with a fixed random seed, written with
COPY (psycopg 3's `cursor.copy`), and kept for the next run.

Two profiles share the same tickets' lives (created, answered, awaiting the user, ended,
reopened, rated; their events and ratings):

- `dashboard` (bench/dashboard.py): about 3 thread entries per ticket with a fixed text,
  one end user per ten tickets.
- `web` (bench/harness.py): about 5 thread entries per ticket (messages, responses and
  internal notes; one ticket in 2,000 has 50), subjects and texts drawn from a vocabulary
  with a Zipf-like distribution (COMMON_WORD is in most entries, RARE_WORD in very few),
  20,000 end users, and one more agent (LEAD_EMAIL, password LEAD_PASSWORD) who sees eight
  departments of ten.

The tickets' own draws come from one random generator and the web profile's extras from
another, so that the dashboard's data set is what it was before this module existed.

A data set is recorded in the table `bench_dataset` (profile, version, seed, tickets, its
"now", how long it took); `existing_anchor` finds it again when the ticket count still
matches, and `generate` empties the database and makes it anew.
"""

import bisect
import json
import math
import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from importlib import import_module
from time import perf_counter
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from accounts.models import Agent, DepartmentAccess, Role, Team, User
from sla.models import Schedule, SLAPlan, WorkingHours
from tickets.models import Department, Event, HelpTopic, SatisfactionRating, ThreadEntry, Ticket
from tickets.status import Status

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
PROFILES = ("dashboard", "web")
# The web profile: its end users, its agent who sees most departments, its words.
WEB_END_USERS = 20_000
LEAD_EMAIL = "lead@bench.example"
LEAD_PASSWORD = "bench-lead-password"  # noqa: S105 (a throwaway data set's)
LEAD_DEPARTMENTS = 8  # of 10: their own and seven by extended access
LONG_THREAD = 50  # entries of one ticket in LONG_EVERY
LONG_EVERY = 2_000
COMMON_WORD = "error"  # the most frequent word: in most entries
RARE_WORD = "quillbrook"  # the least frequent: in a few entries per 100,000
VOCABULARY = 20_000  # words, ranked; word r comes up with a weight of 1 / r ** ZIPF
ZIPF = 1.0
BATCH = 20_000  # tickets made and copied at a time


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


DATASET_TABLE = "bench_dataset"


def _dataset_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {DATASET_TABLE} (profile text, version int, "
            "seed bigint, tickets int, anchor timestamptz, seconds float, facts jsonb)"
        )


def dataset(count: int, profile: str = "dashboard", seed: int = SEED) -> dict | None:
    """The record of an existing data set of this size, profile and seed (None: there is
    none, or its tickets have changed since)."""
    _dataset_table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT anchor, seconds, facts FROM {DATASET_TABLE} "  # noqa: S608 (our name)
            "WHERE profile = %s AND version = %s AND seed = %s AND tickets = %s",
            [profile, VERSION, seed, count],
        )
        row = cursor.fetchone()
    if row is None or Ticket.objects.count() != count:
        return None
    anchor, seconds, facts = row
    facts = json.loads(facts) if isinstance(facts, str) else facts
    return {"anchor": anchor, "seconds": seconds, **facts}


def existing_anchor(count: int, profile: str = "dashboard", seed: int = SEED) -> datetime | None:
    """The "now" of an existing data set of this size (None: there is none)."""
    found = dataset(count, profile, seed)
    return found and found["anchor"]


def make_cast(
    rng: random.Random, count: int, anchor: datetime, end_users: int | None = None
) -> Cast:
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
            for n in range(end_users or max(100, count // 10))
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

    def __init__(self, words: "Words | None" = None):
        self.words = words  # the web profile's subjects, texts and longer threads
        self.tickets: list[tuple] = []
        self.events: list[tuple] = []
        self.entries: list[tuple] = []
        self.ratings: list[tuple] = []
        # Rows made so far, copied or not: the next row's id is one more.
        self.counts = dict.fromkeys(["tickets", "events", "entries", "ratings"], 0)

    def _add(self, table: str, row_without_id: tuple) -> None:
        self.counts[table] += 1
        getattr(self, table).append((self.counts[table], *row_without_id))

    def event(self, ticket: int, kind: str, actor: int | None, at: datetime, **data) -> None:
        self._add("events", (ticket, kind, actor, json.dumps(data), at))

    def entry(self, ticket: int, kind: str, author: int, name: str, at: datetime) -> None:
        if self.words is not None:
            body = self.words.body(kind)
        elif kind == "response":
            body = "Thanks, we are looking into it."
        else:
            body = "It does not work."
        self._add("entries", (ticket, kind, author, name, body, at, None, ""))

    def rating(self, ticket: int, resolved_at: datetime, good: bool, comment: str, at) -> None:
        good_or_bad = "good" if good else "bad"
        self._add("ratings", (ticket, resolved_at, good_or_bad, comment, at, at))

    def flush(self) -> None:
        """Copy the rows made so far and forget them."""
        copy(Ticket, Rows.TICKET, self.tickets)
        copy(Event, Rows.EVENT, self.events)
        copy(ThreadEntry, Rows.ENTRY, self.entries)
        copy(SatisfactionRating, Rows.RATING, self.ratings)
        for rows in (self.tickets, self.events, self.entries, self.ratings):
            rows.clear()


class Words:
    """The web profile's text: words of a ranked vocabulary drawn with a Zipf-like
    distribution (from a long stream drawn once, read at random places), and the longer
    threads. Its own random generator leaves the tickets' draws as they are."""

    SYLLABLES = tuple(
        [
            "ka",
            "lo",
            "mi",
            "ren",
            "ta",
            "vo",
            "sel",
            "dun",
            "pra",
            "gli",
            "tor",
            "mex",
            "ban",
            "qui",
            "fe",
            "zo",
            "lut",
            "nar",
            "ves",
            "ho",
        ]
    )
    # The most frequent words are a helpdesk's.
    TOP = (
        f"{COMMON_WORD} printer password email account login screen update network access "
        "laptop server invoice report phone meeting install restart slow broken license "
        "backup folder drive monitor keyboard vpn calendar outlook wifi"
    ).split()

    def __init__(self, seed: int):
        self.rng = random.Random(seed * 7 + 1)
        names = list(self.TOP)
        seen = set(names) | {RARE_WORD}
        while len(names) < VOCABULARY - 1:
            word = "".join(self.rng.choices(self.SYLLABLES, k=self.rng.randint(2, 4)))
            if word not in seen and RARE_WORD not in word and COMMON_WORD not in word:
                seen.add(word)
                names.append(word)
        names.append(RARE_WORD)  # the last rank
        weights = [1 / (rank**ZIPF) for rank in range(1, VOCABULARY + 1)]
        self.stream = self.rng.choices(names, weights=weights, k=2_000_000)
        self.rare_at = [n for n, word in enumerate(self.stream) if word == RARE_WORD]
        self.common_at = [n for n, word in enumerate(self.stream) if word == COMMON_WORD]
        self.found = {"rare": 0, "common": 0}  # entries holding each word

    def _words(self, count: int) -> tuple[int, int]:
        start = self.rng.randrange(len(self.stream) - count)
        for key, places in (("rare", self.rare_at), ("common", self.common_at)):
            n = bisect.bisect_left(places, start)
            if n < len(places) and places[n] < start + count:
                self.found[key] += 1
        return start, start + count

    def body(self, kind: str) -> str:
        median = 40 if kind == "message" else 30
        count = max(4, min(400, round(median * math.exp(self.rng.gauss(0, 0.6)))))
        start, end = self._words(count)
        return " ".join(self.stream[start:end]).capitalize() + "."

    def subject(self) -> str:
        start = self.rng.randrange(len(self.stream) - 8)
        return " ".join(self.stream[start : start + self.rng.randint(3, 8)]).capitalize()

    def more_entries(self, pk: int, made: int, responded: bool) -> int:
        """How many entries to add to a ticket that has `made`: about 5 in all, one ticket
        in LONG_EVERY has LONG_THREAD, one that nobody answered gets at most a follow-up."""
        if pk % LONG_EVERY == LONG_EVERY // 2:
            return LONG_THREAD - made
        if not responded:
            return int(self.rng.random() < 0.3)
        wanted = 2 + int(self.rng.expovariate(1 / 3.5))
        return max(0, min(wanted, 60) - made)


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
    subject = f"Printer {pk} jams on every page"
    if rows.words is not None:
        subject = rows.words.subject()
        more_entries(rows, pk, cast, department, requester, created, fr_at, updated)
    ticket = {
        "id": pk,
        "number": str(number),
        "subject": subject,
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
        "link_generation": 0,
    }
    rows.tickets.append(tuple(ticket[name] for name in Rows.TICKET))
    rows.counts["tickets"] += 1


def more_entries(rows: Rows, pk, cast, department, requester, created, fr_at, updated) -> None:
    """The web profile's further messages, responses and internal notes of a ticket, between
    its first response (or its creation) and its last change."""
    words = rows.words
    responded = fr_at is not None
    made = 0  # this ticket's entries are the last ones made
    while made < len(rows.entries) and rows.entries[-1 - made][1] == pk:
        made += 1
    count = words.more_entries(pk, made, responded)
    start = fr_at or created
    span = max((updated - start).total_seconds(), 3600.0)
    staff = cast.agents[department]
    for at in sorted(words.rng.uniform(1, span) for _ in range(count)):
        when = start + timedelta(seconds=round(at))
        draw = words.rng.random()
        if not responded or draw < 0.45:
            rows.entry(pk, "message", requester, "Customer", when)
        else:
            author = words.rng.choice(staff)[1]
            kind = "note" if draw > 0.85 else "response"
            rows.entry(pk, kind, author, "Agent", when)


def copy(model, columns: list[str], rows: list[tuple]) -> None:
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as stream,
    ):
        for row in rows:
            stream.write_row(row)


# The tables whose triggers keep PostgreSQL's per-ticket search documents (migration 0018).
SEARCH_TRIGGER_TABLES = (Ticket, ThreadEntry)


@contextmanager
def search_documents_made_after():
    """Copy with the search documents' triggers off, then make every document in one
    statement, as the migration that brought them does: a trigger per copied entry would
    rewrite a ticket's document once per entry."""
    migration = import_module("tickets.migrations.0018_ticket_search_document")
    tables = [connection.ops.quote_name(model._meta.db_table) for model in SEARCH_TRIGGER_TABLES]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    yield
    with connection.cursor() as cursor:
        # The copies' foreign keys are checked now rather than at commit: a table with
        # checks pending cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        started = perf_counter()
        cursor.execute("DROP INDEX IF EXISTS ticket_search_document")
        cursor.execute(migration.FILL)
        cursor.execute(migration.INDEX)
        print(f"  search documents made in {perf_counter() - started:.0f} s")


def add_lead(anchor: datetime) -> None:
    """The web profile's agent who sees most departments: their own (the busiest) and seven
    more by extended access, with a full role in each; the harness signs in as them."""
    role = Role.objects.get(name="Bench agent")
    departments = list(Department.objects.order_by("pk")[:LEAD_DEPARTMENTS])
    user = User.objects.create(
        email=LEAD_EMAIL,
        full_name="Lead Agent",
        password=make_password(LEAD_PASSWORD),
        date_joined=anchor - SPAN,
    )
    agent = Agent.objects.create(user=user, department=departments[0], role=role)
    DepartmentAccess.objects.bulk_create(
        DepartmentAccess(agent=agent, department=department, role=role)
        for department in departments[1:]
    )


def generate(count: int, profile: str = "dashboard", seed: int = SEED) -> datetime:
    """Empty the database and make a data set; print its counts; return its "now"."""
    started = perf_counter()
    call_command("flush", interactive=False, verbosity=0)
    _dataset_table()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {DATASET_TABLE}")  # noqa: S608 (our name)
    rng = random.Random(seed)
    # "Now" for the data and its reports: the last noon (UTC), so that the same seed makes
    # the same data whenever it runs, only moved by whole days.
    anchor = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    if anchor > datetime.now(UTC):
        anchor -= DAY
    words = Words(seed) if profile == "web" else None
    rows = Rows(words)
    with transaction.atomic():
        end_users = WEB_END_USERS if profile == "web" else None
        cast = make_cast(rng, count, anchor, end_users)
        if profile == "web":
            add_lead(anchor)
        numbers = rng.sample(range(1_000_000, 10_000_000), count)
        with search_documents_made_after():
            for pk in range(1, count + 1):
                make_ticket(rng, rows, pk, numbers[pk - 1], cast, anchor)
                if pk % BATCH == 0:
                    rows.flush()
            rows.flush()
        with connection.cursor() as cursor:
            for model in (Ticket, Event, ThreadEntry, SatisfactionRating):
                for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                    cursor.execute(sql)
    with connection.cursor() as cursor:  # as autovacuum would have, for honest plans
        tables = [m._meta.db_table for m in (Ticket, Event, ThreadEntry, SatisfactionRating, User)]
        for table in (*tables, "tickets_ticket_search"):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
    counts = rows.counts
    facts = {
        "events": counts["events"],
        "entries": counts["entries"],
        "ratings": counts["ratings"],
        "end_users": len(cast.requesters),
    }
    if words is not None:
        facts |= {f"{key}_entries": found for key, found in words.found.items()}
    seconds = perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DATASET_TABLE} VALUES (%s, %s, %s, %s, %s, %s, %s)",  # noqa: S608
            [profile, VERSION, seed, count, anchor, seconds, json.dumps(facts)],
        )
    print(
        f"  {counts['tickets']:,} tickets, {counts['events']:,} events, "
        f"{counts['entries']:,} thread entries, {counts['ratings']:,} ratings, "
        f"{len(cast.requesters):,} end users"
    )
    if words is not None:
        print(
            f"  entries with the common word “{COMMON_WORD}”: {words.found['common']:,}, "
            f"with the rare word “{RARE_WORD}”: {words.found['rare']:,}"
        )
    return anchor
