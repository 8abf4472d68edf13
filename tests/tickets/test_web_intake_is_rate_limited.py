"""The portal's "Open a New Ticket" form takes at most WEB_TICKETS_PER_ADDRESS tickets per
window from one client address without a sign-in; past it, the form comes back with what was
typed and a message at the top saying the ticket was not sent and when to send it again."""

from django.test import Client
from django.urls import reverse

from tests import factories
from tests.tickets.test_open_ticket import form_data, png
from tickets.models import Ticket

URL = reverse("portal:open-ticket")


def test_twenty_anonymous_tickets_in_a_row_make_ten(client, outage_topic):
    answers = [client.post(URL, form_data(outage_topic, subject=f"Flood {n}")) for n in range(20)]

    assert [answer.status_code for answer in answers] == [302] * 10 + [429] * 10
    assert Ticket.objects.count() == 10
    refused = answers[-1]
    page = refused.content.decode()
    assert "Your ticket was not sent" in page
    assert "Please send it again in 10 minutes" in page
    assert 0 < int(refused["Retry-After"]) <= 600
    assert 'value="Flood 19"' in page
    assert "Customers cannot log in to the mobile app." in page
    assert "Support Center" in page


def test_the_refused_form_keeps_its_attachment_for_the_next_try(client, outage_topic, settings):
    settings.HELPDESK_WEB_TICKETS_PER_ADDRESS = 1
    client.post(URL, form_data(outage_topic))

    refused = client.post(URL, {**form_data(outage_topic), "attachments": png("error.png")})

    assert refused.status_code == 429
    assert "error.png" in refused.content.decode()


def test_another_address_is_not_held_up(outage_topic, settings):
    settings.HELPDESK_WEB_TICKETS_PER_ADDRESS = 2
    flooder = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(3):
        flooder.post(URL, form_data(outage_topic, subject=f"Flood {n}"))

    response = Client(REMOTE_ADDR="203.0.113.9").post(URL, form_data(outage_topic))

    assert response.status_code == 302
    assert Ticket.objects.count() == 3


def test_a_signed_in_user_is_not_limited_by_the_address(client, outage_topic, settings):
    settings.HELPDESK_WEB_TICKETS_PER_ADDRESS = 2
    karen = factories.UserFactory(email="karen@example.com")
    client.force_login(karen)

    answers = [client.post(URL, form_data(outage_topic)).status_code for _ in range(4)]

    assert answers == [302] * 4
