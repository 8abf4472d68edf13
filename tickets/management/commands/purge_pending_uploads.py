from django.core.management.base import BaseCommand

from tickets.uploads import purge_abandoned


class Command(BaseCommand):
    help = (
        "Delete files kept for refused forms that were not sent again within "
        "PENDING_UPLOAD_KEEP_HOURS (the worker does this every PURGE_UPLOADS_SECONDS too)."
    )

    def handle(self, *args, **options):
        count = purge_abandoned()
        self.stdout.write(f"Deleted {count} abandoned upload(s).")
