"""Intake under load, for the harness (bench/harness.py): tickets per second through the
portal's web form, and raw email messages ingested per second.

Web form: CLIENTS threads in the harness's process, each as a person at a browser against the
harness's gunicorn, for a fixed time: load "Open a New Ticket" (its CSRF cookie and token,
its one-time submission key, the help topics it offers), post the filled-in form as the
browser would (multipart, the fields the form names, about 500 bytes of details, an empty
file input), follow the redirect to the confirmation page and read the ticket's number from
it. The rate is the tickets the database gained over the time the clients ran; every
redirect must name one ticket, each a different one, each with the submission key its form
carried. Then a run of the POSTs alone (the form loaded once per client, a fresh key per
post, the redirect not followed) shows what the form page and the confirmation page cost.

Email: PROCESSES processes forked from the harness, each for a fixed time passing raw RFC 822
messages to tickets.inbound.intake.receive, the path every way of receiving mail takes
(`manage.py ingest_email`, the mailboxes' fetching, the API): two in three open tickets (one
in two of those with a small PDF, some from the data set's customers), one in three reply to
a ticket that process opened. Every message must be imported as one ticket or one reply.

The SQL of one intake (web form POST; email message) is counted in this process, as the
harness counts the pages'. What intake added (tickets and their rows, users, mail queued,
messages stored, their files) is deleted afterwards, so that the data set is reused.
"""

import http.cookiejar
import multiprocessing
import os
import queue
import random
import re
import resource
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from statistics import quantiles
from time import perf_counter

CLIENTS = 8  # as wrk's connections for the pages
PROCESSES = 2  # ingesting side by side, as two pipe deliveries or fetching workers
WEB_TARGET = 200  # tickets/s through the web form (the performance issue's)
MAIL_TARGET = 100  # messages/s ingested
FORM = "/tickets/new/"
WORDS = [
    "printer",
    "jams",
    "every",
    "page",
    "since",
    "this",
    "morning",
    "the",
    "screen",
    "shows",
    "an",
    "error",
    "and",
    "the",
    "queue",
    "stays",
    "full",
    "restart",
    "did",
    "not",
    "help",
    "our",
    "whole",
    "floor",
    "cannot",
    "print",
    "invoices",
    "before",
    "noon",
    "please",
    "advise",
    "the",
    "laptop",
    "is",
    "on",
    "the",
    "office",
    "network",
    "and",
    "other",
    "printers",
    "work",
    "fine",
]


def _details(rng: random.Random) -> str:
    """About 500 bytes of text, in sentences, as a person would type them."""
    sentences = []
    while sum(len(s) + 1 for s in sentences) < 500:
        words = rng.choices(WORDS, k=rng.randint(8, 16))
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def percentile(values: list[float], percent: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return quantiles(values, n=100, method="inclusive")[percent - 1]


@dataclass
class Result:
    """One intake path's run: what was done, its rate and latencies, what went wrong."""

    name: str
    how: str
    target: float | None = None
    seconds: float = 0.0
    done: int = 0  # tickets made, or messages ingested
    rate: float = 0.0
    latencies: list[float] = field(default_factory=list)  # ms, of the measured step
    queries: int | None = None
    first_queries: int | None = None
    cpu_ms: float | None = None  # the serving processes' CPU time per ticket or message
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 50)

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 99)

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return not self.problems and self.rate >= self.target


