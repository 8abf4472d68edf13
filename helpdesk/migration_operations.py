"""Migration operations that only one database runs.

Some indexes exist for one database's own features (PostgreSQL's full-text search and
trigram matching, SQLite's FTS5) and mean nothing to the other. They live outside the
models' Meta so that Django's migration state, and makemigrations, never see them; each is
created and dropped by its own SQL.
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


class SQLiteOnly(migrations.RunSQL):
    """RunSQL that does nothing on any other database."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


# Names in the SQL below are our own table and column names, never anyone's input.


def fts5_index_sql(table: str, column: str, tokenize: str) -> list[str]:
    """An FTS5 index of table.column on SQLite, filled now and kept in step by triggers.

    An external-content table: the text stays in `table` alone, the index holds only the
    words, looked up by rowid (the table's id). Every statement may run again safely.
    """
    index = f"{table}_fts"
    return [
        f'CREATE VIRTUAL TABLE IF NOT EXISTS "{index}" USING fts5("{column}", '
        f"content='{table}', content_rowid='id', tokenize='{tokenize}')",
        *fts5_trigger_sql(table, column),
        fts5_rebuild_sql(index),
    ]


def fts5_rebuild_sql(index: str) -> str:
    """Read the whole content table into the index again."""
    return f'INSERT INTO "{index}"("{index}") VALUES (\'rebuild\')'  # noqa: S608


def fts5_trigger_sql(table: str, column: str) -> list[str]:
    """The triggers that keep an FTS5 index in step with inserts, edits and deletes.

    SQLite drops a table's triggers when Django rebuilds the table to alter it; the tickets
    app puts them back after every migrate (tickets.search.keep_sqlite_index).
    """
    index = f"{table}_fts"
    forget = (
        f'INSERT INTO "{index}"("{index}", rowid, "{column}") '  # noqa: S608
        f"VALUES ('delete', old.id, old.\"{column}\");"
    )
    learn = f'INSERT INTO "{index}"(rowid, "{column}") VALUES (new.id, new."{column}");'  # noqa: S608
    on = f'ON "{table}" BEGIN'
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{index}_insert" AFTER INSERT {on} {learn} END',
        f'CREATE TRIGGER IF NOT EXISTS "{index}_delete" AFTER DELETE {on} {forget} END',
        f'CREATE TRIGGER IF NOT EXISTS "{index}_update" AFTER UPDATE OF "{column}" {on} '
        f"{forget} {learn} END",
    ]


def drop_fts5_index_sql(table: str) -> list[str]:
    index = f"{table}_fts"
    return [
        *(f'DROP TRIGGER IF EXISTS "{index}_{event}"' for event in ("insert", "delete", "update")),
        f'DROP TABLE IF EXISTS "{index}"',
    ]
