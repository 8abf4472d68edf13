"""Property-based tests of the REST API from its own OpenAPI schema (schemathesis).

Schemathesis reads /api/v1/openapi.json and, for each operation, sends requests generated
from it — valid ones, and ones the schema says are invalid — through the real WSGI
application. No answer may be a 500, and every answer must match the schema: a documented
status, its content type, headers and body; and a request the schema calls invalid must be
refused. (A request the schema allows may still be refused: an address that is not one, a
help topic that does not exist; so schemathesis's "valid data is accepted" check is off.)

Schemathesis's own pytest plugin does not run under pytest 9.2 (it reads a node attribute
pytest removed), so the cases are drawn with its Hypothesis strategies under `given`.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from api import keys
from api.models import ApiKey
from api.rest import api
from tests import factories

pytestmark = pytest.mark.django_db

# Each operation gets this many generated requests; the whole module stays within about a
# minute and a half on either database.
EXAMPLES_PER_OPERATION = 40


def _operations() -> list[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return [(method.upper(), path) for path, ops in paths.items() for method in ops]


@pytest.fixture
def rest_app(db):
    """The project's WSGI application, answering inside the test's transaction.

    Django closes a connection left in a transaction when a request starts and ends; the
    test client keeps it open by disconnecting that handler, and so does this.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield WSGIHandler()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def rest_schema(rest_app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", rest_app)


def _key(agent, **permissions) -> str:
    key = ApiKey(name="Schemathesis", agent=agent, rate_per_minute=1_000_000, **permissions)
    plain = keys.issue(key)
    key.save()
    return plain


@pytest.fixture
def api_keys(john, viewer):
    """Keys to send, with a rate no run of examples reaches: John's (all access to Support),
    one acting as the view-only agent (her changes are refused), one that may only read."""
    return [
        _key(john, can_read=True, can_write=True),
        _key(viewer, can_read=True, can_write=True),
        _key(john, can_read=True),
    ]


@pytest.fixture
def known_numbers(karens_ticket, inquiry_topic, online_banking):
    """Tickets to aim at besides random numbers: one John works, one he cannot see."""
    hidden_topic = factories.HelpTopicFactory(name="Cards", department=online_banking)
    hidden = factories.TicketFactory(help_topic=hidden_topic)
    factories.TicketFactory(help_topic=inquiry_topic)
    return [karens_ticket.number, hidden.number]


def _sendable(case) -> bool:
    """Not a query parameter with no name and no value, which no client can send (it
    vanishes on the way, leaving a valid request that schemathesis expects refused)."""
    return "" not in (case.query or {})


def _cases(operation, known_numbers):
    """Valid and invalid requests; those about one ticket aimed at existing ones half of
    the time, so that the changes are really made, not only refused with 404."""
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    if "{number}" in operation.path:
        strategies += [
            operation.as_strategy(GenerationMode.POSITIVE, path_parameters={"number": number})
            for number in known_numbers
        ]
    return st.one_of(strategies).filter(_sendable)


@pytest.mark.parametrize(("method", "path"), _operations(), ids=lambda value: value)
def test_no_answer_is_a_500_and_every_answer_matches_the_schema(
    rest_schema, api_keys, known_numbers, method, path
):
    operation = rest_schema[path][method]

    @given(case=_cases(operation, known_numbers), key=st.sampled_from(api_keys))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_within_the_schema(case, key):
        case.call_and_validate(
            headers={"Authorization": f"Bearer {key}"}, excluded_checks=[positive_data_acceptance]
        )

    answers_within_the_schema()
