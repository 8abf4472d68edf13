"""The queue search box: a ticket's number, subject, requester, or any thread entry's text,
stemmed, on PostgreSQL and on SQLite alike.

"printers" finds "printer" on both. PostgreSQL keeps one document per ticket (its number,
subject, requester's name and address, and its thread's text) in `tickets_ticket_search`,
GIN-indexed, which triggers keep in step with every write (migration 0018): the whole search
is one condition, which the planner reads through the index for a rare word and along the
queue's sort order for a common one, so a page costs about the same whatever the word.
SQLite matches the thread through an FTS5 index with the porter stemmer (migration 0010),
which SQLite's own triggers keep in step with every insert, edit and delete of a thread
entry, and the subject and requester by their text.

Both want every word typed, and nothing else in the box is special. The thread's words are
whole words (stemmed) on both; a requester is found by the start of any word of their name
or address ("karen tay", "ken@example") on both, and on SQLite by any part of it. On
PostgreSQL the subject's words are whole words, and common words ("the", "is") are ignored;
SQLite matches the subject by any part of its text.
"""

import re

from django.db import connection
from django.db.models import F, Lookup, Q, QuerySet
from django.db.models.expressions import RawSQL

from accounts.models import User
from helpdesk.migration_operations import fts5_rebuild_sql, fts5_trigger_sql
from tickets.models import ThreadEntry, Ticket

# Any GIN index added for the thread search must be built on to_tsvector with this same
# configuration, or PostgreSQL will not use it.
SEARCH_CONFIG = "english"
THREAD_TABLE = ThreadEntry._meta.db_table
THREAD_INDEX = f"{THREAD_TABLE}_fts"
# PostgreSQL's per-ticket documents (migration 0018).
TICKET_DOCUMENTS = "tickets_ticket_search"
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


_NUMBER = re.compile(r"#?([0-9]+)")


def tsquery(text: str) -> str:
    """The words of `text` as a PostgreSQL tsquery that wants them all, each stemmed by the
    search configuration. Only letters, digits and underscores get through: the query's own
    operators typed into the box are dropped. Empty when there is no word at all.

    Whole words only, never prefixes ("tay:*"): PostgreSQL estimates how many documents a
    word matches from its statistics, and so picks the index for a rare word and the sort's
    own order for a common one, but has no estimate for a prefix. The start of a requester's
    name or address is in the document itself instead (migration 0018).
    """
    words = _WORD.findall(text)[:MAX_WORDS]
    return " & ".join(f"'{word}'" for word in words)


class AnyOf(Lookup):
    """field = ANY(array): the ids as one array parameter, which PostgreSQL reads as a
    condition on the key (an index scan). `__in` would send up to FEW parameters one by one;
    a subquery over the ids is joined after the page's other eight tables, past which the
    planner no longer reorders joins, and read every ticket to keep a few hundred."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


# Our own table's name; the typed words go in as a parameter.
_DOCUMENTS = (
    f'SELECT ticket_id FROM "{TICKET_DOCUMENTS}" '  # noqa: S608
    "WHERE document @@ to_tsquery(%s::regconfig, %s)"
)
# A search matching at most this many tickets is looked up by their ids (see ticket_matches).
FEW = 5000


def ticket_matches(text: str, *, look_first: bool = False) -> Q:
    """The tickets matching a search box's text. Internal notes are searched too: only
    agents search here.

    `look_first` (PostgreSQL; for a page of results, not for counts): first read which
    tickets match, up to FEW + 1, one query. A page sorted by last update reads the tickets
    in that order and keeps the matching ones, which is quick for a word many tickets have
    and reads half the table for one that few have; PostgreSQL's estimate of how many
    documents have a word is too rough to tell the two apart for every word (a word it has
    no statistics for counts as fairly common). Found few, the page is those tickets by id,
    sorted; more, a word that common is met within the first rows of the sort's order.
    """
    text = text.strip()
    if connection.vendor == "postgresql":
        query = tsquery(text)
        if not query:
            return Q(pk__in=[])
        if look_first:
            with connection.cursor() as cursor:
                cursor.execute(f"{_DOCUMENTS} LIMIT %s", [SEARCH_CONFIG, query, FEW + 1])
                found = [row[0] for row in cursor.fetchall()]
            if len(found) <= FEW:
                return Q(AnyOf(F("pk"), found))
        return Q(pk__in=RawSQL(_DOCUMENTS, [SEARCH_CONFIG, query]))  # noqa: S611
    # Each way of matching is its own subquery, so that each can use its own index, and
    # their union is looked up once: an OR across tables would test every ticket in turn.
    requesters = User.objects.filter(Q(full_name__icontains=text) | Q(email__icontains=text))
    tickets = Ticket.objects.order_by()
    candidates = [
        tickets.filter(subject__icontains=text).values("pk"),
        tickets.filter(requester__in=requesters.values("pk")).values("pk"),
        thread_matches(text),
    ]
    if number := _NUMBER.fullmatch(text):
        candidates.append(tickets.filter(number=number.group(1)).values("pk"))
    return Q(pk__in=candidates[0].union(*candidates[1:], all=True))


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
