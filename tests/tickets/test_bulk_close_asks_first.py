"""Closing or resolving ticked tickets asks first, on a page of its own: no JavaScript needed."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tickets.models import Ticket
from tickets.status import Status

BULK = reverse("staff:bulk")
BACK = "/scp/queues/open/?priority=3"


@pytest.fixture
def tickets(support, karen):
    return [
        factories.TicketFactory(department=support, requester=karen, subject=f"Printer {n}")
        for n in range(3)
    ]


def ask(client, numbers, change=f"status:{Status.CLOSED}", back=BACK, follow=False, **extra):
    data = {"tickets": numbers, "change": change, "next": back, **extra}
    return client.post(BULK, data, follow=follow)


def statuses(tickets):
    return [Ticket.objects.get(pk=t.pk).status for t in tickets]


def hidden(page, name):
    return re.findall(rf'<input type="hidden" name="{name}" value="([^"]*)">', page)


def test_closing_ticked_tickets_asks_first_and_changes_nothing(client, john, tickets):
    client.force_login(john.user)
    numbers = [t.number for t in tickets]

    response = ask(client, numbers)

    assert response.status_code == 200
    assert statuses(tickets) == [Status.OPEN] * 3
    page = response.content.decode()
    assert "<title>Close 3 tickets? · Helpdesk</title>" in page
    assert '<h1 class="h4">Close 3 tickets?</h1>' in page
    assert "Nothing has changed yet." in page
    for ticket in tickets:
        assert f"<li>#{ticket.number} {ticket.subject}</li>" in page
    assert '<button type="submit" class="btn btn-danger">Close 3 tickets</button>' in page
    assert hidden(page, "tickets") == numbers
    assert hidden(page, "change") == [f"status:{Status.CLOSED}"]
    assert hidden(page, "next") == [BACK]
    assert hidden(page, "confirmed") == ["1"]
    assert '<a class="btn btn-link" href="/scp/queues/open/?priority=3">Cancel</a>' in page


def test_resolving_one_ticket_asks_in_the_singular(client, john, tickets):
    client.force_login(john.user)

    page = ask(client, [tickets[0].number], f"status:{Status.RESOLVED}").content.decode()

    assert '<h1 class="h4">Resolve 1 ticket?</h1>' in page
    assert ">Resolve 1 ticket</button>" in page
    assert statuses(tickets[:1]) == [Status.OPEN]


def test_the_confirmed_close_closes_them_and_says_so(client, john, tickets):
    client.force_login(john.user)

    response = ask(client, [t.number for t in tickets], confirmed="1")

    assert response["Location"] == BACK
    assert statuses(tickets) == [Status.CLOSED] * 3
    response = client.get(response["Location"])
    assert [str(m) for m in response.context["messages"]] == ["3 tickets closed."]


def test_the_confirmation_never_names_a_ticket_the_agent_cannot_see(client, john, tickets, karen):
    hidden_ticket = factories.TicketFactory(
        department=factories.DepartmentFactory(name="Elsewhere"),
        requester=karen,
        subject="Merger plans",
    )
    client.force_login(john.user)

    response = ask(client, [tickets[0].number, hidden_ticket.number])

    page = response.content.decode()
    assert "Close 1 ticket?" in page
    assert "Merger plans" not in page
    assert f"<li>#{hidden_ticket.number}" not in page
    assert "1 other number you chose matches no ticket you can see." in page
    assert Ticket.objects.get(pk=hidden_ticket.pk).status == Status.OPEN


def test_with_no_ticket_the_agent_can_see_there_is_nothing_to_confirm(client, john, karen):
    elsewhere = factories.TicketFactory(
        department=factories.DepartmentFactory(name="Elsewhere"), requester=karen
    )
    client.force_login(john.user)

    response = ask(client, [elsewhere.number], follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        f"#{elsewhere.number}: No ticket you can see has this number."
    ]
    assert Ticket.objects.get(pk=elsewhere.pk).status == Status.OPEN


def test_other_changes_are_made_at_once(client, john, tickets):
    client.force_login(john.user)

    response = ask(client, [tickets[0].number], f"status:{Status.AWAITING_USER}")

    assert response.status_code == 302
    assert statuses(tickets[:1]) == [Status.AWAITING_USER]


def test_the_way_back_from_the_confirmation_stays_on_this_site(client, john, tickets):
    client.force_login(john.user)

    page = ask(client, [tickets[0].number], back="https://evil.example/").content.decode()

    assert "evil.example" not in page
    assert hidden(page, "next") == ["/scp/"]
    assert '<a class="btn btn-link" href="/scp/">Cancel</a>' in page


def test_the_confirmation_is_only_for_agents(client, karen, tickets):
    client.force_login(karen)

    response = ask(client, [tickets[0].number])

    assert response.status_code in (302, 403)
    assert statuses(tickets[:1]) == [Status.OPEN]
