"""What a bulk change says afterwards: what happened, in words, and each refusal on its own."""

import pytest
from django.urls import reverse

from tests import factories
from tickets.models import Priority, Ticket
from tickets.status import Status

BULK = reverse("staff:bulk")


@pytest.fixture
def tickets(support, karen):
    return [factories.TicketFactory(department=support, requester=karen) for _ in range(3)]


def said(client, numbers, change):
    response = client.post(
        BULK,
        {"tickets": numbers, "change": change, "next": "/scp/", "confirmed": "1"},
        follow=True,
    )
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(
    ("change", "how_many", "words"),
    [
        (f"status:{Status.CLOSED}", 3, "3 tickets closed."),
        (f"status:{Status.RESOLVED}", 1, "1 ticket resolved."),
        (f"status:{Status.AWAITING_USER}", 2, "2 tickets set to Awaiting user."),
        (f"priority:{Priority.HIGH}", 3, "3 tickets set to High priority."),
        ("assign:none", 2, "2 tickets unassigned."),
    ],
)
def test_the_message_says_what_happened_to_how_many(client, john, tickets, change, how_many, words):
    client.force_login(john.user)
    if change == "assign:none":
        Ticket.objects.update(assignee=john)

    assert said(client, [t.number for t in tickets[:how_many]], change) == [words]


def test_assigning_names_the_agent_or_the_team(client, john, jane, tickets):
    team = factories.TeamFactory(name="Network")
    client.force_login(john.user)
    numbers = [t.number for t in tickets[:2]]

    assert said(client, numbers, f"assign:agent:{jane.pk}") == [
        "2 tickets assigned to Jane Cooper."
    ]
    assert said(client, numbers, f"assign:team:{team.pk}") == [
        "2 tickets assigned to team Network."
    ]


def test_a_transfer_names_the_department(client, john, tickets, online_banking):
    factories.DepartmentAccessFactory(agent=john, department=online_banking)
    client.force_login(john.user)
    numbers = [t.number for t in tickets[:2]]

    assert said(client, numbers, f"transfer:{online_banking.pk}") == [
        "2 tickets transferred to Online Banking."
    ]


def test_each_refusal_is_its_own_message(client, john, tickets):
    client.force_login(john.user)
    said(client, [tickets[0].number], f"status:{Status.CLOSED}")

    messages = said(client, [t.number for t in tickets] + ["000001"], f"status:{Status.RESOLVED}")

    assert messages == [
        "2 tickets resolved.",
        f"#{tickets[0].number}: A ticket cannot go from closed to resolved.",
        "#000001: No ticket you can see has this number.",
    ]


def test_after_ten_refusals_the_rest_are_counted_in_one_message(client, john):
    client.force_login(john.user)
    unseen = [f"9000{n:02d}" for n in range(13)]

    messages = said(client, unseen, f"priority:{Priority.HIGH}")

    assert len(messages) == 11
    assert messages[:10] == [f"#{n}: No ticket you can see has this number." for n in unseen[:10]]
    assert messages[10] == "3 more tickets were not changed."


def test_one_refusal_past_ten_is_counted_in_the_singular(client, john):
    client.force_login(john.user)

    messages = said(client, [f"8000{n:02d}" for n in range(11)], f"priority:{Priority.HIGH}")

    assert messages[-1] == "1 more ticket was not changed."


def test_a_ticket_of_another_department_reads_the_same_as_no_ticket_at_all(client, john, karen):
    elsewhere = factories.TicketFactory(
        department=factories.DepartmentFactory(name="Elsewhere"), requester=karen
    )
    client.force_login(john.user)

    assert said(client, [elsewhere.number], f"priority:{Priority.LOW}") == [
        f"#{elsewhere.number}: No ticket you can see has this number."
    ]
