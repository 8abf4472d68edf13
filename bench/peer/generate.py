"""django-helpdesk 2.6.1's data set for the benchmark, shaped like bench/data.py's web profile;
run by bench/peer/__init__.py with var/peer-venv/bin/python (it imports django-helpdesk, not
our app):

    PEER_DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_peer \\
        var/peer-venv/bin/python bench/peer/generate.py --tickets 100000 [--fresh]

Migrates the database, then makes the data with a fixed seed unless the same data set is
already there (recorded in the table bench_peer_dataset and still holding that many
tickets): 10 queues of uneven size (our departments' weights), 50 staff agents and the
staff user STAFF_USERNAME who signs in (per-queue permissions are off, so a staff user sees
every queue), tickets over two years from 20,000 submitters' addresses (no accounts, as
submitters have none in django-helpdesk), about 15 % open (one in ten of those reopened)
and the rest resolved or closed, and about 5 follow-ups a ticket: the opening one
("Ticket Opened", the description), replies of agents and submitters and a few private
notes, one ticket in 2,000 with exactly 50; the last follow-up of an ended ticket changes
its status, with its TicketChange. Subjects and texts come from the same kind of Zipf-ranked
vocabulary as ours. The rows are written with COPY, then VACUUM ANALYZE. The last line
printed is `FACTS {json}`: what the harness reports.
"""

import argparse
import json
import math
import os
import random
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import perf_counter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerdesk.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Permission  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from helpdesk.models import FollowUp, Queue, Ticket, TicketChange  # noqa: E402

VERSION = 1
SEED = 20261203  # bench/data.py's
STAFF_USERNAME = "staff"
STAFF_PASSWORD = "bench-staff-password"  # noqa: S105 (a throwaway data set's)
QUEUE_WEIGHTS = [25, 18, 12, 10, 8, 8, 6, 5, 4, 4]  # bench/data.py's DEPARTMENT_WEIGHTS
AGENTS_PER_QUEUE = 5
SUBMITTERS = 20_000
SPAN = timedelta(days=730)
OPEN_SHARE = 0.15
LONG_THREAD, LONG_EVERY = 50, 2_000
COMMON_WORD, RARE_WORD = "error", "quillbrook"
VOCABULARY = 20_000
BATCH = 20_000
TABLE = "bench_peer_dataset"
# django-helpdesk's statuses and priorities.
OPEN, REOPENED, RESOLVED, CLOSED = 1, 2, 3, 4
STATUS_NAMES = {OPEN: "Open", REOPENED: "Reopened", RESOLVED: "Resolved", CLOSED: "Closed"}
PRIORITIES = ([1, 2, 3, 4, 5], [5, 20, 60, 10, 5])


