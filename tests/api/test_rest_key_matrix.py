"""The REST API's access matrix: every /api/v1/ route × every kind of key, and the answer.

A route added later must be added here too: test_every_route_under_api_v1_is_in_the_matrix
walks the URL configuration and the OpenAPI schema and fails on any route without a row.
"""

import re
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, get_resolver

from api.rest import api
from tests.api.conftest import RestClient, make_key

pytestmark = pytest.mark.django_db

KEYS = ["no_key", "create_only", "read", "write", "inactive"]


def answers(default, **overrides):
    return {key: overrides.get(key, default) for key in KEYS}


PUBLIC = answers(200)
READS = answers(401, read=200)
# A key may change tickets only with the write permission; it need not also read.
WRITES = {**answers(401), "write": None}


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # as in the OpenAPI schema, {number} for the subject ticket's number
    expected: dict
    body: dict | None = None
    written: int = 200  # what the write key gets


MATRIX = [
    Row("GET", "/api/v1/openapi.json", PUBLIC),
    Row("GET", "/api/v1/docs", PUBLIC),
    Row("GET", "/api/v1/tickets", READS),
    Row("GET", "/api/v1/tickets/{number}", READS),
    Row("GET", "/api/v1/departments", READS),
    Row("GET", "/api/v1/help-topics", READS),
    Row("GET", "/api/v1/sla-plans", READS),
    Row(
        "POST",
        "/api/v1/tickets",
        WRITES,
        body={
            "email": "walter@example.com",
            "name": "Walter White",
            "subject": "Printer on fire",
            "message": "Smoke.",
            "help_topic": "topic",
        },
        written=201,
    ),
    Row("PATCH", "/api/v1/tickets/{number}", WRITES, body={"priority": "low"}),
    Row("POST", "/api/v1/tickets/{number}/replies", WRITES, body={"body": "Hi"}, written=201),
    Row("POST", "/api/v1/tickets/{number}/notes", WRITES, body={"body": "Hm"}, written=201),
]


@pytest.fixture
def keys_by_kind(john):
    """One key of each kind, all acting as John where they act as anybody."""
    return {
        "no_key": None,
        "create_only": make_key(can_create_tickets=True),
        "read": make_key(john, can_read=True),
        "write": make_key(john, can_write=True),
        "inactive": make_key(john, can_read=True, can_write=True, is_active=False),
    }


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: f"{row.method} {row.path}")
@pytest.mark.parametrize("kind", KEYS)
def test_each_kind_of_key_gets_the_expected_answer(
    client, keys_by_kind, karens_ticket, inquiry_topic, row, kind
):
    rest = RestClient(client, keys_by_kind[kind])
    path = row.path.removeprefix("/api/v1").replace("{number}", karens_ticket.number)
    body = row.body and {
        name: inquiry_topic.pk if value == "topic" else value for name, value in row.body.items()
    }
    expected = row.expected[kind] or row.written

    if row.method == "GET":
        response = rest.get(path)
    else:
        response = getattr(rest, row.method.lower())(path, body)

    assert response.status_code == expected, response.content[:300]
    if expected == 401:
        assert response["Content-Type"] == "application/problem+json"


def _routes_of(patterns, prefix="") -> set[str]:
    routes = set()
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            routes.add(prefix + str(pattern.pattern))
        else:
            routes |= _routes_of(pattern.url_patterns, prefix + str(pattern.pattern))
    return routes


def test_every_route_under_api_v1_is_in_the_matrix():
    served = {
        route for route in _routes_of(get_resolver().url_patterns) if route.startswith("api/v1/")
    }
    # Ninja's root and our catch-all answer every unknown address 404 (test_rest_problem_details).
    served -= {"api/v1/", "api/v1/^.*$"}
    as_schema_paths = {"/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route) for route in served}
    operations = {
        (method.upper(), path)
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method in methods
    }
    in_matrix = {(row.method, row.path) for row in MATRIX}

    assert {path for _method, path in in_matrix} == as_schema_paths
    assert operations | {("GET", "/api/v1/openapi.json"), ("GET", "/api/v1/docs")} == in_matrix
