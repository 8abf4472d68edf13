"""The thread search finds what an entry says now: after an edit, a delete, a migration.

On SQLite the words live in an FTS5 index that triggers keep in step with the thread
(tickets.search); PostgreSQL reads the entries themselves. The same searches must answer
the same on both.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from tests import factories
from tickets import search
from tickets.models import ThreadEntry


@pytest.fixture
def found(client, john):
    client.force_login(john.user)

    def found(text):
        response = client.get(reverse("staff:queue", kwargs={"queue": "open"}), {"q": text})
        assert response.status_code == 200
        return [row.ticket.subject for row in response.context["listing"].rows]

    return found


def test_an_edited_entry_is_found_by_its_new_words_only(found, make):
    entry = factories.ThreadEntryFactory(ticket=make(subject="Office"), body="The printer jams.")

    entry.body = "The scanner smokes."
    entry.save()

    assert found("printers") == []
    assert found("scanners") == ["Office"]


def test_a_deleted_entry_is_no_longer_found(found, make):
    ticket = make(subject="Office")
    factories.ThreadEntryFactory(ticket=ticket, body="The printer jams.")
    ThreadEntry.objects.filter(ticket=ticket).delete()

    assert found("printer") == []


def test_words_that_mean_something_to_the_search_engine_are_only_words(found, make):
    factories.ThreadEntryFactory(ticket=make(subject="Office"), body="Printer NEAR the door")

    assert found('printer NEAR door"') == ["Office"]
    for typed in ['"', "NEAR(", "printer AND", "body:printer", "*", "-printer", "OR"]:
        found(typed)  # answers 200, whatever it lists


def test_typed_quotes_and_operators_become_quoted_words_on_sqlite():
    assert search.fts5_query('printer "NEAR" body:x*') == '"printer" "NEAR" "body" "x"'
    assert search.fts5_query("!&|:*()") == ""


@pytest.mark.django_db(transaction=True)
def test_the_index_is_whole_after_a_migration_drops_its_triggers(support, karen):
    """Django rebuilds a SQLite table to alter it, and SQLite drops its triggers with it."""
    ticket = factories.TicketFactory(department=support, requester=karen, subject="Office")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for event in ("insert", "delete", "update"):
                cursor.execute(f'DROP TRIGGER "{search.THREAD_INDEX}_{event}"')
    # Written while the index is not kept: the next migrate finds it all the same.
    factories.ThreadEntryFactory(ticket=ticket, body="The printer jams.")

    call_command("migrate", verbosity=0)

    matches = ThreadEntry.objects.filter(
        ticket_id__in=search.thread_matches("printers")
    ).values_list("ticket__subject", flat=True)
    assert list(matches) == ["Office"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            index = search.THREAD_INDEX
            check = f'INSERT INTO "{index}"("{index}") VALUES (\'integrity-check\')'  # noqa: S608
            cursor.execute(check)
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{search.THREAD_INDEX}_%"],
            )
            assert cursor.fetchone()[0] == 3


def test_a_changed_subject_is_found_by_its_new_words_only(found, make):
    ticket = make(subject="Printer jams")

    ticket.subject = "Scanner smokes"
    ticket.save()

    assert found("printer") == []
    assert found("scanner") == ["Scanner smokes"]


def test_a_renamed_requester_is_found_by_the_new_name_only(found, make):
    requester = factories.UserFactory(full_name="Wanda Quist", email="wanda@oldmail.example")
    make(subject="From Wanda", requester=requester)

    requester.full_name = "Wanda Zellweger"
    requester.email = "wz@newmail.example"
    requester.save()

    assert found("quist") == []
    assert found("oldmail") == []
    assert found("zellw") == ["From Wanda"]
    assert found("wz@newmail.example") == ["From Wanda"]


def test_a_thread_too_long_to_index_whole_keeps_every_entry(found, make):
    """PostgreSQL's document of a ticket holds at most 1 MB of words: the entry that would
    make it longer is saved all the same, and the ticket is still found by its earlier words."""
    ticket = make(subject="Log dump")
    bodies = [
        "kestrelword " + " ".join(f"w{part}x{n:06x}" for n in range(30000)) for part in range(6)
    ]
    for body in bodies:
        factories.ThreadEntryFactory(ticket=ticket, body=body)

    assert ThreadEntry.objects.filter(ticket=ticket).count() == 6
    assert found("kestrelword") == ["Log dump"]
