"""A load test on loopback: gunicorn and the task workers (Procfile.serve's lines) against one
database, Redis as the shared cache, a real SMTP sink; for a bounded time

- end users open tickets through the portal form and reply through their ticket's link,
- agents, signed in through the login form, list the open queue, open a ticket, reply,
  assign it and resolve it,
- mail arrives through the mail-in path (`manage.py ingest_email`, as a mail server's pipe
  runs it): new tickets, and replies to tickets opened by mail,
- some tickets are on an SLA plan whose first response is due 36 s after they open
  ("Outage"), left unanswered, so the worker's sweep marks them overdue and alerts.

Every submission carries a unique marker. Afterwards: every ticket and message is in the
database exactly once, every overdue ticket's alerts were sent exactly once, every queued
mail reached the SMTP server exactly once, and no answer was a 5xx. It prints the totals.

    make load LOAD_SECONDS=300 LOAD_USERS=20 LOAD_AGENTS=4      # or:
    DATABASE_URL=postgres://…/helpdesk_load .venv/bin/python -m tests.load.run --seconds 300
"""

import argparse
import os
import random
import re
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from tests.mailservers import SMTPSink
from tests.serving.deployment import Deployment
from tests.serving.seed import AGENTS, PASSWORD
from tests.serving.stack import ROOT
from tests.serving.visitor import PageError, Tally, Visitor

ACCESS_LINK = re.compile(r'href="(/tickets/view/[^"]+/)"')
NUMBER = re.compile(r"#(\d{6,})")
SWEEP_SECONDS = 10


@dataclass
class Plan:
    seconds: int = 40
    users: int = 4
    agents: int = 2
    webs: int = 2  # gunicorn processes, on ports of their own
    web_workers: int = 2  # each one's worker processes
    workers: int = 2  # db_worker processes
    mail_every: float = 2.0  # seconds between messages piped in
    seed: int = 17


