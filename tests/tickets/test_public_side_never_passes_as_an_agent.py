"""An agent's address on the public side (anonymous web form, mail, osTicket API) never
writes as that agent: anybody can type it, and nothing there proves who did."""

import json
import uuid

import pytest
from django.urls import reverse

from accounts import emails
from tests import factories
from tests.accounts.test_email_addresses_are_one_person import open_form, raw_mail
from tests.api.conftest import new_key, post
from tickets import services
from tickets.inbound.intake import receive
from tickets.models import Collaborator, InboundMail, ThreadEntry, Ticket


@pytest.mark.parametrize("address", ["john@example.com", "JOHN@Example.COM", " john@example.com"])
def test_the_anonymous_web_form_refuses_an_agents_address(client, john, outage_topic, address):
    response = client.post(reverse("portal:open-ticket"), open_form(outage_topic, address))

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [emails.STAFF_ADDRESS]
    assert not Ticket.objects.exists()
    assert not ThreadEntry.objects.filter(author=john.user).exists()


def test_the_agent_signed_in_on_the_portal_files_as_themselves(client, john, outage_topic):
    client.force_login(john.user)

    client.post(reverse("portal:open-ticket"), open_form(outage_topic, "ignored@example.com"))

    assert Ticket.objects.get().requester == john.user


def test_an_agent_may_open_a_ticket_for_a_colleague_in_the_staff_panel(
    client, john, jane, outage_topic
):
    client.force_login(john.user)
    data = open_form(outage_topic, "jane@example.com") | {"source": "phone"}

    client.post(reverse("staff:ticket-new"), data)

    assert Ticket.objects.get().requester == jane.user


def test_the_intake_service_refuses_an_agents_address_without_a_signed_in_actor(john, outage_topic):
    with pytest.raises(services.TicketError, match="member of our staff"):
        services.open_ticket(
            email="john@example.com",
            full_name="Not John",
            help_topic=outage_topic,
            subject="Hello",
            body="I am John, honestly.",
        )


@pytest.fixture
def mail_topic(settings, outage_topic):
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <support@helpdesk.example>"
    settings.HELPDESK_EMAIL_HELP_TOPIC = outage_topic.name
    return outage_topic


@pytest.mark.parametrize(
    ("sender", "reply_to"),
    [("John Miller <john@example.com>", None), ("stranger@example.net", "john@example.com")],
)
def test_mail_from_an_agents_address_is_kept_but_opens_no_ticket(
    mail_topic, john, sender, reply_to
):
    record = receive(raw_mail(sender, reply_to=reply_to), source="pipe")

    assert record.status == InboundMail.Status.IGNORED
    assert "agent's address" in record.outcome
    assert not Ticket.objects.exists()
    assert not ThreadEntry.objects.filter(author=john.user).exists()


def test_an_agent_copied_on_mail_does_not_become_a_follower(mail_topic, john):
    record = receive(raw_mail("karen@example.com", cc="john@example.com"), source="pipe")

    assert record.status == InboundMail.Status.IMPORTED
    assert not Collaborator.objects.filter(user=john.user).exists()


def test_a_mailed_reply_from_an_agents_address_is_held_not_posted(mail_topic, john, karens_ticket):
    entries = karens_ticket.thread.count()
    subject = f"Re: [#{karens_ticket.number}] Entire mobile online banking is down"

    record = receive(raw_mail("john@example.com", subject=subject), source="pipe")

    assert record.status == InboundMail.Status.HELD
    assert record.ticket == karens_ticket
    assert karens_ticket.thread.count() == entries


def test_a_mailed_reply_as_the_requester_who_is_an_agent_is_held_too(
    mail_topic, john, outage_topic
):
    ticket = Ticket.objects.get(pk=_ticket_of(john, outage_topic).pk)

    record = receive(
        raw_mail("john@example.com", subject=f"Re: [#{ticket.number}] Hi"), source="pipe"
    )

    assert record.status == InboundMail.Status.HELD
    assert ticket.thread.filter(kind=ThreadEntry.Kind.MESSAGE).count() == 1


def _ticket_of(agent, topic):
    ticket = factories.TicketFactory(requester=agent.user, help_topic=topic)
    factories.ThreadEntryFactory(ticket=ticket, author=agent.user)
    return ticket


@pytest.mark.parametrize("address", ["john@example.com", "John@EXAMPLE.com"])
def test_the_osticket_api_refuses_an_agents_address(client, john, outage_topic, address):
    body = {"name": "John", "email": address, "subject": "Hi", "message": "It is me."}

    response = post(client, "/api/tickets.json", json.dumps(body), new_key()[1])

    assert response.status_code == 409
    assert "member of our staff" in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_osticket_mail_endpoint_keeps_but_refuses_an_agents_mail(client, mail_topic, john):
    raw = raw_mail("john@example.com", subject=f"Printer {uuid.uuid4()}")

    response = post(client, "/api/tickets.email", raw, new_key()[1], content_type="message/rfc822")

    assert response.status_code == 201
    assert "agent's address" in response.content.decode()
    assert not Ticket.objects.exists()