class Words:
    """Subjects and texts: bench/data.py's Words, the same vocabulary's ranks and lengths."""

    SYLLABLES = [
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
        names.append(RARE_WORD)
        weights = [1 / rank for rank in range(1, VOCABULARY + 1)]
        self.stream = self.rng.choices(names, weights=weights, k=2_000_000)

    def body(self, median: int) -> str:
        count = max(4, min(400, round(median * math.exp(self.rng.gauss(0, 0.6)))))
        start = self.rng.randrange(len(self.stream) - count)
        return " ".join(self.stream[start : start + count]).capitalize() + "."

    def subject(self) -> str:
        start = self.rng.randrange(len(self.stream) - 8)
        return " ".join(self.stream[start : start + self.rng.randint(3, 8)]).capitalize()


def existing(count: int, seed: int) -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (version int, seed bigint, tickets int, "
            "seconds float, facts jsonb)"
        )
        cursor.execute(
            f"SELECT seconds, facts FROM {TABLE} WHERE version = %s AND seed = %s "  # noqa: S608
            "AND tickets = %s",
            [VERSION, seed, count],
        )
        row = cursor.fetchone()
    if row is None or Ticket.objects.count() != count:
        return None
    seconds, facts = row
    facts = json.loads(facts) if isinstance(facts, str) else facts
    return {**facts, "seconds": seconds, "reused": True}


def copy(model, rows: list[dict]) -> None:
    """COPY the rows (dicts by attname) into the model's table; a field a row leaves out
    gets its default, or NULL."""
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    defaults = {
        field.attname: (field.get_default() if field.has_default() else None) for field in fields
    }
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3's
        with raw.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as out:
            for row in rows:
                values = []
                for field in fields:
                    value = row.get(field.attname, defaults[field.attname])
                    if value is not None and field.get_internal_type() == "JSONField":
                        value = json.dumps(value)
                    values.append(value)
                out.write_row(values)


def generate(count: int, seed: int) -> dict:
    rng = random.Random(seed)
    words = Words(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE helpdesk_ticketchange, helpdesk_followup, helpdesk_ticket, "
            "helpdesk_queue, helpdesk_usersettings, django_session, auth_user, "
            f"{TABLE} RESTART IDENTITY CASCADE"
        )
    # A queue makes its permission when saved; an earlier data set's would clash.
    Permission.objects.filter(codename__startswith="queue_access_").delete()
    User = get_user_model()
    queues = [
        Queue.objects.create(
            title=f"Department {n + 1}",
            slug=f"dept{n + 1}",
            email_address=f"dept{n + 1}@bench.example",
            allow_public_submission=True,
        )
        for n in range(len(QUEUE_WEIGHTS))
    ]
    staff = User.objects.create_user(
        STAFF_USERNAME, "staff@bench.example", STAFF_PASSWORD, is_staff=True
    )
    agents = {}
    for queue in queues:
        agents[queue.pk] = [
            User.objects.create_user(
                f"agent{queue.pk}-{n}", f"agent{queue.pk}-{n}@bench.example", None, is_staff=True
            ).pk
            for n in range(AGENTS_PER_QUEUE)
        ]
    all_agents = [pk for pks in agents.values() for pk in pks] + [staff.pk]
    submitters = [f"user{n}@customer{n % 400}.example" for n in range(SUBMITTERS)]
    queue_ids = [queue.pk for queue in queues]

    followup_pk = change_pk = 0
    facts = {"tickets": 0, "followups": 0, "changes": 0, "open": 0}
    tickets, followups, changes = [], [], []

    def flush():
        copy(Ticket, tickets)
        copy(FollowUp, followups)
        copy(TicketChange, changes)
        tickets.clear()
        followups.clear()
        changes.clear()

    for pk in range(1, count + 1):
        queue = rng.choices(queue_ids, weights=QUEUE_WEIGHTS)[0]
        created = now - SPAN * rng.random() ** 0.8  # more of them recent
        ended = rng.random() >= OPEN_SHARE
        status = (
            (RESOLVED if rng.random() < 0.3 else CLOSED)
            if ended
            else (REOPENED if rng.random() < 0.1 else OPEN)
        )
        facts["open"] += not ended
        submitter = rng.choice(submitters)
        assigned = rng.choice(agents[queue]) if ended or rng.random() < 0.8 else None
        description = words.body(40)
        # About 5 follow-ups: the opening one and the replies, as bench/data.py's entries.
        if pk % LONG_EVERY == LONG_EVERY // 2:
            more = LONG_THREAD - 1
        else:
            more = max(0, min(2 + int(rng.expovariate(1 / 3.5)), 60) - 1)
        life = (now - created) * (rng.random() if ended else 1.0)
        times = sorted(created + life * rng.random() for _ in range(more))
        followup_pk += 1
        followups.append(
            {
                "id": followup_pk,
                "ticket_id": pk,
                "date": created,
                "title": "Ticket Opened",
                "comment": description,
                "public": True,
                "email_recipients": None,
            }
        )
        for n, at in enumerate(times):
            followup_pk += 1
            draw = rng.random()
            by_agent = draw < 0.55
            note = 0.55 <= draw < 0.65
            last = n == len(times) - 1
            row = {
                "id": followup_pk,
                "ticket_id": pk,
                "date": at,
                "title": ("Comment" if not note else "Private note")
                if by_agent or note
                else "E-Mail Received from " + submitter,
                "comment": words.body(30 if by_agent or note else 40),
                "public": not note,
                "user_id": rng.choice(agents[queue]) if by_agent or note else None,
                "email_recipients": None,
            }
            if last and ended:
                row |= {"new_status": status, "title": STATUS_NAMES[status]}
                row["user_id"] = row["user_id"] or assigned
                change_pk += 1
                changes.append(
                    {
                        "id": change_pk,
                        "followup_id": followup_pk,
                        "field": "Status",
                        "old_value": "Open",
                        "new_value": STATUS_NAMES[status],
                    }
                )
            followups.append(row)
        tickets.append(
            {
                "id": pk,
                "title": words.subject(),
                "queue_id": queue,
                "created": created,
                "modified": times[-1] if times else created,
                "submitter_email": submitter,
                "assigned_to_id": assigned,
                "status": status,
                "on_hold": False,
                "description": description,
                "resolution": words.body(20) if ended else None,
                "priority": rng.choices(*PRIORITIES)[0],
                "due_date": created + timedelta(days=rng.randint(1, 14))
                if rng.random() < 0.2
                else None,
                "secret_key": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            }
        )
        if len(tickets) == BATCH:
            flush()
            print(f"  {pk:,} tickets", flush=True)
    flush()
    with connection.cursor() as cursor:
        for model in (Ticket, FollowUp, TicketChange):
            table = model._meta.db_table
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            highest = f"SELECT COALESCE(MAX(id), 1) FROM {table}"  # noqa: S608 (its own)
            cursor.execute(f"SELECT setval({sequence}, ({highest}))")
    facts |= {
        "tickets": count,
        "followups": followup_pk,
        "changes": change_pk,
        "queues": len(queues),
        "agents": len(all_agents),
        "submitters": SUBMITTERS,
    }
    return facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    facts = None if args.fresh else existing(args.tickets, args.seed)
    if facts is None:
        print(f"generating django-helpdesk's {args.tickets:,} tickets (seed {args.seed})")
        began = perf_counter()
        with transaction.atomic():
            facts = generate(args.tickets, args.seed)
            seconds = perf_counter() - began
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {TABLE} VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
                    [VERSION, args.seed, args.tickets, seconds, json.dumps(facts)],
                )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            seconds = perf_counter() - began  # the whole time, as ours records it
            cursor.execute(
                f"UPDATE {TABLE} SET seconds = %s WHERE version = %s AND seed = %s "  # noqa: S608
                "AND tickets = %s",
                [seconds, VERSION, args.seed, args.tickets],
            )
        facts |= {"seconds": seconds, "reused": False}
        print(f"  generated in {seconds:.1f} s (with VACUUM ANALYZE)")
    # The ticket with 5 follow-ups that the harness views (the first such).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ticket_id FROM helpdesk_followup GROUP BY ticket_id HAVING count(*) = 5 "
            "ORDER BY ticket_id LIMIT 1"
        )
        facts["five"] = cursor.fetchone()[0]
    facts |= {"seed": args.seed, "username": STAFF_USERNAME, "password": STAFF_PASSWORD}
    print("FACTS " + json.dumps(facts))


if __name__ == "__main__":
    main()
