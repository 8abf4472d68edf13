"""What the osTicket endpoints refuse, and how: a status a client can act on, one line that
names the field, never a 500 for bad input, and nothing stored from a refused request."""

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import User
from tests.api.conftest import data_url, post, text_of
from tickets.models import Attachment, Ticket

URL = "/api/tickets.json"


def fields(**changes) -> dict:
    base = {
        "name": "Angry User",
        "email": "api@osticket.com",
        "subject": "Testing API",
        "message": "data:text/plain;charset=utf-8,MESSAGE%20HERE",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def create(client, key, **changes):
    return post(client, URL, json.dumps(fields(**changes)), key)


@pytest.fixture(autouse=True)
def _topic(outage_topic):
    """The topic tickets without a topicId take."""


def assert_nothing_stored():
    assert not Ticket.objects.exists()
    assert not User.objects.filter(email="api@osticket.com").exists()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("missing", ["name", "email", "subject", "message"])
def test_a_missing_required_field_is_named(client, ticket_key, missing):
    response = create(client, ticket_key, **{missing: None})

    assert response.status_code == 400
    assert text_of(response) == f"{missing}: required field missing."
    assert_nothing_stored()


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"email": "api@"}, "email: 'api@' is not a valid email address."),
        ({"email": ["a@example.com"]}, "email: expected text."),
        ({"topicId": 99999}, "topicId: there is no active help topic 99999."),
        ({"topicId": "seven"}, "topicId: expected a number"),
        ({"message": "data:text/plain;base64,@@@"}, "message: the data is not valid base64."),
        ({"message": "data:image/png;base64,AAAA"}, "message: a data URL of text/plain or"),
        ({"message": "data:text/plain;charset=klingon,x"}, "message: unknown character set"),
        ({"message": "data:no comma"}, "message: not a data URL"),
        ({"source": "Carrier pigeon"}, "source: 'Carrier pigeon' is not a known source"),
        ({"priority": 9}, "priority: '9' is not a priority"),
        ({"priority": "urgent-ish"}, "priority: 'urgent-ish' is not a priority"),
        ({"alert": "maybe"}, "alert: expected true or false."),
        ({"autorespond": [True]}, "autorespond: expected true or false."),
        ({"ip": "999.1.1.1"}, "ip: '999.1.1.1' is not an IP address."),
        ({"phone": "call me maybe"}, "phone: 'call me maybe' is not a phone number"),
        ({"attachments": "file.txt"}, "attachments: expected a list"),
        ({"attachments": [{"a.txt": "x", "b.txt": "y"}]}, "attachments: each file is one"),
        ({"attachments": [{"a.txt": "not a data url"}]}, "attachments: a.txt: not a data URL"),
        (
            {"attachments": [{"a.txt": "data:text/plain;base64,#"}]},
            "attachments: a.txt: the data is not valid base64.",
        ),
        (
            {"attachments": [{"tool.exe": data_url(b"MZ")}]},
            "attachments: tool.exe: .exe files are not accepted.",
        ),
    ],
)
def test_a_bad_field_is_answered_400_naming_it(client, ticket_key, changes, reason):
    response = create(client, ticket_key, **changes)

    assert response.status_code == 400
    assert text_of(response).startswith(reason)
    assert "\n" not in text_of(response)
    assert_nothing_stored()


def test_an_attachment_over_the_web_forms_limit_is_refused(client, ticket_key, settings):
    settings.HELPDESK_MAX_ATTACHMENT_BYTES = 1000
    files = [{"ok.txt": data_url(b"fine")}, {"big.log": data_url(b"x" * 1001)}]

    response = create(client, ticket_key, attachments=files)

    assert response.status_code == 400
    assert text_of(response).startswith("attachments: big.log is 1001")
    assert "the limit is 1000" in text_of(response)
    assert_nothing_stored()


def test_more_files_than_the_web_form_takes_are_refused(client, ticket_key, settings):
    settings.HELPDESK_MAX_ATTACHMENTS = 2
    files = [{f"{n}.txt": data_url(b"x")} for n in range(3)]

    response = create(client, ticket_key, attachments=files)

    assert (response.status_code, text_of(response)) == (
        400,
        "attachments: at most 2 files; 3 were sent.",
    )


def test_a_message_longer_than_the_web_forms_limit_is_refused(client, ticket_key, settings):
    settings.HELPDESK_MAX_BODY_CHARS = 100

    response = create(client, ticket_key, message="x" * 101)

    assert response.status_code == 400
    assert text_of(response).startswith("message: 101 characters; the limit is 100.")


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"{not json", "Invalid JSON"),
        (b'["a list"]', "Invalid JSON: the body must be one object"),
        (b"\xff\xfe\x00garbage", "Invalid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "Invalid JSON"),
        (b"", "Invalid JSON"),
    ],
    ids=["broken", "a list", "not utf-8", "nested 100,000 deep", "empty"],
)
def test_a_body_that_is_not_a_json_object_is_answered_400(client, ticket_key, body, reason):
    response = post(client, URL, body, ticket_key)

    assert response.status_code == 400
    assert text_of(response).startswith(reason)


def test_a_body_over_the_limit_is_answered_413_before_it_is_read(client, ticket_key, settings):
    settings.HELPDESK_API_MAX_BODY_BYTES = 2048

    response = create(client, ticket_key, message="x" * 3000)

    assert response.status_code == 413
    assert "2,048 bytes" in text_of(response)
    assert_nothing_stored()


def test_the_api_limit_is_not_djangos_form_limit(client, ticket_key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    attachment = [{"log.txt": data_url(b"line\n" * 1000)}]

    response = create(client, ticket_key, attachments=attachment)

    assert response.status_code == 201, text_of(response)


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_only_post_is_allowed(client, ticket_key, method):
    response = getattr(client, method)(URL, headers={"X-API-Key": ticket_key})

    assert response.status_code == 405
    assert response["Allow"] == "POST"


@pytest.mark.parametrize("url", ["/api/tickets.yaml", "/api/http.php/tickets.php"])
def test_an_unsupported_format_is_answered_415_naming_the_formats(client, ticket_key, url):
    response = post(client, url, json.dumps(fields()), ticket_key)

    assert response.status_code == 415
    assert "tickets.json, tickets.xml or tickets.email" in text_of(response)
    assert_nothing_stored()


def test_the_format_is_read_in_any_case(client, ticket_key):
    response = post(client, "/api/tickets.JSON", json.dumps(fields()), ticket_key)

    assert response.status_code == 201


def test_the_ticket_number_is_answered_on_the_http_php_address_too(client, ticket_key):
    response = post(client, "/api/http.php/tickets.json", json.dumps(fields()), ticket_key)

    assert (response.status_code, text_of(response)) == (201, Ticket.objects.get().number)


# Anything at all in the known fields: an answer of 201 or 400, never a 500.
_anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)
_KNOWN = [
    "email",
    "name",
    "subject",
    "message",
    "topicId",
    "priority",
    "priorityId",
    "source",
    "alert",
    "autorespond",
    "ip",
    "phone",
    "phone_ext",
    "notes",
    "attachments",
]


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(st.sampled_from(_KNOWN), _anything, max_size=6))
def test_no_posted_fields_make_a_500(client, ticket_key, changes):
    response = create(client, ticket_key, **changes)

    assert response.status_code in (201, 400), text_of(response)
