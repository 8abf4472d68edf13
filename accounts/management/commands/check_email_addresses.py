"""List accounts whose stored address a rule of accounts.emails would now refuse or merge.

Accounts made before addresses were normalised may hold a look-alike (an invisible
character, mixed alphabets) or two forms of one address (the unicode and punycode forms of
a domain, full-width letters). Nothing is changed: which account to keep is a person's
decision (deactivate the other in the admin panel, or change its address). It exits 1 when
it found something, so that a deployment script can stop and show the list.
"""

from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError

from accounts import emails
from accounts.models import User


class Command(BaseCommand):
    help = "List users whose addresses are look-alikes or twins of another user's address."

    def handle(self, *args, **options):
        twins = defaultdict(list)
        refused = []
        rows = User.objects.order_by("pk").values_list("pk", "email").iterator()
        for pk, email in rows:
            try:
                twins[emails.normalise(email).casefold()].append((pk, email))
            except emails.RefusedAddress as error:
                refused.append((pk, email, str(error)))
        groups = [group for group in twins.values() if len(group) > 1]
        for pk, email, why in refused:
            self.stdout.write(f"User {pk} <{email}> ({email!a}): {why}")
        for group in groups:
            names = ", ".join(f"user {pk} <{email}>" for pk, email in group)
            self.stdout.write(f"One address, several users: {names}")
        if refused or groups:
            raise CommandError(
                f"{len(refused)} look-alike address(es), {len(groups)} address(es) held by "
                "several users: deactivate or correct them in the admin panel (Users)."
            )
        self.stdout.write("Every address is normalised and held by one user.")
