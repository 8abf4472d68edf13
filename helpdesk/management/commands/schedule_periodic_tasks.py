from django.core.management.base import BaseCommand

from helpdesk.periodic import start_chains


class Command(BaseCommand):
    help = (
        "Start each periodic background job (SLA sweep, auto-close, pruning) that has no run "
        "waiting in the task queue. Safe to run any number of times; `make worker` runs it."
    )

    def handle(self, *args, **options):
        started = start_chains()
        if started:
            self.stdout.write("Started: " + ", ".join(started))
        else:
            self.stdout.write("Every periodic job already has a run waiting.")
