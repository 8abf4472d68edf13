"""Every API request counts against its client address's rate before any key is looked at,
so guessing keys is limited as using one is: past API_REQUESTS_PER_ADDRESS a minute,
osTicket's endpoints answer 429 in plain text and /api/v1/ a problem, both with Retry-After.
"""

import json

from django.test import Client

from tests.api.conftest import MONITORING_HOST, make_key, new_key, post
from tickets.models import Ticket

TICKET = json.dumps(
    {
        "name": "Nagios",
        "email": "nagios@example.com",
        "subject": "db01 down",
        "message": "data:text/plain,ping%20failed",
    }
)


def guess_keys(client, count, address=MONITORING_HOST):
    return [
        post(client, "/api/tickets.json", TICKET, f"{n:032X}", address=address).status_code
        for n in range(count)
    ]


def test_after_the_limit_of_guesses_the_right_key_is_refused_too(client, ticket_key, settings):
    settings.HELPDESK_API_REQUESTS_PER_ADDRESS = 30

    guesses = guess_keys(client, 30)
    response = post(client, "/api/tickets.json", TICKET, ticket_key)

    assert guesses == [401] * 30
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/plain")
    assert "Too many API requests from your address: at most 30 a minute." in (
        response.content.decode()
    )
    assert 0 < int(response["Retry-After"]) <= 60
    assert not Ticket.objects.exists()


def test_the_default_limit_is_120_a_minute(client, db):
    answers = guess_keys(client, 121)

    assert answers == [401] * 120 + [429]


def test_another_address_is_not_held_up(client, settings, outage_topic):
    settings.HELPDESK_API_REQUESTS_PER_ADDRESS = 5
    _key, plain = new_key()
    guess_keys(client, 6, address="198.51.100.66")

    response = post(client, "/api/tickets.json", TICKET, plain)

    assert response.status_code == 201


def test_the_rest_api_answers_a_problem_with_retry_after(john, settings):
    settings.HELPDESK_API_REQUESTS_PER_ADDRESS = 3
    key = make_key(agent=john, can_read=True)
    client = Client(REMOTE_ADDR="198.51.100.70")
    for n in range(3):
        client.get("/api/v1/tickets", headers={"Authorization": f"Bearer {n:032X}"})

    response = client.get("/api/v1/tickets", headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:helpdesk:problem:rate-limited"
    assert "at most 3 a minute" in body["detail"]
    assert 0 < int(response["Retry-After"]) <= 60
