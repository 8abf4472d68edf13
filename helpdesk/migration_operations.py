"""Migration operations that only PostgreSQL runs.

Some indexes exist for PostgreSQL's own features (full-text search, trigram matching) and
mean nothing to SQLite. They live outside the models' Meta so that Django's migration
state, and makemigrations, never see them; each is created and dropped by its own SQL.
"""

from django.db import migrations


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that does nothing on any other database."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


# Trusted since PostgreSQL 13: a database owner may create it without being a superuser.
TRIGRAM_EXTENSION = PostgreSQLOnly(
    "CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql=migrations.RunSQL.noop
)


def trigram_index(name: str, table: str, column: str) -> PostgreSQLOnly:
    """A GIN trigram index on UPPER(column): what Django's icontains compiles to on PostgreSQL."""
    return PostgreSQLOnly(
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
        f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)',
        reverse_sql=f'DROP INDEX IF EXISTS "{name}"',
    )
