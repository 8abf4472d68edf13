from django.core.management.base import BaseCommand, CommandError

from tickets import demo


class Command(BaseCommand):
    help = "Load the demo departments, SLA plans, topics, accounts and tickets (for make run)."

    def handle(self, *args, **options):
        try:
            created = demo.load_demo()
        except demo.DemoRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        if created:
            self.stdout.write(f"Demo data: created {len(created)} item(s).")
        else:
            self.stdout.write("Demo data: already loaded, nothing changed.")
        self.stdout.write("Demo logins (DEMO_PASSWORD overrides the password):")
        for line in demo.login_lines():
            self.stdout.write(line)
        self.stdout.write("Portal: /   Staff panel: /scp/login/   Admin panel: /scp/admin/")
