"""An agent saves a queue's filters, search and sort as a named queue beside the tabs."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tickets.models import Priority, SavedQueue
from tickets.services import MAX_SAVED_QUEUES
from tickets.status import Status


@pytest.fixture
def signed_in(client, john):
    client.force_login(john.user)
    return client


def _save(client, name, queue="open", query="q=printer&priority=3"):
    return client.post(
        reverse("staff:saved-queue-new"),
        {"save-name": name, "save-queue": queue, "save-query": query},
    )


def test_a_saved_search_keeps_the_filters_search_and_sort_and_opens_beside_the_tabs(
    signed_in, john, make
):
    make(subject="Printer jam", priority=Priority.HIGH)
    make(subject="Printer low on toner", priority=Priority.LOW)
    make(subject="Printer replaced", priority=Priority.HIGH, status=Status.CLOSED)

    response = _save(signed_in, "Urgent printers", query="q=printer&priority=3&sort=number")

    saved = SavedQueue.objects.get(agent=john)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:saved-queue", kwargs={"pk": saved.pk})
    page = signed_in.get(response["Location"])
    listing = page.context["listing"]
    assert sorted(row.ticket.subject for row in listing.rows) == [
        "Printer jam",
        "Printer replaced",
    ]
    assert listing.params.sort == "number"
    assert [(tab.saved.name, tab.count, tab.is_active) for tab in listing.saved_tabs] == [
        ("Urgent printers", 2, True)
    ]
    html = page.content.decode()
    assert "Saved search: Urgent printers" in html
    assert "Saved “Urgent printers”: it is beside the tabs." in html
    # Every queue page shows it, with its count.
    home = signed_in.get(reverse("staff:home")).content.decode()
    assert re.search(r"Urgent printers <span[^>]*>2</span>", home)


def test_the_save_form_is_offered_once_a_page_is_narrowed_or_sorted(signed_in, make):
    make(subject="Printer jam")

    plain = signed_in.get(reverse("staff:queue", kwargs={"queue": "open"}))
    narrowed = signed_in.get(reverse("staff:queue", kwargs={"queue": "open"}), {"priority": 2})

    assert plain.context["save_form"] is None
    form = narrowed.context["save_form"]
    assert (form["queue"].value(), form["query"].value()) == ("open", "priority=2")
    assert "Save this search as" in narrowed.content.decode()


def test_a_name_is_required_and_the_page_stays_as_it_was(signed_in, john, make):
    make(subject="Printer jam", priority=Priority.HIGH)

    response = _save(signed_in, "   ")

    assert response.status_code == 200
    assert not SavedQueue.objects.exists()
    html = response.content.decode()
    assert html.count("Give the search a name.") == 1
    listing = response.context["listing"]
    assert listing.params.search == "printer"
    assert [row.ticket.subject for row in listing.rows] == ["Printer jam"]


def test_a_name_is_unique_per_agent_whatever_its_case(signed_in, john, jane):
    SavedQueue.objects.create(agent=john, name="Urgent printers", queue="open")
    SavedQueue.objects.create(agent=jane, name="Mine", queue="open")

    response = _save(signed_in, "URGENT  printers")
    mine = _save(signed_in, "mine")

    html = response.content.decode()
    assert html.count("You already have a saved search named “URGENT printers”.") == 1
    # What was typed is kept.
    assert 'value="URGENT  printers"' in html
    assert 'aria-describedby="id_save-name_error"' in html
    assert mine.status_code == 302
    assert SavedQueue.objects.filter(agent=john).count() == 2


def test_an_agent_keeps_at_most_twenty(signed_in, john):
    for n in range(MAX_SAVED_QUEUES):
        SavedQueue.objects.create(agent=john, name=f"Search {n}", queue="open")

    response = _save(signed_in, "One more")

    assert MAX_SAVED_QUEUES == 20
    assert "You have 20 saved searches" in response.content.decode()
    assert SavedQueue.objects.filter(agent=john).count() == 20


def test_a_saved_search_is_read_back_through_the_filter_form(signed_in, john, make):
    """A department gone, a value tampered with: ignored with a note, never a 500."""
    make(subject="Printer jam")
    saved = SavedQueue.objects.create(
        agent=john, name="Odd", queue="gone", query="department=999999&q=printer&sort=nope"
    )

    response = signed_in.get(reverse("staff:saved-queue", kwargs={"pk": saved.pk}))

    assert response.status_code == 200
    assert [row.ticket.subject for row in response.context["listing"].rows] == ["Printer jam"]
    assert "Department filter “999999” was ignored" in response.content.decode()


def test_what_is_saved_is_what_the_page_could_show(signed_in, john):
    _save(signed_in, "Tampered", queue="nope", query="priority=9&q=printer&x=1")

    saved = SavedQueue.objects.get(agent=john)
    assert (saved.queue, saved.query) == ("open", "q=printer")


def test_sorting_and_paging_a_saved_search_stay_on_it(signed_in, john, make):
    saved = SavedQueue.objects.create(agent=john, name="Printers", queue="open", query="q=jam")
    for n in range(3):
        make(subject=f"Printer jam {n}")

    page = signed_in.get(reverse("staff:saved-queue", kwargs={"pk": saved.pk}), {"sort": "subject"})

    url = reverse("staff:saved-queue", kwargs={"pk": saved.pk})
    headers = {header.column.key: header.url for header in page.context["listing"].headers}
    assert headers["subject"] == f"{url}?sort=subject&dir=desc"
    assert [row.ticket.subject for row in page.context["listing"].rows] == [
        "Printer jam 0",
        "Printer jam 1",
        "Printer jam 2",
    ]
    # The filter form starts a new search from the saved search's tab.
    assert 'action="/scp/queues/open/"' in page.content.decode()


def test_rename_and_delete(signed_in, john):
    saved = SavedQueue.objects.create(agent=john, name="Printers", queue="closed", query="q=jam")
    SavedQueue.objects.create(agent=john, name="Other", queue="open")
    rename = reverse("staff:saved-queue-rename", kwargs={"pk": saved.pk})

    taken = signed_in.post(rename, {"rename-name": "other"})
    renamed = signed_in.post(rename, {"rename-name": "Jammed printers"})

    assert taken.status_code == 200
    assert taken.content.decode().count("You already have a saved search named “other”.") == 1
    assert renamed.status_code == 302
    saved.refresh_from_db()
    assert saved.name == "Jammed printers"

    deleted = signed_in.post(reverse("staff:saved-queue-delete", kwargs={"pk": saved.pk}))

    assert deleted["Location"] == reverse("staff:queue", kwargs={"queue": "closed"})
    assert not SavedQueue.objects.filter(pk=saved.pk).exists()
    assert (
        "Deleted the saved search “Jammed printers”."
        in signed_in.get(deleted["Location"]).content.decode()
    )


def test_another_agents_saved_search_does_not_exist(client, john, jane):
    saved = SavedQueue.objects.create(agent=jane, name="Jane's", queue="open", query="q=x")
    client.force_login(john.user)

    for name, method in [
        ("staff:saved-queue", client.get),
        ("staff:saved-queue-rename", client.post),
        ("staff:saved-queue-delete", client.post),
    ]:
        response = method(reverse(name, kwargs={"pk": saved.pk}), {"rename-name": "Mine"})
        assert response.status_code == 404, name

    saved.refresh_from_db()
    assert saved.name == "Jane's"
    assert john.saved_queues.count() == 0


def test_a_saved_search_counts_only_what_the_agent_sees(signed_in, john, make, online_banking):
    factories.TicketFactory(department=online_banking, subject="Printer in the bank")
    make(subject="Printer jam")
    saved = SavedQueue.objects.create(agent=john, name="Printers", queue="open", query="q=printer")

    page = signed_in.get(reverse("staff:saved-queue", kwargs={"pk": saved.pk}))

    assert page.context["listing"].saved_tabs[0].count == 1
    assert [row.ticket.subject for row in page.context["listing"].rows] == ["Printer jam"]
