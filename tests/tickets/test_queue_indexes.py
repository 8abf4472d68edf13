"""The indexes behind the queues' sorts and search exist, and PostgreSQL can use them.

At a million tickets a sort or a search without an index reads every row. The tables in a
test are tiny, so the planner is told to avoid sequential scans and sorts: an index that
matches the query is then chosen, and its absence shows up in the plan. SQLite (the demo's
embedded database) gets the plain b-tree indexes only; the PostgreSQL-only ones
(full-text, trigram, NULLS LAST) must be absent there, not half made.
"""

import pytest
from django.db import connection

from tickets import queues, search
from tickets.models import Priority, Ticket

pytestmark = pytest.mark.django_db

POSTGRESQL_ONLY = {
    "ticket_due_desc_id",
    "ticket_subject_trgm",
    "user_full_name_trgm",
    "user_email_trgm",
}


def _constraints(table: str) -> dict:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def _indexed_column_lists() -> list[list[str]]:
    constraints = _constraints(Ticket._meta.db_table)
    return [c["columns"] for c in constraints.values() if c["index"] or c["unique"]]


def _index_names() -> set[str]:
    tables = ("tickets_ticket", "tickets_threadentry", "accounts_user")
    return {name for table in tables for name in _constraints(table)}


def test_the_postgresql_only_indexes_exist_on_postgresql_alone():
    if connection.vendor == "postgresql":
        assert _index_names() >= POSTGRESQL_ONLY
    else:
        assert not _index_names() & POSTGRESQL_ONLY


def test_every_sort_on_a_ticket_column_has_an_index_with_its_tiebreak():
    indexed = _indexed_column_lists()
    for column in queues.COLUMNS.values():
        key = column.fields[0]
        if "__" in key:
            continue  # a related table's name: joined and sorted, no index can serve it
        db_column = Ticket._meta.get_field(key).column
        unique = Ticket._meta.get_field(key).unique
        assert [db_column, "id"] in indexed or (unique and [db_column] in indexed), column.key


@pytest.fixture
def planner_prefers_indexes():
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")


@pytest.mark.parametrize(
    ("sort", "direction", "index"),
    [
        ("priority", "desc", "ticket_priority_id"),
        ("priority", "asc", "ticket_priority_id"),
        ("updated", "desc", "ticket_updated_id"),
        ("due", "asc", "ticket_due_id"),
        ("due", "desc", "ticket_due_desc_id"),
        ("subject", "asc", "ticket_subject_id"),
    ],
)
def test_the_closed_queue_is_read_in_the_order_of_an_index(
    planner_prefers_indexes, john, sort, direction, index
):
    params = queues.QueueParams(sort=sort, descending=direction == "desc")
    tickets = queues.queue_tickets(john, queues.QUEUES["closed"], params)[:50]

    if connection.vendor == "postgresql":
        assert index in tickets.explain()
    else:  # SQLite reads by status and sorts, the index being there or not.
        assert (index in _index_names()) == (index not in POSTGRESQL_ONLY)


def _search_documents_exist() -> bool:
    with connection.cursor() as cursor:
        return search.TICKET_DOCUMENTS in connection.introspection.table_names(cursor)


