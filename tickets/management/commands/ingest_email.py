import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from tickets.attachments import NotStored
from tickets.inbound.intake import receive
from tickets.models import InboundMail


class Command(BaseCommand):
    help = (
        "Read one raw email (RFC 822) from standard input and turn it into a ticket or a "
        "reply, as a mail server's pipe would deliver it. The message is stored before it is "
        "read, so nothing is lost; the outcome is printed."
    )

    def handle(self, *args, **options):
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            self.stderr.write("No message on standard input.")
            sys.exit(1)
        try:
            record = receive(raw, source=InboundMail.Source.PIPE)
        except (NotStored, DatabaseError) as error:
            # Not even stored: EX_TEMPFAIL tells the mail server to keep it and try again.
            self.stderr.write(f"Could not store the message ({error}); try again later.")
            sys.exit(75)
        line = f"{record.get_status_display()}: {record.outcome}"
        if record.is_repeat:
            line = f"Received before, as incoming mail {record.pk}; nothing new. {line}"
        if record.ticket_id:
            line += f" (ticket #{record.ticket.number})"
        self.stdout.write(line)
        if record.status == InboundMail.Status.FAILED:
            # Kept, to be processed again from the admin panel; the pipe must not bounce it.
            self.stderr.write(f"Stored as incoming mail {record.pk}: {record.error}")