@dataclass
class Record:
    """What the clients submitted, by marker, and what went wrong for them."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    tickets: dict[str, str] = field(default_factory=dict)  # marker → how (portal, mail)
    messages: dict[str, str] = field(default_factory=dict)  # marker → kind (reply, response…)
    actions: Counter = field(default_factory=Counter)
    refused: list[str] = field(default_factory=list)

    def ticket(self, marker: str, how: str) -> None:
        with self.lock:
            self.tickets[marker] = how

    def message(self, marker: str, kind: str) -> None:
        with self.lock:
            self.messages[marker] = kind

    def did(self, action: str) -> None:
        with self.lock:
            self.actions[action] += 1

    def refusal(self, text: str) -> None:
        with self.lock:
            self.refused.append(text)


def marker(kind: str) -> str:
    return f"{kind}{uuid.uuid4().hex[:12]}"


class EndUser:
    def __init__(self, n, webs, topics, record, tally, until, rng):
        self.n, self.webs, self.topics = n, webs, topics
        self.record, self.until, self.rng = record, until, rng
        self.visitor = Visitor(tally)
        self.links: list[str] = []
        self.email = f"load-user-{n}@customer.example"

    def web(self) -> str:
        return self.rng.choice(self.webs)

    def open_ticket(self) -> None:
        mark = marker("T")
        early = time.monotonic() < self.until - 30  # due (36 s) while the run lasts
        # Each person's first ticket, then a quarter of those opened early: some tickets
        # always fall due, however slowly a busy machine lets the run start.
        topic = "Outage" if early and (not self.links or self.rng.random() < 0.25) else "General"
        form = self.visitor.get(f"{self.web()}/tickets/new/", "portal: form")
        done = self.visitor.submit(
            form,
            "portal: open ticket",
            email=self.email,
            full_name=f"Load User {self.n}",
            help_topic=str(self.topics[topic]),
            subject=f"{topic} {mark} printer trouble",
            body=f"Details {mark}: the printer jams on every page.",
        )
        found = ACCESS_LINK.search(done.text)
        if "/tickets/new/done/" not in done.url or not found:
            self.record.refusal(f"portal form refused ({done.status_code})")
            return
        self.record.ticket(mark, "portal")
        self.links.append(found.group(1))

    def reply(self) -> None:
        link = self.web() + self.rng.choice(self.links)
        page = self.visitor.get(link, "portal: ticket")
        mark = marker("U")
        answer = self.visitor.submit(page, "portal: reply", "/reply/", body=f"Reply {mark}.")
        if "Your reply was posted." not in answer.text:
            self.record.refusal(f"portal reply refused ({answer.status_code})")
            return
        self.record.message(mark, "user reply")

    def run(self) -> None:
        while time.monotonic() < self.until:
            try:
                if self.links and self.rng.random() < 0.4:
                    self.reply()
                else:
                    self.open_ticket()
            except (PageError, OSError) as problem:
                self.record.refusal(f"end user: {problem}")
            time.sleep(self.rng.uniform(0.2, 1.0))


class Agent:
    def __init__(self, email, webs, record, tally, until, rng):
        self.email, self.webs, self.record, self.until, self.rng = email, webs, record, until, rng
        self.visitor = Visitor(tally)

    def run(self) -> None:
        self.visitor.sign_in(f"{self.rng.choice(self.webs)}/scp/login/", self.email, PASSWORD)
        while time.monotonic() < self.until:
            try:
                self.work_one()
            except (PageError, OSError) as problem:
                self.record.refusal(f"agent: {problem}")
            time.sleep(self.rng.uniform(0.2, 1.0))

    def work_one(self) -> None:
        web = self.rng.choice(self.webs)
        queue = self.visitor.get(f"{web}/scp/", "staff: queue")
        rows = re.findall(r'href="/scp/tickets/(\d{6,})/">([^<]*)<', queue.text)
        # "Outage" tickets are left unanswered, for the SLA sweep to find overdue.
        outages = {number for number, title in rows if "Outage" in title}
        numbers = sorted({number for number, _ in rows} - outages)
        if not numbers:
            return
        number = self.rng.choice(numbers)
        page = self.visitor.get(f"{web}/scp/tickets/{number}/", "staff: ticket")
        if page.status_code != 200:
            return
        action = self.rng.choices(["reply", "assign", "resolve"], [5, 2, 1])[0]
        if action == "reply":
            mark = marker("A")
            answer = self.visitor.submit(
                page, "staff: reply", "/reply/", body=f"Response {mark}: try again now."
            )
            if "Reply posted." in answer.text:
                self.record.message(mark, "agent response")
            else:
                self.record.refusal("agent reply refused (stale or invalid)")
        elif action == "assign":
            form = self.visitor.form(page, "/assign/")
            agents = [v for v in form.choices.get("assign-assignee", []) if v.startswith("agent:")]
            answer = self.visitor.submit(
                page, "staff: assign", "/assign/", **{"assign-assignee": self.rng.choice(agents)}
            )
            self.record.did("assign" if "Assignment updated." in answer.text else "assign refused")
        else:
            form = self.visitor.form(page, "/status/")
            if "resolved" in form.choices.get("status-status", []):
                answer = self.visitor.submit(
                    page, "staff: resolve", "/status/", **{"status-status": "resolved"}
                )
                done = "Status updated." in answer.text
                self.record.did("resolve" if done else "resolve refused")


class MailIn:
    """A mail server delivering messages through the mail-in path, one at a time: every
    other one piped to `manage.py ingest_email`, the others posted to osTicket's
    `/api/tickets.email` (as osTicket's automail.php pipes them)."""

    def __init__(self, deployment, webs, record, tally, until, every, rng):
        self.deployment, self.webs, self.record, self.until, self.every, self.rng = (
            deployment,
            webs,
            record,
            until,
            every,
            rng,
        )
        self.visitor = Visitor(tally)
        self.piped = False
        self.opened: list[tuple[str, str, str]] = []  # (marker, sender, message-id)

    def message(self) -> tuple[EmailMessage, str, str]:
        mark = marker("M")
        message = EmailMessage()
        if self.opened and self.rng.random() < 0.4:
            first, sender, first_id = self.rng.choice(self.opened)
            message["Subject"] = f"Re: Mail {first} VPN drops"
            message["In-Reply-To"] = first_id
            message["References"] = first_id
            kind = "mail reply"
        else:
            sender = f"mail-{uuid.uuid4().hex[:8]}@customer.example"
            message["Subject"] = f"Mail {mark} VPN drops"
            kind = "mail ticket"
        message["From"] = f"Mail Person <{sender}>"
        message["To"] = "help@helpdesk.example"
        message["Message-ID"] = make_msgid(domain="customer.example")
        message.set_content(f"Mail {mark}: the VPN drops every hour.\n")
        return message, mark, kind

    def run(self) -> None:
        while time.monotonic() < self.until:
            message, mark, kind = self.message()
            self.piped = not self.piped
            try:
                if self.piped:
                    self.deployment.run("ingest_email", input=message.as_bytes())
                else:
                    answer = self.visitor.post(
                        f"{self.rng.choice(self.webs)}/api/tickets.email",
                        message.as_bytes(),
                        "api: tickets.email",
                        headers={"X-API-Key": self.deployment.seeded["mail_key"]},
                    )
                    if answer.status_code != 201:
                        raise RuntimeError(f"answered {answer.status_code}: {answer.text[:200]}")
            except (RuntimeError, OSError) as problem:
                self.record.refusal(f"mail in: {problem}")
            else:
                if kind == "mail ticket":
                    self.record.ticket(mark, "mail")
                    sender = message["From"].addresses[0].addr_spec
                    self.opened.append((mark, sender, message["Message-ID"]))
                else:
                    self.record.message(mark, kind)
                self.record.did(kind)
            time.sleep(self.every)


@dataclass
class Outcome:
    problems: list[str]
    totals: str


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(2)
    return condition()


def check(deployment, sink, record, tally, elapsed) -> Outcome:
    """Wait for the workers to finish (sweep, mail), then compare; the problems found."""
    facts = {}

    def settled() -> bool:
        facts.update(deployment.facts())
        due = [t for t in facts["due"] if t["should_be_overdue"] and not t["is_overdue"]]
        soon = [t for t in facts["due"] if t["falls_due_soon"]]
        unsent = [m for m in facts["mail"] if m[2] != "sent"]
        return not due and not soon and not unsent

    # The sweep runs every SWEEP_SECONDS; the last tickets were due up to 36 s after the end:
    # the run waits until each was due long enough for a sweep to have marked it.
    _wait_for(settled, 120)
    time.sleep(3)  # a message sent twice would arrive now
    problems = []
    subjects = [subject for subject, _ in facts["tickets"]]
    bodies = [body for _, _, body in facts["entries"]]
    for mark, how in record.tickets.items():
        made = sum(mark in subject for subject in subjects)
        if made != 1:
            problems.append(f"ticket {mark} ({how}) is in the database {made} times")
    for mark, kind in record.messages.items():
        made = sum(mark in body for body in bodies)
        if made != 1:
            problems.append(f"message {mark} ({kind}) is in the database {made} times")
    late = [t["number"] for t in facts["due"] if t["should_be_overdue"] and not t["is_overdue"]]
    if late:
        problems.append(f"past due but not marked overdue: {late}")
    overdue = Counter(facts["overdue_events"])
    if any(n > 1 for n in overdue.values()):
        problems.append(f"marked overdue more than once: {overdue}")
    alerts = Counter(map(tuple, facts["overdue_alerts"]))
    if any(n > 1 for n in alerts.values()):
        problems.append(f"an overdue alert recorded twice: {alerts}")
    if set(number for number, _ in alerts) != set(overdue):
        problems.append("an overdue ticket without its alerts (or alerts without the event)")
    overdue_mail = [m for m in facts["mail"] if m[1] == "agent.overdue"]
    if len(overdue_mail) != len(alerts):
        problems.append(f"{len(alerts)} overdue alerts but {len(overdue_mail)} alert mails")
    # Sent in the snapshot (then the sink has it), and everything the sink has was queued by
    # the time of a later snapshot: the sweep may queue more alerts meanwhile.
    sent = {m[0].strip("<>") for m in facts["mail"] if m[2] == "sent"}
    received = Counter(message.message["Message-ID"].strip("<>") for message in sink.messages)
    later = deployment.facts()
    queued = Counter(m[0].strip("<>") for m in later["mail"])
    twice = [k for k, n in received.items() if n > 1]
    never, foreign = sent - set(received), set(received) - set(queued)
    if twice or never or foreign:
        problems.append(
            f"{sum(queued.values())} mails queued, {sum(received.values())} received: "
            f"{len(twice)} twice, {len(never)} sent but never received, {len(foreign)} "
            "received but never queued"
        )
    if tally.five_hundreds:
        problems.append(f"{tally.five_hundreds} answers were 5xx: {tally.server_errors[:5]}")
    unsent = [m for m in facts["mail"] if m[2] != "sent"]
    if unsent:
        problems.append(f"{len(unsent)} mails not sent: {unsent[:3]}")

    kinds = Counter(record.messages.values())
    lines = [
        f"Load test: {elapsed:.0f} s on {deployment.backend}",
        "requests by kind: "
        + ", ".join(f"{kind} {n}" for kind, n in sorted(tally.by_kind.items())),
        f"requests: {tally.requests} ({tally.requests / elapsed:.1f}/s); statuses: "
        + ", ".join(f"{status} {n}" for status, n in sorted(tally.by_status.items())),
        f"tickets: {len(record.tickets)} submitted "
        f"({sum(h == 'portal' for h in record.tickets.values())} portal, "
        f"{sum(h == 'mail' for h in record.tickets.values())} mail), "
        f"{len(facts['tickets'])} in the database",
        "replies: " + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())),
        "agent actions: " + ", ".join(f"{a} {n}" for a, n in sorted(record.actions.items())),
        f"mails: {sum(queued.values())} queued, {sum(received.values())} received by SMTP",
        f"overdue: {len(overdue)} tickets marked, {len(overdue_mail)} alert mails sent",
        f"5xx answers: {tally.five_hundreds}; refused by the app (not errors): "
        + (", ".join(f"{why} {n}" for why, n in Counter(record.refused).most_common()) or "0"),
    ]
    return Outcome(problems, "\n".join(lines))


