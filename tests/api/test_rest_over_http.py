"""A real HTTP client against a live server: a ticket opened and answered through /api/v1/
shows, with its reply, in the staff panel."""

import pytest
import requests

from tests.api.conftest import make_key


@pytest.fixture
def session(live_server, john):
    """A requests session carrying a key that acts as John."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {make_key(john, can_read=True, can_write=True)}"
    yield http
    http.close()


def test_a_ticket_opened_and_answered_over_http_shows_in_the_staff_panel(
    live_server, session, client, john, inquiry_topic
):
    base = f"{live_server.url}/api/v1"
    opened = session.post(
        f"{base}/tickets",
        json={
            "email": "walter@example.com",
            "name": "Walter White",
            "help_topic": inquiry_topic.pk,
            "subject": "VPN drops every hour",
            "message": "Since Monday.",
        },
        timeout=10,
    )
    assert opened.status_code == 201, opened.text
    number = opened.json()["number"]

    replied = session.post(
        f"{base}/tickets/{number}/replies", json={"body": "Try the new profile."}, timeout=10
    )
    listed = session.get(f"{base}/tickets", params={"requester": "walter@example.com"}, timeout=10)
    missing = session.get(f"{base}/tickets/000000", timeout=10)

    assert replied.status_code == 201
    assert [item["number"] for item in listed.json()["items"]] == [number]
    assert missing.status_code == 404
    assert missing.headers["Content-Type"] == "application/problem+json"
    client.force_login(john.user)
    page = client.get(f"/scp/tickets/{number}/").content.decode()
    assert "VPN drops every hour" in page
    assert "Try the new profile." in page
