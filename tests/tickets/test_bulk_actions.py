"""Bulk actions on a queue page: one change for the ticked tickets, each checked with can()."""

import pytest
from django.urls import reverse

from tests import factories
from tickets.models import Priority, Ticket
from tickets.status import Status

BULK = reverse("staff:bulk")


@pytest.fixture
def tickets(support, karen):
    return [factories.TicketFactory(department=support, requester=karen) for _ in range(3)]


def bulk(client, numbers, change, follow=True):
    # Confirmed, as from the confirmation page that closing or resolving asks first.
    return client.post(
        BULK,
        {"tickets": numbers, "change": change, "next": "/scp/queues/open/", "confirmed": "1"},
        follow=follow,
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_a_bulk_priority_change_changes_every_ticked_ticket(client, john, tickets):
    client.force_login(john.user)

    response = bulk(client, [t.number for t in tickets[:2]], f"priority:{Priority.EMERGENCY}")

    assert response.redirect_chain[0][0] == "/scp/queues/open/"
    priorities = [Ticket.objects.get(pk=t.pk).priority for t in tickets]
    assert priorities == [Priority.EMERGENCY, Priority.EMERGENCY, tickets[2].priority]
    assert messages_of(response) == ["2 tickets set to Emergency priority."]


def test_bulk_assign_transfer_and_status(client, john, jane, tickets, online_banking):
    client.force_login(john.user)
    numbers = [t.number for t in tickets]

    bulk(client, numbers, f"assign:agent:{jane.pk}")
    bulk(client, numbers[:1], f"status:{Status.RESOLVED}")
    bulk(client, numbers[1:], f"transfer:{online_banking.pk}")

    fresh = [Ticket.objects.get(pk=t.pk) for t in tickets]
    assert [t.assignee for t in fresh] == [jane, jane, jane]
    assert fresh[0].status == Status.RESOLVED
    assert [t.department for t in fresh[1:]] == [online_banking, online_banking]


def test_tickets_the_agent_may_not_change_are_refused_and_named(
    client, support, view_only, online_banking, karen, tickets
):
    agent = factories.AgentFactory(department=online_banking)  # All Access in Online Banking
    factories.DepartmentAccessFactory(agent=agent, department=support, role=view_only)
    own = factories.TicketFactory(department=online_banking, requester=karen)
    hidden = factories.TicketFactory(
        department=factories.DepartmentFactory(name="Elsewhere"), requester=karen
    )
    client.force_login(agent.user)

    response = bulk(
        client, [own.number, tickets[0].number, hidden.number], f"priority:{Priority.LOW}"
    )

    assert Ticket.objects.get(pk=own.pk).priority == Priority.LOW
    assert Ticket.objects.get(pk=tickets[0].pk).priority != Priority.LOW
    assert Ticket.objects.get(pk=hidden.pk).priority != Priority.LOW
    changed, not_allowed, not_seen = messages_of(response)
    assert changed == "1 ticket set to Low priority."
    assert not_allowed.startswith(f"#{tickets[0].number}: Your role does not allow you to edit")
    assert not_seen == f"#{hidden.number}: No ticket you can see has this number."


def test_an_illegal_status_move_is_refused_per_ticket(client, john, tickets):
    client.force_login(john.user)
    bulk(client, [tickets[0].number], f"status:{Status.CLOSED}")

    response = bulk(client, [t.number for t in tickets], f"status:{Status.RESOLVED}")

    assert "2 tickets resolved." in messages_of(response)
    assert any("cannot go from closed to resolved" in m for m in messages_of(response))


def test_an_empty_selection_is_answered_with_a_message(client, john, tickets):
    client.force_login(john.user)

    response = bulk(client, [], f"priority:{Priority.LOW}")

    assert messages_of(response) == ["Tick at least one ticket, then choose a change."]


def test_a_missing_change_or_a_number_that_is_not_one_is_named(client, john, tickets):
    client.force_login(john.user)

    no_change = bulk(client, [tickets[0].number], "")
    not_a_number = bulk(client, ["<b>1</b>" * 50], f"priority:{Priority.LOW}")
    gone = bulk(client, [tickets[0].number], "assign:agent:999999")

    assert messages_of(no_change) == ["Choose a change to make to the ticked tickets."]
    assert messages_of(not_a_number) == ["A ticket number is digits only."]
    assert messages_of(gone) == ["That change is no longer offered: choose another."]
    assert Ticket.objects.get(pk=tickets[0].pk).priority == tickets[0].priority


def test_the_way_back_stays_on_this_site(client, john, tickets):
    client.force_login(john.user)

    response = client.post(
        BULK,
        {"tickets": [tickets[0].number], "change": "priority:1", "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("staff:home")


def test_the_queue_page_offers_checkboxes_and_the_bulk_changes(client, john, tickets):
    client.force_login(john.user)

    page = client.get(reverse("staff:home")).content.decode()

    assert f'aria-label="Select #{tickets[0].number}"' in page
    assert "With selected" in page
    assert "Set priority" in page
