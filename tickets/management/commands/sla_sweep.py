from django.core.management.base import BaseCommand

from tickets.sweep import sweep


class Command(BaseCommand):
    help = (
        "Mark tickets past their SLA due time overdue (once, with an event and alerts) and "
        "send the warnings owed. The worker runs it every minute; safe to run any time."
    )

    def handle(self, *args, **options):
        result = sweep()
        self.stdout.write(
            f"Marked {result.overdue} ticket(s) overdue; sent {result.warned} warning(s)."
        )
