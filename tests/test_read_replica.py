"""DATABASE_REPLICA_URL: the heavy read pages read the replica; writes, transactions and a
person's pages just after their own change read and write the primary (helpdesk.db_router).

There is no replication here, so the "replica" is a second test database of its own (not a
mirror of the primary): each test copies the primary into it, as replication would, and then
makes the two differ on purpose, so that what a page shows says which database answered.
"""

import copy

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpdesk.db_router import PIN_COOKIE, reading_replica
from tickets.models import SavedQueue, Ticket

BOTH = ["default", "replica"]
# Committed, as a web request's reads are: a test's own open transaction on the primary would
# send every read there (the router's rule for transactions).
pytestmark = pytest.mark.django_db(databases=BOTH, transaction=True)

ON_PRIMARY = "Printer on fire (as the primary has it)"
ON_REPLICA = "Printer on fire (as the replica has it)"


@pytest.fixture(scope="module", autouse=True)
def replica_database(django_db_setup, django_db_blocker):
    """A "replica" alias with a test database of its own, for this module only: other tests
    run without a replica, as the default set-up does."""
    primary = connections["default"].settings_dict
    replica = copy.deepcopy(primary)
    if primary["ENGINE"] == "django.db.backends.sqlite3":
        replica["TEST"]["NAME"] = None  # in memory, apart from the primary's
    else:
        replica["TEST"]["NAME"] = f"{primary['NAME']}_replica"
    settings.DATABASES["replica"] = replica
    connections.settings["replica"] = replica
    with django_db_blocker.unblock():
        creation = connections["replica"].creation
        old_name = replica["NAME"]
        creation.create_test_db(verbosity=0, autoclobber=True)
        yield
        creation.destroy_test_db(old_name, verbosity=0)
    connections["replica"].close()
    del connections.settings["replica"]
    settings.DATABASES.pop("replica", None)
    del connections["replica"]


def replicate():
    """The replica catches up: it becomes a copy of the primary, row for row (in one
    transaction, whose foreign keys are checked at its end)."""
    with transaction.atomic(using="replica"):
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            manager = model._base_manager
            manager.using("replica").all()._raw_delete("replica")
            rows = list(manager.using("default").all())
            if rows:
                manager.using("replica").bulk_create(rows)


@pytest.fixture
def ticket(john, karens_ticket, online_banking):
    Ticket.objects.filter(pk=karens_ticket.pk).update(subject=ON_REPLICA)
    replicate()
    # The primary moves on; the replica has not caught up yet.
    Ticket.objects.filter(pk=karens_ticket.pk).update(subject=ON_PRIMARY)
    return karens_ticket


@pytest.fixture
def signed_in(client, john):
    client.force_login(john.user)
    return client


def test_the_queue_page_and_search_read_the_replica(signed_in, ticket):
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        page = signed_in.get(reverse("staff:queue", kwargs={"queue": "open"}))
        found = signed_in.get(reverse("staff:home"), {"q": "printer"})

    assert ON_REPLICA in page.content.decode()
    assert ON_PRIMARY not in page.content.decode()
    assert [row.ticket.subject for row in found.context["listing"].rows] == [ON_REPLICA]
    assert any('"tickets_ticket"' in query["sql"] for query in on_replica.captured_queries)
    # The ticket's own page is not one of them: it reads the primary.
    detail = signed_in.get(reverse("staff:ticket", kwargs={"number": ticket.number}))
    assert ON_PRIMARY in detail.content.decode()


def test_the_dashboard_and_its_csv_export_read_the_replica(signed_in, ticket):
    page = signed_in.get(reverse("staff:dashboard"))
    export = signed_in.get(reverse("staff:dashboard-csv", kwargs={"table": "tickets"}))

    assert page.status_code == 200
    assert page.context["report"] is not None
    csv = b"".join(export.streaming_content).decode()
    assert ON_REPLICA in csv
    assert ON_PRIMARY not in csv


def test_the_queue_filters_visibility_on_the_replica_too(signed_in, ticket, online_banking):
    # On the replica the ticket has moved to a department John cannot see: the page's list
    # and its visibility rule read the same copy, so the ticket is not listed.
    Ticket.objects.using("replica").filter(pk=ticket.pk).update(department=online_banking)

    page = signed_in.get(reverse("staff:queue", kwargs={"queue": "open"}))

    assert page.context["listing"].rows == []
    assert ticket.number not in page.content.decode()


def test_after_a_change_the_next_pages_read_the_primary(signed_in, ticket):
    response = signed_in.post(
        reverse("staff:saved-queue-new"),
        {"save-name": "Fires", "save-queue": "open", "save-query": "q=printer"},
    )

    # Not yet on the replica: read there, the page just saved would not exist.
    assert not SavedQueue.objects.using("replica").exists()
    assert response.cookies[PIN_COOKIE]["max-age"] == settings.HELPDESK_REPLICA_PIN_SECONDS
    saved = signed_in.get(response["Location"])
    assert saved.status_code == 200
    assert "Saved search: Fires" in saved.content.decode()
    assert ON_PRIMARY in signed_in.get(reverse("staff:home")).content.decode()


def test_once_the_pin_has_expired_pages_read_the_replica_again(signed_in, ticket):
    signed_in.post(
        reverse("staff:saved-queue-new"),
        {"save-name": "Fires", "save-queue": "open", "save-query": "q=printer"},
    )
    del signed_in.cookies[PIN_COOKIE]  # the browser drops it after REPLICA_PIN_SECONDS

    assert ON_REPLICA in signed_in.get(reverse("staff:home")).content.decode()


def test_a_row_read_from_the_replica_is_written_to_the_primary(ticket):
    with reading_replica():
        read = Ticket.objects.get(pk=ticket.pk)
        read.priority = 4
        read.save(update_fields=["priority"])

    assert read.subject == ON_REPLICA
    assert Ticket.objects.using("default").get(pk=ticket.pk).priority == 4
    assert Ticket.objects.using("replica").get(pk=ticket.pk).priority != 4


def test_reads_inside_a_transaction_or_outside_the_marked_pages_go_to_the_primary(ticket):
    with reading_replica(), transaction.atomic():
        inside = Ticket.objects.get(pk=ticket.pk)
    with reading_replica():
        marked = Ticket.objects.get(pk=ticket.pk)
    unmarked = Ticket.objects.get(pk=ticket.pk)

    assert (inside.subject, inside._state.db) == (ON_PRIMARY, "default")
    assert (marked.subject, marked._state.db) == (ON_REPLICA, "replica")
    assert (unmarked.subject, unmarked._state.db) == (ON_PRIMARY, "default")
