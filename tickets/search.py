"""Searching the text of ticket threads, stemmed, on PostgreSQL and on SQLite alike.

"printers" finds "printer" on both: PostgreSQL through to_tsvector with the English
configuration (a GIN index, migration 0002), SQLite through an FTS5 index with the porter
stemmer (migration 0010), which SQLite's own triggers keep in step with every insert, edit
and delete of a thread entry.

The two differ in the syntax they take. PostgreSQL reads the box as a web search: quotes,
"or" and "-word" work, and common words ("the", "is") are ignored. SQLite wants every word
typed, and nothing else is special.
"""

import re

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from helpdesk.migration_operations import fts5_rebuild_sql, fts5_trigger_sql
from tickets.models import ThreadEntry

# Any GIN index added for the thread search must be built on to_tsvector with this same
# configuration, or PostgreSQL will not use it.
SEARCH_CONFIG = "english"
THREAD_TABLE = ThreadEntry._meta.db_table
THREAD_INDEX = f"{THREAD_TABLE}_fts"
SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"
# More words than anyone types; a longer search is cut here rather than sent whole.
MAX_WORDS = 32
_WORD = re.compile(r"\w+")


def fts5_query(text: str) -> str:
    """The words of `text` as an FTS5 query that wants them all, each quoted.

    Quoted, a word is only a word: FTS5's own operators (AND, NEAR, "*", column names)
    typed into the box are searched for, never obeyed. Empty when there is no word at all.
    """
    words = _WORD.findall(text)[:MAX_WORDS]
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def thread_matches(text: str) -> QuerySet:
    """The tickets (as ticket_id) with a thread entry matching the text, notes included."""
    entries = ThreadEntry.objects.order_by()
    if connection.vendor == "postgresql":
        # Expressions only: they work without django.contrib.postgres in INSTALLED_APPS.
        from django.contrib.postgres.search import SearchQuery, SearchVector

        entries = entries.alias(document=SearchVector("body", config=SEARCH_CONFIG)).filter(
            document=SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        )
    elif connection.vendor == "sqlite":
        query = fts5_query(text)
        if not query:
            return entries.none().values("ticket_id")
        # The typed words go in as a parameter; the name is our own table's.
        matching = f'SELECT rowid FROM "{THREAD_INDEX}" WHERE "{THREAD_INDEX}" MATCH %s'  # noqa: S608
        entries = entries.filter(pk__in=RawSQL(matching, [query]))  # noqa: S611
    else:
        entries = entries.filter(body__icontains=text)
    return entries.values("ticket_id")


def keep_sqlite_index(using: str = "default") -> bool:
    """Put back the FTS5 index's triggers if a migration dropped them; True if it had to.

    SQLite drops a table's triggers when Django rebuilds the table to alter it. Put back,
    the index is rebuilt too: entries written while the triggers were gone are found again.
    """
    from django.db import connections

    database = connections[using]
    if database.vendor != "sqlite":
        return False
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = %s", [THREAD_INDEX]
        )
        if not cursor.fetchone()[0]:
            return False  # not migrated this far yet
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
            "AND name LIKE %s",
            [THREAD_TABLE, f"{THREAD_INDEX}_%"],
        )
        if cursor.fetchone()[0] == 3:
            return False
        for statement in fts5_trigger_sql(THREAD_TABLE, "body"):
            cursor.execute(statement)
        cursor.execute(fts5_rebuild_sql(THREAD_INDEX))
    return True