def run(plan: Plan, tmp: Path, database_url: str | None = None) -> Outcome:
    rng = random.Random(plan.seed)  # noqa: S311 (a load, not a secret)
    with (
        SMTPSink() as sink,
        Deployment(tmp, smtp_port=sink.port, database_url=database_url) as deployment,
    ):
        stack = deployment.stack
        webs = [stack.web(workers=plan.web_workers) for _ in range(plan.webs)]
        for _ in range(plan.workers):
            stack.worker()
        record, tally = Record(), Tally()
        began = time.monotonic()
        until = began + plan.seconds
        topics = deployment.seeded["topics"]
        actors = [
            EndUser(n, webs, topics, record, tally, until, random.Random(rng.random()))  # noqa: S311
            for n in range(plan.users)
        ]
        actors += [
            Agent(AGENTS[1 + n % 3], webs, record, tally, until, random.Random(rng.random()))  # noqa: S311
            for n in range(plan.agents)
        ]
        actors.append(MailIn(deployment, webs, record, tally, until, plan.mail_every, rng))
        threads = [threading.Thread(target=actor.run) for actor in actors]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
        outcome = check(deployment, sink, record, tally, elapsed)
        if outcome.problems:
            outcome.totals += "\n" + (stack.server_errors() or stack.logs_text())
        return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--agents", type=int, default=4)
    parser.add_argument("--webs", type=int, default=2)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mail-every", type=float, default=1.0)
    args = parser.parse_args()
    import tempfile

    plan = Plan(
        seconds=args.seconds,
        users=args.users,
        agents=args.agents,
        webs=args.webs,
        web_workers=args.web_workers,
        workers=args.workers,
        mail_every=args.mail_every,
    )
    with tempfile.TemporaryDirectory(prefix="helpdesk-load-") as tmp:
        outcome = run(plan, Path(tmp), os.environ.get("DATABASE_URL"))
    print(outcome.totals)
    for problem in outcome.problems:
        print("PROBLEM:", problem)
    sys.exit(1 if outcome.problems else 0)


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
