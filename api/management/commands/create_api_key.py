from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Agent
from api import services
from api.models import ApiKey
from api.models.keys import parse_networks


class Command(BaseCommand):
    help = (
        "Make an API key for a scripted set-up and print it, alone, on the last line (it is "
        "stored hashed and never shown again). The key may do exactly what the --can-… "
        "options say; reading and writing act as the agent given by --agent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="What the key is for.")
        parser.add_argument(
            "--ip",
            action="append",
            default=[],
            metavar="ADDRESS_OR_CIDR",
            help="An address or range (CIDR) the key may be used from; repeat for more. "
            "Without any, the key works from anywhere.",
        )
        parser.add_argument("--can-create-tickets", action="store_true")
        parser.add_argument("--can-run-cron", action="store_true")
        parser.add_argument("--can-read", action="store_true")
        parser.add_argument("--can-write", action="store_true")
        parser.add_argument("--agent", metavar="EMAIL", help="The agent the key acts as.")

    def handle(self, *args, **options):
        key = ApiKey(
            name=options["name"].strip(),
            allowed_networks="\n".join(str(n) for n in self._networks(options["ip"])),
            can_create_tickets=options["can_create_tickets"],
            can_run_cron=options["can_run_cron"],
            can_read=options["can_read"],
            can_write=options["can_write"],
            agent=self._agent(options["agent"]),
        )
        if not key.name:
            raise CommandError("--name: give the key a name, such as --name Monitoring.")
        if not any([key.can_create_tickets, key.can_run_cron, key.can_read, key.can_write]):
            raise CommandError(
                "Give the key at least one permission: --can-create-tickets, --can-run-cron, "
                "--can-read or --can-write."
            )
        if (key.can_read or key.can_write) and key.agent is None:
            raise CommandError("--can-read and --can-write act as an agent: add --agent EMAIL.")
        try:
            plain = services.create_api_key(key)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        where = key.allowed_networks.replace("\n", ", ") or "any address"
        self.stdout.write(f"API key “{key.name}” made, usable from {where}.")
        self.stdout.write("It is shown only now; keep it safe:")
        self.stdout.write(plain)

    def _networks(self, given: list[str]) -> list:
        try:
            return [network for text in given for network in parse_networks(text)]
        except ValidationError as error:
            raise CommandError(f"--ip: {error.messages[0]}") from None

    def _agent(self, email: str | None) -> Agent | None:
        if not email:
            return None
        agent = Agent.objects.select_related("user").filter(user__email__iexact=email).first()
        if agent is None:
            raise CommandError(f"--agent: no agent has the address {email}.")
        if not agent.user.is_active:
            raise CommandError(f"--agent: {email} is not an active agent.")
        return agent
