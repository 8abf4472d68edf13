from django.core.management.base import BaseCommand

from tickets.inbound.fetch import fetch_all, fetch_mailbox
from tickets.models import Mailbox


class Command(BaseCommand):
    help = (
        "Fetch new mail from the mailboxes set up in the admin panel (IMAP or POP3). The "
        "worker does this every MAIL_FETCH_SECONDS; this runs it once now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mailbox", help="Only the mailbox with this name.")

    def handle(self, *args, mailbox=None, **options):
        if mailbox:
            found = Mailbox.objects.filter(name__iexact=mailbox).first()
            if found is None:
                self.stderr.write(f"No mailbox named “{mailbox}”.")
                return
            results = [fetch_mailbox(found)]
        else:
            results = fetch_all()
        if not results:
            self.stdout.write("No active mailbox to fetch.")
        for result in results:
            if result.error:
                self.stdout.write(f"{result.mailbox}: failed: {result.error}")
            else:
                problems = f" ({'; '.join(result.problems)})" if result.problems else ""
                self.stdout.write(f"{result.mailbox}: {result.fetched} message(s){problems}")
