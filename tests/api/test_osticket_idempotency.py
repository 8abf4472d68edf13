"""A retried request carrying the same Idempotency-Key makes one ticket and gets the first
ticket's number again; the key is scoped to the API key that sent it."""

import json

import pytest

from helpdesk.mail.models import OutgoingMail
from tests.api.conftest import data_url, new_key, post, text_of
from tickets.models import Attachment, Ticket

URL = "/api/tickets.json"
BODY = json.dumps(
    {
        "name": "Nagios",
        "email": "nagios@example.com",
        "subject": "db01 disk full",
        "message": "/var at 99%",
        "notes": "check_disk",
        "attachments": [{"df.txt": data_url(b"/var 99%")}],
    }
)


@pytest.fixture(autouse=True)
def _topic(outage_topic):
    """The topic tickets without a topicId take."""


def test_a_retry_with_the_same_idempotency_key_makes_one_ticket(client, ticket_key):
    first = post(client, URL, BODY, ticket_key, Idempotency_Key="alert-4711")
    again = post(client, URL, BODY, ticket_key, Idempotency_Key="alert-4711")

    assert first.status_code == again.status_code == 201
    assert text_of(first) == text_of(again) == Ticket.objects.get().number
    ticket = Ticket.objects.get()
    assert ticket.thread.count() == 2  # the message and the note, once
    assert Attachment.objects.count() == 1
    assert OutgoingMail.objects.filter(notice="ticket.autoresponse").count() == 1


def test_another_idempotency_key_or_none_makes_another_ticket(client, ticket_key):
    post(client, URL, BODY, ticket_key, Idempotency_Key="alert-4711")
    post(client, URL, BODY, ticket_key, Idempotency_Key="alert-4712")
    post(client, URL, BODY, ticket_key)
    post(client, URL, BODY, ticket_key)

    assert Ticket.objects.count() == 4


def test_the_same_idempotency_key_from_another_api_key_is_another_ticket(client, ticket_key):
    _, other = new_key(name="Web shop")

    one = post(client, URL, BODY, ticket_key, Idempotency_Key="order-1")
    two = post(client, URL, BODY, other, Idempotency_Key="order-1")

    assert text_of(one) != text_of(two)
    assert Ticket.objects.count() == 2


def test_an_overlong_idempotency_key_is_refused(client, ticket_key):
    response = post(client, URL, BODY, ticket_key, Idempotency_Key="x" * 256)

    assert (response.status_code, text_of(response)) == (
        400,
        "Idempotency-Key: at most 255 characters.",
    )
