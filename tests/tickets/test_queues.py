"""The staff queues: which tab each ticket sits in, the tab counts, paging and access."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tickets import queues
from tickets.queues import QUEUES, QueueParams, queue_counts, queue_tickets
from tickets.status import Status

# The Number column's link (the subject's cell repeats it for phones, with a class).
TICKET_LINK = re.compile(r'<a href="/scp/tickets/\d+/"')


def queues_holding(agent, ticket) -> set[str]:
    return {
        slug
        for slug, queue in QUEUES.items()
        if queue_tickets(agent, queue, QueueParams()).filter(pk=ticket.pk).exists()
    }


def test_each_ticket_sits_in_exactly_the_right_tabs(john, jane, make):
    team = factories.TeamFactory(name="Level 2")
    expected = {
        "fresh and nobody's": (make(), {"open", "unassigned"}),
        "answered": (make(is_answered=True, assignee=jane), {"answered"}),
        "awaiting the user": (
            make(status=Status.AWAITING_USER, is_answered=True, team=team),
            {"answered"},
        ),
        "john's": (make(assignee=john), {"open", "mine"}),
        "john's and answered": (make(assignee=john, is_answered=True), {"answered", "mine"}),
        "the team's": (make(team=team), {"open"}),
        "overdue": (make(is_overdue=True, assignee=jane), {"open", "overdue"}),
        "overdue and answered": (
            make(is_overdue=True, is_answered=True, team=team),
            {"answered", "overdue"},
        ),
        "resolved": (make(status=Status.RESOLVED, assignee=john), {"closed"}),
        "closed": (make(status=Status.CLOSED, is_overdue=True), {"closed"}),
    }

    got = {name: queues_holding(john, ticket) for name, (ticket, _) in expected.items()}

    assert got == {name: tabs for name, (_, tabs) in expected.items()}


def test_counts_match_the_lists(john, make):
    make()
    make(assignee=john)
    make(is_answered=True)
    make(is_overdue=True, assignee=john)
    make(status=Status.RESOLVED)
    make(status=Status.CLOSED)

    counts = queue_counts(john)

    assert counts == {
        slug: queue_tickets(john, queue, QueueParams()).count() for slug, queue in QUEUES.items()
    }
    assert counts == {
        "open": 3,
        "answered": 1,
        "mine": 2,
        "unassigned": 2,
        "overdue": 1,
        "closed": 2,
    }


def test_a_ticket_the_agent_cannot_see_is_neither_listed_nor_counted(
    john, online_banking, karen, make
):
    hidden = factories.TicketFactory(department=online_banking, requester=karen)
    hidden_closed = factories.TicketFactory(
        department=online_banking, requester=karen, status=Status.CLOSED
    )
    # Assigned to John, so he sees it even though it is Online Banking's.
    lent = factories.TicketFactory(department=online_banking, requester=karen, assignee=john)

    assert queue_counts(john) == dict.fromkeys(QUEUES, 0) | {"open": 1, "mine": 1}
    listed = {
        pk
        for queue in QUEUES.values()
        for pk in queue_tickets(john, queue, QueueParams()).values_list("pk", flat=True)
    }
    assert listed == {lent.pk}
    assert hidden.pk not in listed
    assert hidden_closed.pk not in listed


def test_the_queue_page_shows_its_tickets_and_the_tabs_with_their_counts(client, john, make):
    make(subject="Printer on fire")
    make(subject="Password reset done", is_answered=True)
    make(subject="Old request", status=Status.CLOSED)
    client.force_login(john.user)

    response = client.get(reverse("staff:queue", kwargs={"queue": "answered"}))
    page = response.content.decode()

    assert response.status_code == 200
    assert "Password reset done" in page
    assert "Printer on fire" not in page
    assert "Old request" not in page
    tabs = {tab.queue.label: tab.count for tab in response.context["listing"].tabs}
    assert tabs == {
        "Open": 1,
        "Answered": 1,
        "My Tickets": 0,
        "Unassigned": 2,
        "Overdue": 0,
        "Closed": 1,
    }
    assert 'href="/scp/queues/answered/" aria-current="page">Answered' in page
    assert page.count('aria-current="page"') == 1


def test_a_row_shows_what_an_agent_needs_at_a_glance(client, john, make, sev_a):
    from datetime import UTC, datetime

    team = factories.TeamFactory(name="Level 2")
    ticket = make(
        subject="Card declined",
        priority=4,
        team=team,
        resolution_due_at=datetime(2030, 5, 17, 9, 30, tzinfo=UTC),
    )
    client.force_login(john.user)

    page = client.get(reverse("staff:home")).content.decode()

    assert f'href="/scp/tickets/{ticket.number}/">#{ticket.number}</a>' in page
    assert "Card declined" in page
    assert "Karen Taylor" in page
    assert '<span class="badge text-bg-danger">Emergency</span>' in page
    assert '<td class="d-none d-md-table-cell">Support</td>' in page
    assert '<td class="d-none d-md-table-cell">Level 2</td>' in page
    assert 'datetime="2030-05-17T' in page


def test_staff_home_shows_the_open_queue(client, john, make):
    make(subject="Printer on fire")
    make(subject="Password reset done", is_answered=True)
    client.force_login(john.user)

    response = client.get(reverse("staff:home"))
    page = response.content.decode()

    assert response.context["listing"].queue == QUEUES["open"]
    assert "Printer on fire" in page
    assert "Password reset done" not in page


def test_the_list_pages_by_fifty_and_the_pager_keeps_the_filters(client, john, make):
    for _ in range(51):
        make(priority=3)
    make(priority=1)
    client.force_login(john.user)
    url = reverse("staff:queue", kwargs={"queue": "open"})

    first = client.get(url, {"priority": 3})
    second = client.get(url, {"priority": 3, "page": 2})

    assert len(TICKET_LINK.findall(first.content.decode())) == 50
    assert len(TICKET_LINK.findall(second.content.decode())) == 1
    assert 'href="/scp/queues/open/?priority=3&amp;page=2">Next</a>' in first.content.decode()
    assert "Page 2 of 2 · 51 tickets" in second.content.decode()
    shown = {row.ticket.pk for row in first.context["listing"].rows} | {
        row.ticket.pk for row in second.context["listing"].rows
    }
    assert len(shown) == 51


def test_a_page_number_out_of_range_shows_the_nearest_page(client, john, make):
    make(subject="Only one")
    client.force_login(john.user)
    url = reverse("staff:queue", kwargs={"queue": "open"})

    for page in ["0", "7", "abc"]:
        response = client.get(url, {"page": page})
        assert response.status_code == 200
        assert "Only one" in response.content.decode()


def test_an_empty_queue_says_so(client, john):
    client.force_login(john.user)

    page = client.get(reverse("staff:queue", kwargs={"queue": "overdue"})).content.decode()

    assert "No tickets to show." in page


def test_switching_tabs_keeps_the_filters_and_the_sort(client, john, make, support):
    make()
    client.force_login(john.user)
    url = reverse("staff:queue", kwargs={"queue": "open"})

    listing = client.get(
        url, {"department": support.pk, "sort": "priority", "dir": "asc", "page": 1}
    ).context["listing"]

    closed = next(tab for tab in listing.tabs if tab.queue.slug == "closed")
    assert closed.url == f"/scp/queues/closed/?department={support.pk}&sort=priority&dir=asc"


def test_an_unknown_queue_is_not_found(client, john):
    client.force_login(john.user)

    response = client.get("/scp/queues/spam/")

    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_staff_login(client):
    response = client.get(reverse("staff:queue", kwargs={"queue": "open"}))

    assert response.status_code == 302
    assert response["Location"] == "/scp/login/?next=/scp/queues/open/"


def test_an_end_user_is_refused(client, karen):
    client.force_login(karen)

    assert client.get(reverse("staff:queue", kwargs={"queue": "open"})).status_code == 403
    assert client.get(reverse("staff:home")).status_code == 403


def test_queue_pages_refuse_other_methods(client, john):
    client.force_login(john.user)

    assert client.post(reverse("staff:queue", kwargs={"queue": "open"})).status_code == 405
    assert client.post(reverse("staff:home")).status_code == 405


def test_the_subject_opens_the_ticket_as_the_number_does(client, john, make):
    ticket = make(subject="Printer <jams> on floor 2")
    client.force_login(john.user)

    page = client.get(reverse("staff:queue", kwargs={"queue": "open"})).content.decode()

    url = reverse("staff:ticket", kwargs={"number": ticket.number})
    assert f'<a class="link-body-emphasis" href="{url}">Printer &lt;jams&gt; on floor 2</a>' in page


@pytest.mark.parametrize(
    "columns", [queues.WORKING_COLUMNS, queues.ENDED_COLUMNS, queues.SEARCH_COLUMNS]
)
def test_every_tab_s_columns_keep_the_order_the_rows_are_written_in(columns):
    # templates/staff/_partials/queue_table.html writes a row's cells in COLUMN_ORDER.
    assert [key for key in queues.COLUMN_ORDER if key in columns] == list(columns)
