from django.core.management.base import BaseCommand

from tickets.uploads import MAX_AGE, purge_abandoned


class Command(BaseCommand):
    help = (
        f"Delete files kept for refused forms that were not sent again within {MAX_AGE.days} days."
    )

    def handle(self, *args, **options):
        count = purge_abandoned()
        self.stdout.write(f"Deleted {count} abandoned upload(s).")