def cpu_seconds(pids: list[int]) -> float:
    """The CPU time (user and system) these processes have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


# The web form -----------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_KEY = re.compile(r'name="submission_key" value="([^"]+)"')
_TOPICS = re.compile(r'<option value="(\d+)"')
_CREATED = re.compile(r"Ticket #(\d+) created")


def _multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    """The body a browser posts for this form: its fields and an empty file input."""
    boundary = "----bench" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n"
    )
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


@dataclass
class _Client:
    """One person's browser: its cookies, what it posted and what it was answered."""

    base: str
    n: int
    posts_only: bool = False
    redirects: int = 0
    numbers: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)
    form_ms: list[float] = field(default_factory=list)
    done_ms: list[float] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )
        self.rng = random.Random(self.n)

    def _get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def load_form(self) -> tuple[str, str, list[str]]:
        began = perf_counter()
        page = self._get(FORM)
        self.form_ms.append((perf_counter() - began) * 1000)
        token, key = _TOKEN.search(page), _KEY.search(page)
        topics = _TOPICS.findall(page)
        if token is None or key is None or not topics:
            raise SystemExit("the web form has no CSRF token, submission key or help topic")
        return token.group(1), key.group(1), topics

    def fill(self, token: str, key: str, topics: list[str], count: int) -> dict[str, str]:
        # Half the people are the data set's customers, half write in for the first time.
        if self.rng.random() < 0.5:
            email = f"user{self.rng.randrange(20_000)}@customer.example"
        else:
            email = f"intake-{self.n}-{count}-{uuid.uuid4().hex[:8]}@new.example"
        return {
            "csrfmiddlewaretoken": token,
            "submission_key": key,
            "kept_uploads": "",
            "email": email,
            "full_name": f"Person {self.n}.{count}",
            "phone": "+49 30 1234567" if self.rng.random() < 0.3 else "",
            "help_topic": self.rng.choice(topics),
            "subject": f"Printer {self.n}-{count} jams on every page",
            "body": _details(self.rng),
        }

    def post(self, fields: dict[str, str]) -> str | None:
        """Post the form; the redirect's target, or None (refused: the reason is kept)."""
        body, content_type = _multipart(fields)
        request = urllib.request.Request(  # noqa: S310 (our own server)
            self.base + FORM, data=body, headers={"Content-Type": content_type}
        )
        began = perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                page = response.read().decode()
                status = response.status
        except urllib.error.HTTPError as answer:
            self.post_ms.append((perf_counter() - began) * 1000)
            if answer.code in (301, 302, 303):
                self.redirects += 1
                self.keys.append(fields["submission_key"])
                return answer.headers["Location"]
            self.refused.append(f"{answer.code}")
            return None
        self.post_ms.append((perf_counter() - began) * 1000)
        errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*(?:<strong>)?([^<]+)', page)
        self.refused.append(f"{status}: {'; '.join(e.strip() for e in errors) or 'no redirect'}")
        return None

    def run(self, until: float) -> None:
        count = 0
        if self.posts_only:
            token, _key, topics = self.load_form()
        while perf_counter() < until:
            count += 1
            if self.posts_only:
                key = str(uuid.uuid4())  # as the form would give each load
            else:
                token, key, topics = self.load_form()
            target = self.post(self.fill(token, key, topics, count))
            if target is None or self.posts_only:
                continue
            began = perf_counter()
            page = self._get(urllib.parse.urlsplit(target).path)
            self.done_ms.append((perf_counter() - began) * 1000)
            found = _CREATED.search(page)
            if found is None:
                self.refused.append("the confirmation page names no ticket")
            else:
                self.numbers.append(found.group(1))


