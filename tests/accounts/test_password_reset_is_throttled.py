"""Password-reset mail is limited per address typed and per client address: past the limit
the page says so (429, with when to try again) and no more mail is sent; before it, the
answer is the same whether or not the address has an account."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.worker import send_queued_mail

STAFF_RESET = reverse("staff:password-reset")
PORTAL_RESET = reverse("portal:password-reset")


def ask(client, url, email):
    return client.post(url, {"email": email})


@pytest.mark.parametrize(
    ("url", "layout", "who"),
    [(STAFF_RESET, "Staff Control Panel", "john"), (PORTAL_RESET, "Support Center", "karen")],
)
def test_ten_requests_mail_at_most_the_limit(client, request, url, layout, who):
    request.getfixturevalue(who)
    email = f"{who}@example.com"

    answers = [ask(client, url, email) for _ in range(10)]
    send_queued_mail()

    assert len(mail.outbox) == 5
    assert [answer.status_code for answer in answers] == [302] * 5 + [429] * 5
    refused = answers[-1].content.decode()
    assert "Too many password reset requests" in refused
    assert "no email was sent this time" in refused
    assert "Please try again in 60 minutes." in refused
    assert layout in refused
    assert 0 < int(answers[-1]["Retry-After"]) <= 3600


def test_an_unknown_address_is_answered_as_a_known_one(client, karen):
    known = [ask(client, PORTAL_RESET, "karen@example.com").status_code for _ in range(6)]
    unknown = [ask(client, PORTAL_RESET, "nobody@example.com").status_code for _ in range(6)]

    assert known == unknown == [302] * 5 + [429]


def test_the_address_typed_is_counted_in_any_case_from_any_network(karen):
    for number in range(5):
        ask(Client(REMOTE_ADDR=f"198.51.100.{number}"), PORTAL_RESET, "Karen@Example.com")

    response = ask(Client(REMOTE_ADDR="203.0.113.9"), PORTAL_RESET, "karen@example.com")
    send_queued_mail()

    assert response.status_code == 429
    assert len(mail.outbox) == 5


def test_one_network_asking_for_many_addresses_is_limited(client, karen, settings):
    settings.HELPDESK_PASSWORD_RESETS_PER_ADDRESS = 3

    answers = [ask(client, PORTAL_RESET, f"person{n}@example.com") for n in range(3)]
    refused = ask(client, PORTAL_RESET, "karen@example.com")
    elsewhere = ask(Client(REMOTE_ADDR="203.0.113.9"), PORTAL_RESET, "karen@example.com")
    send_queued_mail()

    assert [answer.status_code for answer in answers] == [302] * 3
    assert refused.status_code == 429
    assert elsewhere.status_code == 302
    assert [message.to for message in mail.outbox] == [["karen@example.com"]]
