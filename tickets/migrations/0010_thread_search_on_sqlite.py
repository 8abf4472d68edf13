"""Stemmed thread search on SQLite: an FTS5 index with the porter stemmer (tickets.search).

PostgreSQL has had its own since 0002; on it this migration does nothing.
"""

from django.db import migrations

from helpdesk.migration_operations import SQLiteOnly, drop_fts5_index_sql, fts5_index_sql


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0009_ticket_created_at_set_before_insert"),
    ]

    operations = [
        SQLiteOnly(
            fts5_index_sql(
                "tickets_threadentry", "body", tokenize="porter unicode61 remove_diacritics 2"
            ),
            reverse_sql=drop_fts5_index_sql("tickets_threadentry"),
        ),
    ]
