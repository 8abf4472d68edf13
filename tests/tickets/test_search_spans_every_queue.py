"""A search looks through every queue the agent sees, and says where each ticket is."""

from django.urls import reverse

from tests import factories
from tickets.status import Status


def _search(client, agent, queue="open", **params):
    client.force_login(agent.user)
    response = client.get(reverse("staff:queue", kwargs={"queue": queue}), params)
    assert response.status_code == 200
    return response


def test_a_search_finds_tickets_in_every_tab_and_names_each_ones_tab(client, john, make):
    make(subject="Printer jam on floor 2")
    make(subject="Printer offline", is_answered=True)
    make(subject="Printer replaced", status=Status.RESOLVED)
    make(subject="VPN down")

    listing = _search(client, john, "closed", q="printer").context["listing"]

    assert sorted((row.ticket.subject, row.home.label) for row in listing.rows) == [
        ("Printer jam on floor 2", "Open"),
        ("Printer offline", "Answered"),
        ("Printer replaced", "Closed"),
    ]


def test_search_results_mark_no_tab_current_and_keep_the_tabs_own_counts(
    client, john, make, support
):
    make(subject="Printer jam")
    make(subject="VPN down")
    make(subject="Printer replaced", status=Status.CLOSED)

    response = _search(client, john, q="printer", department=support.pk)
    tabs = {tab.queue.slug: tab for tab in response.context["listing"].tabs}

    assert not any(tab.is_active for tab in tabs.values())
    assert (tabs["open"].count, tabs["closed"].count) == (2, 1)
    # The tabs leave the search and keep the filter.
    assert tabs["closed"].url == f"/scp/queues/closed/?department={support.pk}"
    assert 'aria-current="page"' not in response.content.decode().split('aria-label="Queues"')[1]


def test_search_results_say_so_and_lead_back_to_the_tab(client, john, make, support):
    make(subject="Printer jam")

    page = _search(client, john, "mine", q="printer", department=support.pk).content.decode()

    assert "Search results for “printer”" in page
    assert f'<a href="/scp/queues/mine/?department={support.pk}">Back to My Tickets</a>' in page
    assert "<th" in page and ">Queue<" in page


def test_a_tab_without_a_search_keeps_to_its_own_tickets(client, john, make):
    make(subject="Printer jam")
    make(subject="Printer replaced", status=Status.CLOSED)

    listing = _search(client, john, "closed").context["listing"]

    assert [row.ticket.subject for row in listing.rows] == ["Printer replaced"]
    assert [tab.queue.slug for tab in listing.tabs if tab.is_active] == ["closed"]
    assert all(row.home is None for row in listing.rows)


def test_a_search_never_lists_a_ticket_the_agent_cannot_see(client, john, make, online_banking):
    factories.TicketFactory(
        department=online_banking, subject="Printer in the bank", status=Status.CLOSED
    )
    make(subject="Printer jam")

    listing = _search(client, john, q="printer").context["listing"]

    assert [row.ticket.subject for row in listing.rows] == ["Printer jam"]
    assert listing.page.paginator.count == 1
