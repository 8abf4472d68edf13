from django.db import migrations

from helpdesk.migration_operations import TRIGRAM_EXTENSION, trigram_index


class Migration(migrations.Migration):
    """The queue search box matches requesters by name or email (icontains); PostgreSQL only."""

    dependencies = [("accounts", "0002_initial")]

    operations = [
        TRIGRAM_EXTENSION,
        trigram_index("user_full_name_trgm", "accounts_user", "full_name"),
        trigram_index("user_email_trgm", "accounts_user", "email"),
    ]
