"""An agent opens a ticket on behalf of a user: "even if you fix it on the spot"."""

import uuid

import pytest
from django.urls import reverse

from tests import factories
from tickets.models import Event, Ticket

URL = reverse("staff:ticket-new")


def data(topic, **overrides):
    return {
        "email": "walkin@example.com",
        "full_name": "Walter Inn",
        "phone": "",
        "source": "walk_in",
        "help_topic": topic.pk,
        "subject": "Laptop does not boot",
        "body": "Brought the laptop to the desk.",
        "submission_key": str(uuid.uuid4()),
        **overrides,
    }


def test_an_agent_opens_a_ticket_for_a_walk_in_user(client, john, outage_topic):
    client.force_login(john.user)

    response = client.post(URL, data(outage_topic))

    ticket = Ticket.objects.get()
    assert response["Location"] == reverse("staff:ticket", kwargs={"number": ticket.number})
    assert ticket.source == "walk_in"
    assert ticket.requester.email == "walkin@example.com"
    assert ticket.thread.get().author == ticket.requester
    event = ticket.events.get(kind=Event.Kind.CREATED)
    assert event.actor == john.user
    assert event.data["on_behalf_of"] == "walkin@example.com"


def test_private_topics_are_offered_to_agents(client, john, private_topic):
    client.force_login(john.user)

    assert "Internal Escalation" in client.get(URL).content.decode()
    client.post(URL, data(private_topic))
    assert Ticket.objects.get().help_topic == private_topic


def test_only_topics_of_departments_the_agent_may_create_in_are_offered(
    client, john, online_banking, outage_topic
):
    banking_topic = factories.HelpTopicFactory(name="Card Blocked", department=online_banking)
    client.force_login(john.user)

    page = client.get(URL).content.decode()
    response = client.post(URL, data(banking_topic))

    assert "Card Blocked" not in page
    assert "help_topic" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_an_agent_without_create_anywhere_is_refused(client, support, view_only):
    reader = factories.AgentFactory(department=support, role=view_only)
    client.force_login(reader.user)

    assert client.get(URL).status_code == 403


def test_bad_input_keeps_what_was_typed(client, john, outage_topic):
    client.force_login(john.user)

    response = client.post(URL, data(outage_topic, email="walkin@"))

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert "Laptop does not boot" in response.content.decode()


@pytest.mark.parametrize("source", ["web", "api"])
def test_web_and_api_are_not_sources_an_agent_picks(client, john, outage_topic, source):
    client.force_login(john.user)

    response = client.post(URL, data(outage_topic, source=source))

    assert "source" in response.context["form"].errors
