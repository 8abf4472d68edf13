"""Two agents on one ticket see each other: who is viewing, who is writing a reply."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests import factories
from tickets.models import TicketPresence


def presence_url(ticket):
    return reverse("staff:ticket-presence", kwargs={"number": ticket.number})


def test_an_agent_sees_who_else_is_on_the_ticket_and_who_is_replying(
    client, john, support, all_access, karen
):
    ticket = factories.TicketFactory(department=support, requester=karen)
    colleague = factories.AgentFactory(
        department=support, role=all_access, user__full_name="Sam Sharp"
    )
    client.force_login(colleague.user)
    client.post(presence_url(ticket), {"replying": "1"})

    client.force_login(john.user)
    answer = client.post(presence_url(ticket), {"replying": "0"}).json()

    assert answer == {"others": ["Sam Sharp (replying)"]}
    page = client.get(reverse("staff:ticket", kwargs={"number": ticket.number})).content.decode()
    assert "Also here: Sam Sharp (replying)" in page


def test_an_agent_who_left_a_minute_ago_is_no_longer_shown(client, john, support, karen):
    ticket = factories.TicketFactory(department=support, requester=karen)
    gone = factories.AgentFactory(department=support)
    TicketPresence.objects.create(
        ticket=ticket, agent=gone, seen_at=timezone.now() - timedelta(seconds=61)
    )
    client.force_login(john.user)

    assert client.post(presence_url(ticket)).json() == {"others": []}


def test_presence_is_only_for_those_who_see_the_ticket(client, jane, support, karen):
    ticket = factories.TicketFactory(department=support, requester=karen)
    client.force_login(jane.user)

    assert client.post(presence_url(ticket)).status_code == 404
    assert not TicketPresence.objects.exists()