def test_the_ticket_search_documents_are_postgresql_s_alone():
    assert _search_documents_exist() == (connection.vendor == "postgresql")
    if connection.vendor == "postgresql":
        assert "ticket_search_document" in _constraints(search.TICKET_DOCUMENTS)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the per-ticket search documents are PostgreSQL's; "
    "test_the_ticket_search_documents_are_postgresql_s_alone covers SQLite",
)
def test_a_search_reads_one_page_whether_its_word_is_rare_or_common(john, support, karen):
    """The search's SQL is bounded: a page of results is a LIMIT over one condition, read
    through the documents' index for a rare word and along the sort's own index for a word
    most tickets have; its count stops at COUNT_CAP + 1 rows."""
    Ticket.objects.bulk_create(
        Ticket(
            number=f"9{n:06d}",
            subject=f"Printer {n} jams" + (" near the quillbrook" if n % 1000 == 0 else ""),
            requester=karen,
            department=support,
            submission_key=None,
        )
        for n in range(20000)
    )
    with connection.cursor() as cursor:
        # Rolled-back inserts of earlier tests linger in the GIN indexes' pending lists until
        # a vacuum; the planner counts them as cost. Fold them in, as autovacuum would.
        cursor.execute(
            "SELECT gin_clean_pending_list(c.oid) FROM pg_class c JOIN pg_am a ON a.oid = "
            "c.relam WHERE a.amname = 'gin' AND c.relkind = 'i'"
        )
        cursor.execute(f"ANALYZE tickets_ticket, {search.TICKET_DOCUMENTS}")

    def plan(word):
        params = queues.QueueParams(search=word)
        page = queues.queue_tickets(john, queues.QUEUES["open"], params)[: queues.PER_PAGE]
        return page.explain()

    def first_look(word):
        with connection.cursor() as cursor:
            cursor.execute(
                f"EXPLAIN {search._DOCUMENTS} LIMIT %s",
                [search.SEARCH_CONFIG, search.tsquery(word), search.FEW + 1],
            )
            return "\n".join(row[0] for row in cursor.fetchall())

    rare, common = plan("quillbrook"), plan("printer")

    # What matches is looked up first, a LIMIT: through the index for the rare word.
    assert first_look("quillbrook").startswith("Limit")
    assert "ticket_search_document" in first_look("quillbrook")
    assert first_look("printer").startswith("Limit")
    # Found few, the page reads those tickets by their key; found many, along the sort.
    assert rare.startswith("Limit") and common.startswith("Limit")
    assert "Index Scan using tickets_ticket_pkey" in rare and "ANY" in rare
    assert "Index Scan Backward using ticket_updated_id" in common
    found = queues.capped_counts(
        {
            word: Ticket.objects.visible_to(john).filter(queues.search_condition(word))
            for word in ("quillbrook", "printer")
        }
    )
    assert found == {"quillbrook": 20, "printer": queues.COUNT_CAP + 1}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite reads a page as one plain query"
)
def test_a_page_joins_only_its_own_rows(planner_prefers_indexes, john):
    """The page's ids are picked first (a LIMIT along the sort's index, run once), and the
    rows joined are those ids alone (at scale by primary key; on a test's tiny table any
    path will do)."""
    tickets = queues.queue_tickets(john, queues.QUEUES["closed"], queues.QueueParams())

    page = queues.QueuePaginator(tickets, 3, known=500).get_page(3)

    plan = page.object_list.explain()
    picked, rows = plan.split("  ->  Nested Loop", 1)
    assert "InitPlan 1" in picked and "Limit" in picked and "ticket_updated_id" in picked
    assert "id = ANY ($0)" in rows


@pytest.mark.parametrize("queue", ["open", "answered", "unassigned", "overdue"])
def test_an_open_tab_is_counted_from_its_own_index(planner_prefers_indexes, john, queue):
    """Read from the open tickets' own index (at scale an index-only scan that stops at the
    cap; a test's empty table gives no visibility map for that, so any use of it counts)."""
    counted = Ticket.objects.visible_to(john).filter(queues.QUEUES[queue].condition(john))
    plan = counted.order_by().values("pk")[: queues.COUNT_CAP + 1].explain()

    if connection.vendor == "postgresql":
        assert "ticket_open_counts" in plan
    else:
        assert "ticket_open_counts" in _index_names()


def test_a_tab_narrowed_to_one_priority_reads_the_open_tickets_index_alone(
    planner_prefers_indexes, john
):
    """The commonest filter is in the open tickets' index: narrowed to one priority, the tab
    is counted and listed from it, without the priority index's every ticket, open or not
    (at a million tickets 200,000 entries read to keep 3,000)."""
    params = queues.QueueParams({"priority": Priority.HIGH})
    listed = queues.queue_tickets(john, queues.QUEUES["open"], params)
    counted = listed.order_by().values("pk")[: queues.COUNT_CAP + 1]

    if connection.vendor == "postgresql":
        count_plan, list_plan = counted.explain(), listed[:50].explain()
        assert "ticket_open_counts" in count_plan
        # The priority is looked up in the index itself, not read from each ticket's row.
        index_conditions = [line for line in count_plan.splitlines() if "Index Cond" in line]
        assert any(f"priority = {Priority.HIGH.value}" in line for line in index_conditions)
        for plan in (count_plan, list_plan):
            assert "ticket_priority_id" not in plan and "ticket_status_priority" not in plan
    else:
        index = next(i for i in Ticket._meta.indexes if i.name == "ticket_open_counts")
        assert index.fields[-1] == "priority"
