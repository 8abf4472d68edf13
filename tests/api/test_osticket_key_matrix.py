"""Which key may use which osTicket endpoint, from where and how often: every endpoint
answers through the one gate (api.keys.authenticate), with the reason as plain text."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api.conftest import new_key, post, text_of
from tests.mail.messages import message
from tickets.models import Ticket

TICKET = json.dumps({"name": "A", "email": "a@example.com", "subject": "S", "message": "Hello"})
XML = '<ticket name="A" email="a@example.com" subject="S" message="Hi"/>'
ENDPOINTS = {
    "/api/tickets.json": TICKET,
    "/api/http.php/tickets.json": TICKET,
    "/api/tickets.xml": XML,
    "/api/http.php/tickets.xml": XML,
    "/api/tickets.email": message("Hello"),
    "/api/http.php/tickets.email": message("Hello", Message_ID="<other@example.com>"),
    "/api/tasks/cron": "",
    "/api/http.php/tasks/cron": "",
}
CREATES = {url for url in ENDPOINTS if "cron" not in url}

KEYS = {
    "tickets only": {},
    "cron only": {"can_create_tickets": False, "can_run_cron": True},
    "both": {"can_run_cron": True},
    "read and write only": {"can_create_tickets": False, "can_read": True, "can_write": True},
    "inactive": {"is_active": False, "can_run_cron": True},
    "expired": {"can_run_cron": True},
}


def expected(kind: str, url: str) -> tuple[int, str]:
    creates = url in CREATES
    if kind == "inactive":
        return 401, "This API key is not active."
    if kind == "expired":
        return 401, "This API key has expired."
    if kind == "both" or ((kind == "tickets only") == creates and kind != "read and write only"):
        return (201 if creates else 200), ""
    return 401, "may not create tickets" if creates else "may not run cron"


@pytest.fixture(autouse=True)
def _world(outage_topic):
    """The topic tickets without a topicId take."""


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("kind", KEYS)
def test_each_kind_of_key_gets_the_expected_answer_at_each_endpoint(client, john, kind, url):
    fields = dict(KEYS[kind])
    if fields.get("can_read"):
        fields["agent"] = john
    key, plain = new_key(**fields)
    if kind == "expired":
        key.expires_at = timezone.now() - timedelta(minutes=1)
        key.save()

    response = post(client, url, ENDPOINTS[url], plain)

    status, reason = expected(kind, url)
    assert response.status_code == status, text_of(response)
    assert reason in text_of(response)
    if status == 401:
        assert response["Content-Type"].startswith("text/plain")
        assert not Ticket.objects.exists()


@pytest.mark.parametrize("url", ENDPOINTS)
def test_no_key_or_an_unknown_one_is_refused_saying_so(client, url):
    assert text_of(post(client, url, ENDPOINTS[url])).startswith("No API key was sent")
    unknown = post(client, url, ENDPOINTS[url], "0" * 32)
    assert (unknown.status_code, text_of(unknown)) == (401, "This API key is not known.")


@pytest.mark.parametrize(
    "allowed, address, status",
    [
        ("192.0.2.10", "192.0.2.10", 201),
        ("192.0.2.10", "192.0.2.11", 401),
        ("198.51.100.0/24", "198.51.100.77", 201),
        ("198.51.100.0/24", "198.51.101.1", 401),
        ("10.0.0.0/8\n2001:db8::/32", "2001:db8:5::1", 201),
        ("10.0.0.0/8\n2001:db8::/32", "2001:db9::1", 401),
        ("2001:db8::7", "2001:db8::7", 201),
        ("198.51.100.0/24", "::ffff:198.51.100.9", 201),
    ],
)
def test_a_key_bound_to_addresses_or_ranges_works_only_from_them(client, allowed, address, status):
    _, plain = new_key(allowed_networks=allowed)

    response = post(client, "/api/tickets.json", TICKET, plain, address=address)

    assert response.status_code == status, text_of(response)
    if status == 401:
        assert text_of(response) == f"This API key may not be used from {address}."


def test_past_its_rate_a_key_gets_429_with_retry_after(client):
    _, plain = new_key(rate_per_minute=2)
    if timezone.now().second >= 57:  # the three requests fall in one minute's count
        time.sleep(4)

    answers = [post(client, "/api/tickets.json", TICKET, plain) for _ in range(3)]

    assert [a.status_code for a in answers] == [201, 201, 429]
    assert 0 < int(answers[2]["Retry-After"]) <= 60
    assert "at most 2 a minute" in text_of(answers[2])
    assert Ticket.objects.count() == 2


def test_each_use_is_recorded_on_the_key(client):
    key, plain = new_key()

    post(client, "/api/tickets.json", TICKET, plain, address="2001:db8::1")

    key.refresh_from_db()
    assert (key.use_count, key.last_used_from) == (1, "2001:db8::1")


def test_a_bearer_token_works_as_well_as_x_api_key(client):
    _, plain = new_key()

    response = client.post(
        "/api/tickets.json",
        TICKET,
        content_type="application/json",
        headers={"Authorization": f"Bearer {plain}"},
        REMOTE_ADDR="192.0.2.1",
    )

    assert response.status_code == 201
