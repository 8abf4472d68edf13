"""Every error under /api/v1/ is an RFC 9457 problem (application/problem+json), never a page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import ApiKey
from tests.api.conftest import RestClient, make_key

pytestmark = pytest.mark.django_db


def assert_problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == f"urn:helpdesk:problem:{kind}"
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert body["instance"] == response.wsgi_request.path
    return body


def test_an_invalid_request_lists_each_field_error(johns_api):
    response = johns_api.get("/tickets", data={"limit": "many", "priority": "urgent"})

    body = assert_problem(response, 422, "validation")
    assert {(e["location"], e["field"]) for e in body["errors"]} == {
        ("query", "limit"),
        ("query", "priority"),
    }
    assert all(e["message"] for e in body["errors"])


def test_an_invalid_body_names_its_fields_without_the_parameter_name(johns_api, karens_ticket):
    response = johns_api.patch(f"/tickets/{karens_ticket.number}", {"priority": 3, "team": -1})

    body = assert_problem(response, 422, "validation")
    assert {(e["location"], e["field"]) for e in body["errors"]} == {
        ("body", "priority"),
        ("body", "team"),
    }


def test_a_body_that_is_not_json_is_a_bad_request(johns_api, karens_ticket):
    response = johns_api.client.post(
        f"/api/v1/tickets/{karens_ticket.number}/notes",
        data="{not json",
        content_type="application/json",
        headers=johns_api.headers,
    )

    assert_problem(response, 400, "bad-request")


def test_text_no_database_can_store_is_an_invalid_field(johns_api, karens_ticket):
    response = johns_api.post(f"/tickets/{karens_ticket.number}/notes", {"body": "a\x00b"})

    body = assert_problem(response, 422, "validation")
    assert body["errors"][0]["field"] == "body"


@pytest.mark.parametrize(
    ("key_fields", "sent", "reason"),
    [
        (None, None, "No API key was sent"),
        (None, "0" * 32, "This API key is not known."),
        ({"is_active": False}, "", "This API key is not active."),
        ({"expires_at": "past"}, "", "This API key has expired."),
        ({"allowed_networks": "198.51.100.0/24"}, "", "may not be used from 127.0.0.1"),
        ({"can_read": False}, "", "This API key may not read tickets."),
    ],
)
def test_a_refused_key_is_401_saying_which_check_failed(client, john, key_fields, sent, reason):
    if key_fields is not None:
        fields = {"can_read": True, **key_fields}
        if fields.get("expires_at") == "past":
            fields["expires_at"] = timezone.now() - timedelta(minutes=1)
        sent = make_key(john, **fields)

    response = RestClient(client, sent).get("/tickets")

    body = assert_problem(response, 401, "key-refused")
    assert reason in body["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_osticket_style_x_api_key_header_works_too(client, john, karens_ticket):
    key = make_key(john, can_read=True)

    response = client.get("/api/v1/tickets", headers={"X-API-Key": key})

    assert response.status_code == 200


def test_past_its_rate_a_key_gets_429_with_retry_after(client, john):
    key = make_key(john, can_read=True)
    ApiKey.objects.update(rate_per_minute=2)
    api = RestClient(client, key)
    api.get("/departments")
    api.get("/departments")

    response = api.get("/departments")

    body = assert_problem(response, 429, "rate-limited")
    assert "at most 2 a minute" in body["detail"]
    assert 0 < int(response["Retry-After"]) <= 60


def test_a_refused_change_is_403(viewers_api, karens_ticket):
    response = viewers_api.post(f"/tickets/{karens_ticket.number}/notes", {"body": "Hi"})

    assert_problem(response, 403, "forbidden")


def test_a_ticket_out_of_sight_is_404(janes_api, karens_ticket):
    assert_problem(janes_api.get(f"/tickets/{karens_ticket.number}"), 404, "not-found")


@pytest.mark.parametrize("path", ["/", "/nothing", "/tickets/123/nothing", "/docs/x", "/../x"])
@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
def test_an_unknown_address_is_404_in_any_method(johns_api, path, method):
    response = getattr(johns_api.client, method)(f"/api/v1{path}", headers=johns_api.headers)

    assert_problem(response, 404, "not-found")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("delete", "/tickets", "GET, POST"),
        ("put", "/tickets/123456", "GET, PATCH"),
        ("get", "/tickets/123456/replies", "POST"),
        ("post", "/departments", "GET"),
        ("post", "/openapi.json", "GET"),
        ("delete", "/docs", "GET"),
    ],
)
def test_a_method_an_address_does_not_take_is_405_with_allow(johns_api, method, path, allowed):
    response = getattr(johns_api.client, method)(f"/api/v1{path}", headers=johns_api.headers)

    assert_problem(response, 405, "method-not-allowed")
    assert sorted(response["Allow"].split(", ")) == sorted(allowed.split(", "))


def test_a_status_move_refused_by_the_machine_is_409(johns_api, karens_ticket):
    response = johns_api.patch(f"/tickets/{karens_ticket.number}", {"status": "open"})
    assert response.status_code == 200  # already open: nothing to do

    karens_ticket.status = "closed"
    karens_ticket.save()
    response = johns_api.patch(f"/tickets/{karens_ticket.number}", {"status": "awaiting_user"})

    assert_problem(response, 409, "conflict")


def test_a_body_over_the_limit_is_413(johns_api, karens_ticket, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = johns_api.post(f"/tickets/{karens_ticket.number}/notes", {"body": "x" * 2000})

    assert_problem(response, 413, "too-large")


def test_a_failure_of_ours_is_a_500_problem_not_a_page(johns_api, karens_ticket, settings):
    # A setting broken by hand makes the note's length check fail: our fault, not the client's.
    settings.HELPDESK_MAX_BODY_CHARS = None

    response = johns_api.post(f"/tickets/{karens_ticket.number}/notes", {"body": "Hello"})

    body = assert_problem(response, 500, "server-error")
    assert "Traceback" not in body["detail"]
    assert karens_ticket.thread.count() == 1
