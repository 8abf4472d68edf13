from django.conf import settings
from django.core.management.base import BaseCommand

from tickets.services import close_resolved_tickets


class Command(BaseCommand):
    help = (
        "Close tickets resolved more than AUTO_CLOSE_DAYS days ago "
        f"(now {settings.HELPDESK_AUTO_CLOSE_DAYS}). Safe to run as often as you like."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Closed {close_resolved_tickets()} resolved ticket(s).")