def _run_clients(base: str, seconds: int, posts_only: bool) -> tuple[list[_Client], float]:
    clients = [_Client(base, n, posts_only) for n in range(CLIENTS)]
    began = perf_counter()
    until = began + seconds
    threads = [threading.Thread(target=c.run, args=(until,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return clients, perf_counter() - began


def _web_run(base: str, seconds: int, posts_only: bool, workers: list[int]) -> Result:
    from tickets.models import Ticket

    last = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    cpu = cpu_seconds(workers)
    clients, elapsed = _run_clients(base, seconds, posts_only)
    cpu = cpu_seconds(workers) - cpu
    made = Ticket.objects.filter(pk__gt=last)
    created = made.count()
    redirects = sum(c.redirects for c in clients)
    keys = [key for c in clients for key in c.keys]
    result = Result(
        "Web form, POSTs alone" if posts_only else "Web form",
        f"{CLIENTS} clients, {seconds} s, "
        + (
            "the form loaded once per client, a fresh key per POST"
            if posts_only
            else "form, POST, confirmation page"
        ),
        target=None if posts_only else WEB_TARGET,
        seconds=elapsed,
        done=created,
        rate=created / elapsed,
        latencies=[ms for c in clients for ms in c.post_ms],
        cpu_ms=cpu * 1000 / created if created else None,
    )
    if redirects != created:
        result.problems.append(f"{redirects} redirects but {created} tickets made")
    in_db = set(made.values_list("submission_key", flat=True))
    if len(set(keys)) != len(keys) or {uuid.UUID(k) for k in keys} != in_db:
        result.problems.append("the tickets made are not one per redirected form's key")
    if not posts_only:
        numbers = [n for c in clients for n in c.numbers]
        if len(numbers) != redirects or len(set(numbers)) != len(numbers):
            result.problems.append(
                f"{len(set(numbers))} different numbers on {redirects} confirmation pages"
            )
        elif set(numbers) != set(made.values_list("number", flat=True)):
            result.problems.append("the confirmation pages name other tickets than were made")
        form_ms = [ms for c in clients for ms in c.form_ms]
        done_ms = [ms for c in clients for ms in c.done_ms]
        total = sum(form_ms) + sum(result.latencies) + sum(done_ms)
        if total:
            result.notes.append(
                f"time per ticket: form page p50 {percentile(form_ms, 50):.0f} ms, POST p50 "
                f"{result.p50:.0f} ms, confirmation page p50 {percentile(done_ms, 50):.0f} ms; "
                f"of the clients' waiting, {sum(form_ms) / total:.0%} on the form page, "
                f"{sum(result.latencies) / total:.0%} on the POST, "
                f"{sum(done_ms) / total:.0%} on the confirmation page"
            )
    refused = [reason for c in clients for reason in c.refused]
    if refused:
        result.problems.append(f"{len(refused)} posts refused (first: {refused[0][:160]})")
    return result


def count_web_queries(result: Result) -> None:
    """The SQL of one web form POST that makes a ticket (a new person's), the second of two
    in this process, as in a worker that has served before."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tickets.models import HelpTopic

    topic = HelpTopic.objects.offered().order_by("pk").first()
    counts = []
    for n in range(2):
        client = Client(HTTP_HOST="127.0.0.1")
        page = client.get(FORM).content.decode()
        key = _KEY.search(page).group(1)
        data = {
            "submission_key": key,
            "email": f"intake-count-{n}-{uuid.uuid4().hex[:8]}@new.example",
            "full_name": "Person Counted",
            "help_topic": topic.pk,
            "subject": "Printer jams on every page",
            "body": _details(random.Random(n)),
        }
        with CaptureQueriesContext(connection) as captured:
            response = client.post(FORM, data)
        if response.status_code != 302:
            result.problems.append(f"counting the SQL: the POST answered {response.status_code}")
            return
        counts.append(len(captured.captured_queries))
    result.first_queries, result.queries = counts


def measure_web(base: str, seconds: int, workers: list[int]) -> list[Result]:
    """The web form's runs against the harness's gunicorn at `base` (its `workers`' pids)."""
    whole = _web_run(base, seconds, False, workers)
    count_web_queries(whole)
    alone = _web_run(base, seconds, True, workers)
    alone.queries, alone.first_queries = whole.queries, whole.first_queries
    return [whole, alone]


# Email ------------------------------------------------------------------------------------

ATTACHMENT = "JVBERi0xLjQK" + "A" * 64 + "\r\n"  # a base64 line; 16 of them: about 1.2 KB


def our_address() -> str:
    """The helpdesk's own address (DEFAULT_FROM_EMAIL's), which the messages are sent to."""
    from django.conf import settings

    return settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].strip("> ")


def new_message(tag: str, n: int, sender: str, attach: bool) -> bytes:
    head = (
        f"From: Person {n} <{sender}>\r\n"
        f"To: {our_address()}\r\n"
        f"Subject: Printer {tag}-{n} jams on every page\r\n"
        f"Message-ID: <{tag}-{n}@bench.example>\r\n"
        "Date: Wed, 02 Dec 2026 09:00:00 +0100\r\n"
        "MIME-Version: 1.0\r\n"
    )
    text = f"Since this morning printer {n} jams on every page.\r\nRegards\r\n"
    if not attach:
        return (head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text).encode()
    return (
        head + 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + "--b\r\n"
        'Content-Type: application/pdf; name="scan.pdf"\r\n'
        'Content-Disposition: attachment; filename="scan.pdf"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n" + ATTACHMENT * 16 + "--b--\r\n"
    ).encode()


def reply_message(tag: str, n: int, number: str, to: int, sender: str) -> bytes:
    return (
        f"From: Person {to} <{sender}>\r\n"
        f"To: {our_address()}\r\n"
        f"Subject: Re: [#{number}] Printer {tag}-{to} jams on every page\r\n"
        f"Message-ID: <{tag}-reply-{n}@bench.example>\r\n"
        f"In-Reply-To: <{tag}-{to}@bench.example>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "It still jams.\r\n\r\nOn Wed, Helpdesk wrote:\r\n> We received your request\r\n"
    ).encode()


def _ingest_for(worker: int, seconds: float, tag: str, answers) -> None:
    """One process's messages for `seconds`: what it sent, by Message-ID and kind."""
    from django.db import connection

    from tickets.inbound.intake import receive
    from tickets.models import InboundMail

    began = resource.getrusage(resource.RUSAGE_SELF)
    rng = random.Random(worker)
    opened: dict[int, tuple[str, str]] = {}  # n: (number, sender)
    sent: list[tuple[str, str, str]] = []  # (message id, "new"/"reply", the one it answers)
    until = perf_counter() + seconds
    n = 0
    while perf_counter() < until:
        n += 1
        if n % 3 == 0 and opened:
            to = rng.choice(list(opened)[-50:])
            number, sender = opened[to]
            raw = reply_message(tag, n, number, to, sender)
            kind, mid, answers_mid = (
                "reply",
                f"{tag}-reply-{n}@bench.example",
                f"{tag}-{to}@bench.example",
            )
        else:
            if rng.random() < 0.3:
                sender = f"user{rng.randrange(20_000)}@customer.example"
            else:
                sender = f"{tag}-{n}@new.example"
            raw = new_message(tag, n, sender, attach=n % 2 == 1)
            kind, mid, answers_mid = "new", f"{tag}-{n}@bench.example", ""
        record = receive(raw, source=InboundMail.Source.PIPE)
        if kind == "new" and record.ticket_id:
            opened[n] = (record.ticket.number, sender)
        sent.append((mid, kind, answers_mid))
    connection.close()
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = used.ru_utime + used.ru_stime - began.ru_utime - began.ru_stime
    answers.put((sent, cpu))


def measure_mail(seconds: int) -> Result:
    """PROCESSES processes ingesting for `seconds`; each message checked afterwards."""
    from django.db import connection

    from tickets.models import InboundMail, ThreadEntry, Ticket

    last_ticket = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    connection.close()  # each process opens its own
    fork = multiprocessing.get_context("fork")
    answers = fork.Queue()
    run = uuid.uuid4().hex[:8]
    processes = [
        fork.Process(target=_ingest_for, args=(w, seconds, f"intake-{run}-{w}", answers))
        for w in range(PROCESSES)
    ]
    began = perf_counter()
    for process in processes:
        process.start()
    try:
        shares = [answers.get(timeout=seconds + 300) for _ in processes]
    except queue.Empty:
        raise SystemExit("an ingesting process stopped without an answer") from None
    sent = [item for share, _cpu in shares for item in share]
    cpu = sum(cpu for _share, cpu in shares)
    for process in processes:
        process.join()
    elapsed = perf_counter() - began
    result = Result(
        "Email ingest",
        f"{PROCESSES} processes, {seconds} s, tickets.inbound.intake.receive "
        "(2/3 new tickets, half of them with a 1 KB PDF; 1/3 replies)",
        target=MAIL_TARGET,
        seconds=elapsed,
        done=len(sent),
        rate=len(sent) / elapsed,
        cpu_ms=cpu * 1000 / len(sent) if sent else None,
    )
    ids = [mid for mid, _kind, _ in sent]
    records = InboundMail.objects.filter(message_id__in=ids)
    by_status = {}
    for status in records.values_list("status", flat=True):
        by_status[status] = by_status.get(status, 0) + 1
    imported = by_status.get(InboundMail.Status.IMPORTED, 0)
    if imported != len(sent):
        result.problems.append(f"{imported} of {len(sent)} imported ({by_status})")
    new_ids = [mid for mid, kind, _ in sent if kind == "new"]
    reply_ids = [mid for mid, kind, _ in sent if kind == "reply"]
    tickets = Ticket.objects.filter(pk__gt=last_ticket, source="email").count()
    openings = ThreadEntry.objects.filter(message_id__in=new_ids).count()
    replies = ThreadEntry.objects.filter(message_id__in=reply_ids, kind="message").count()
    if tickets != len(new_ids) or openings != len(new_ids):
        result.problems.append(
            f"{len(new_ids)} new-ticket messages made {tickets} tickets, {openings} entries"
        )
    if replies != len(reply_ids):
        result.problems.append(f"{len(reply_ids)} replies made {replies} entries")
    on_ticket = dict(
        ThreadEntry.objects.filter(message_id__in=ids).values_list("message_id", "ticket_id")
    )
    astray = [
        m for m, kind, to in sent if kind == "reply" and on_ticket.get(m) != on_ticket.get(to)
    ]
    if astray:
        result.problems.append(f"{len(astray)} replies are not on the ticket they answer")
    result.notes.append(f"{len(new_ids)} new tickets, {len(reply_ids)} replies")
    count_mail_queries(result, run)
    return result


def count_mail_queries(result: Result, run: str) -> None:
    """The SQL of one message that opens a ticket (with its PDF), the second of two."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tickets.inbound.intake import receive
    from tickets.models import InboundMail

    counts = []
    for n in range(2):
        raw = new_message(f"intake-{run}-count", n, f"intake-{run}-count-{n}@new.example", True)
        with CaptureQueriesContext(connection) as captured:
            record = receive(raw, source=InboundMail.Source.PIPE)
        if record.status != InboundMail.Status.IMPORTED:
            result.problems.append(f"counting the SQL: the message was {record.status}")
            return
        counts.append(len(captured.captured_queries))
    result.first_queries, result.queries = counts


# Afterwards -------------------------------------------------------------------------------


class Marks:
    """The newest row of each table intake writes to, taken before it runs, so that what it
    added can be deleted afterwards and the data set reused."""

    def __init__(self):
        from django.utils import timezone

        self.at = timezone.now()
        self.last = {name: _last(model) for name, model in _models().items()}

    def delete_since(self) -> None:
        from django.core.files.storage import default_storage
        from django.db import transaction
        from django_tasks_db.models import DBTaskResult

        from tickets.models import Attachment, InboundMail

        models = _models()
        new = {name: models[name].objects.filter(pk__gt=self.last[name]) for name in models}
        files = [
            *new["inbound"].exclude(raw="").values_list("raw", flat=True),
            *Attachment.objects.filter(entry__pk__gt=self.last["entries"]).values_list(
                "file", flat=True
            ),
        ]
        with transaction.atomic():
            InboundMail.objects.filter(pk__gt=self.last["inbound"]).delete()
            new["tickets"].delete()  # with their entries, events, files, collaborators
            new["entries"].delete()  # replies to the data set's tickets, if any
            new["events"].delete()
            new["history"].delete()
            new["mail"].delete()
            new["users"].delete()
            DBTaskResult.objects.filter(enqueued_at__gte=self.at).delete()
        for name in files:
            default_storage.delete(name)


def _models() -> dict:
    from accounts.models import User
    from helpdesk.mail.models import OutgoingMail
    from tickets.models import Event, InboundMail, ThreadEntry, Ticket

    return {
        "tickets": Ticket,
        "entries": ThreadEntry,
        "events": Event,
        "history": Ticket.history.model,
        "mail": OutgoingMail,
        "inbound": InboundMail,
        "users": User,
    }


def _last(model) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# Output -----------------------------------------------------------------------------------


def table(results: list[Result]) -> str:
    lines = [
        "| intake | how | made | seconds | per second | target | POST / message p50 ms "
        "| p99 ms | SQL | CPU ms each | verdict |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        sql = "–" if r.queries is None else str(r.queries)
        if r.first_queries not in (None, r.queries):
            sql += f" (first {r.first_queries})"
        latency = [f"{r.p50:.0f}", f"{r.p99:.0f}"] if r.latencies else ["–", "–"]
        if r.met is None:
            verdict = "; ".join(r.problems) or "–"
        elif r.met:
            verdict = "met"
        else:
            verdict = "; ".join(r.problems) or f"missed ({r.rate:.0f} of {r.target:.0f}/s)"
        cells = [r.name, r.how, str(r.done), f"{r.seconds:.1f}", f"{r.rate:.1f}"]
        cpu = f"{r.cpu_ms:.0f}" if r.cpu_ms is not None else "–"
        cells += [f"≥ {r.target:.0f}" if r.target else "–", *latency, sql, cpu, verdict]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def section(results: list[Result]) -> str:
    """The results file's section on intake."""
    lines = [
        "## Intake",
        "",
        "Web form: the same gunicorn, anonymous (the demo settings allow it), "
        f"{CLIENTS} clients as people at browsers (bench/intake.py); the rate counts the "
        "tickets the database gained. Email: "
        f"{PROCESSES} processes through `tickets.inbound.intake.receive`, against the same "
        "database with its data set. SQL: one web form POST, one message with a PDF that "
        "opens a ticket, in the harness's process (the second of two). CPU ms each: the CPU "
        "time the gunicorn workers (web) or the ingesting processes (email) used during the "
        "run, per ticket or message, which other work on the machine disturbs less than the "
        "rates (PostgreSQL's own time is not in it). What intake added is deleted afterwards.",
        "",
        table(results),
        "",
    ]
    for r in results:
        lines += [f"- {r.name}: {note}." for note in r.notes]
    lines.append("")
    return "\n".join(lines)
