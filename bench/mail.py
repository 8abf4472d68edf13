"""How fast mail goes in and out: raw messages ingested per second, messages sent per second.

Run from the repository root against a PostgreSQL server (the database is created, migrated
and emptied for the run; it is not the test suite's):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench \\
        .venv/bin/python bench/mail.py [--messages 1000] [--workers N]

Ingest: each message goes through `ingest_email`'s code path (tickets.inbound.intake.receive:
stored and committed, parsed, turned into a ticket or a reply, its notifications queued);
two in three are new tickets with an attachment, one in three replies to an earlier one,
in as many processes as the machine has cores (--workers).
Send: the queued notifications are sent by the worker's task (helpdesk.mail.outbox), one
SMTP connection each, to a local aiosmtpd server. One line each, with the rate.
"""

import argparse
import multiprocessing
import os
import sys
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from helpdesk.mail.models import OutgoingMail  # noqa: E402
from helpdesk.mail.outbox import send_outgoing_mail  # noqa: E402
from tests import factories  # noqa: E402
from tests.mailservers import SMTPSink  # noqa: E402
from tickets.inbound.intake import receive  # noqa: E402
from tickets.models import InboundMail  # noqa: E402

ATTACHMENT = "A" * 76 + "\r\n"  # one line of a base64 body, 20 lines: about 1.1 KB


def new_ticket(n: int) -> bytes:
    return (
        f"From: Person {n} <person{n}@example.com>\r\n"
        "To: support@helpdesk.example\r\n"
        f"Subject: Printer {n} jams on every page\r\n"
        f"Message-ID: <bench-{n}@example.com>\r\n"
        "Date: Wed, 02 Dec 2026 09:00:00 +0100\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Since this morning printer {n} jams on every page.\r\nRegards\r\n"
        '--b\r\nContent-Type: application/pdf; name="scan.pdf"\r\n'
        'Content-Disposition: attachment; filename="scan.pdf"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n" + ATTACHMENT * 20 + "--b--\r\n"
    ).encode()


def reply(n: int, number: str, to: int) -> bytes:
    return (
        f"From: Person {to} <person{to}@example.com>\r\n"
        "To: support@helpdesk.example\r\n"
        f"Subject: Re: [#{number}] Printer {to} jams on every page\r\n"
        f"Message-ID: <bench-reply-{n}@example.com>\r\n"
        f"In-Reply-To: <bench-{to}@example.com>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "It still jams.\r\n\r\nOn Wed, Helpdesk wrote:\r\n> We received your request\r\n"
    ).encode()


def prepare() -> None:
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)  # every table emptied
    topic = factories.HelpTopicFactory(name="Bench printers")
    factories.AgentFactory(department=topic.department)  # agents get the new-ticket alerts


def ingest_share(worker: int, workers: int, count: int) -> None:
    """One process's share of the messages: every `workers`-th, new tickets and replies."""
    numbers: dict[int, str] = {}
    for n in range(worker, count, workers):
        if n % 3 == 2 and numbers:
            to = max(numbers)
            receive(reply(n, numbers[to], to), source=InboundMail.Source.PIPE)
        else:
            record = receive(new_ticket(n), source=InboundMail.Source.PIPE)
            if record.ticket_id:
                numbers[n] = record.ticket.number
    connection.close()


def ingest(count: int, workers: int) -> float:
    connection.close()  # each process opens its own
    fork = multiprocessing.get_context("fork")
    processes = [
        fork.Process(target=ingest_share, args=(worker, workers, count))
        for worker in range(workers)
    ]
    started = perf_counter()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    elapsed = perf_counter() - started
    imported = InboundMail.objects.filter(status=InboundMail.Status.IMPORTED).count()
    if imported != count:
        raise SystemExit(f"only {imported} of {count} messages were imported")
    return elapsed


def send(sink: SMTPSink) -> tuple[int, float]:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": sink.host, "port": sink.port, "timeout": 10},
        }
    }
    queued = list(OutgoingMail.objects.filter(status="queued").values_list("pk", flat=True))
    started = perf_counter()
    for pk in queued:
        send_outgoing_mail.call(pk)
    elapsed = perf_counter() - started
    sent = OutgoingMail.objects.filter(status="sent").count()
    if sent != len(queued) or len(sink.messages) != len(queued):
        raise SystemExit(f"{sent} sent, {len(sink.messages)} received of {len(queued)}")
    return len(queued), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes ingesting at once, as a mail server's pipe deliveries or several "
        "workers fetching run side by side (default: one per core)",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run it against PostgreSQL: set DATABASE_URL (see the docstring).")
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <support@helpdesk.example>"
    settings.HELPDESK_AUTORESPONSES_PER_HOUR = 10**9
    settings.MEDIA_ROOT = ROOT / "var" / "bench-media"
    prepare()
    seconds = ingest(args.messages, args.workers)
    print(
        f"ingest: {args.messages} messages in {seconds:.2f} s with {args.workers} "
        f"process(es) = {args.messages / seconds:.0f} messages/s into PostgreSQL"
    )
    with SMTPSink() as sink:
        sent, seconds = send(sink)
    print(f"send: {sent} notifications in {seconds:.2f} s = {sent / seconds:.0f} messages/s")


if __name__ == "__main__":
    main()
