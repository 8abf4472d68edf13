"""From a ticket to the requester's other tickets, and never to tickets the agent cannot see."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tickets.status import Status

pytestmark = pytest.mark.django_db


def test_the_ticket_header_links_to_the_requesters_tickets(client, john, make, karen):
    ticket = make(subject="Printer jam")
    client.force_login(john.user)

    page = client.get(reverse("staff:ticket", kwargs={"number": ticket.number})).content.decode()

    link = re.search(r'href="([^"]+)">their tickets</a>', page)
    assert link is not None
    assert (
        link.group(1) == f"{reverse('staff:queue', kwargs={'queue': 'open'})}?requester={karen.pk}"
    )


def test_the_requester_filter_lists_only_their_tickets_and_names_them(
    client, john, make, karen, ken
):
    make(subject="Karen's first")
    make(subject="Karen's second")
    make(subject="Ken's", requester=ken)
    client.force_login(john.user)

    response = client.get(reverse("staff:queue", kwargs={"queue": "open"}), {"requester": karen.pk})

    assert sorted(row.ticket.subject for row in response.context["listing"].rows) == [
        "Karen's first",
        "Karen's second",
    ]
    page = response.content.decode()
    assert f"Tickets from <strong>{karen.display_name} &lt;{karen.email}&gt;</strong>" in page
    # Dropping it keeps the rest of the page's choices.
    assert 'href="/scp/queues/open/">Show everyone' in page


def test_the_tabs_and_the_filter_form_carry_the_requester(client, john, make, karen):
    make(subject="Karen's resolved", status=Status.RESOLVED)
    client.force_login(john.user)

    response = client.get(
        reverse("staff:queue", kwargs={"queue": "open"}), {"requester": karen.pk, "priority": 2}
    )

    closed_tab = next(tab for tab in response.context["listing"].tabs if tab.queue.slug == "closed")
    assert f"requester={karen.pk}" in closed_tab.url
    assert f'<input type="hidden" name="requester" value="{karen.pk}">' in response.content.decode()
    assert (
        response.context["listing"].without_requester
        == f"{reverse('staff:queue', kwargs={'queue': 'open'})}?priority=2"
    )


def test_a_requester_with_no_ticket_the_agent_sees_is_not_named(client, john, make, online_banking):
    stranger = factories.UserFactory(full_name="Secret Person", email="secret@example.com")
    make(subject="Banking's", requester=stranger, department=online_banking)
    client.force_login(john.user)

    response = client.get(
        reverse("staff:queue", kwargs={"queue": "open"}), {"requester": stranger.pk}
    )

    assert response.context["listing"].rows == []
    page = response.content.decode()
    assert "Secret Person" not in page
    assert "secret@example.com" not in page
    assert "a requester with no ticket you can see" in page


def test_a_requester_value_that_is_not_an_id_is_ignored_with_a_note(client, john, make):
    make(subject="Anyone's")
    client.force_login(john.user)

    response = client.get(reverse("staff:queue", kwargs={"queue": "open"}), {"requester": "x"})

    assert [row.ticket.subject for row in response.context["listing"].rows] == ["Anyone's"]
    assert "Requester filter “x” was ignored" in response.content.decode()
