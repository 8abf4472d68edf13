"""An error from the database is answered 503 with Retry-After in the area's format, made
without the database or the session; any other failure stays a 500.

tests/faults/test_database_outage.py shows the same with a database really stopped; these
pin the details (layouts, formats, what the page must not touch).
"""

import pytest
from django.db import InterfaceError
from django.test import override_settings

from tests.test_error_pages import PORTAL_NAV, STAFF_NAV, expect_no_stack_trace, main_html

pytestmark = pytest.mark.urls("tests.faults.urls_without_database")

HEADING = "The helpdesk cannot reach its database just now"


@pytest.fixture
def failing_client(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


def test_a_portal_page_without_its_database_says_so_in_plain_words(
    failing_client, karen, django_db_blocker
):
    failing_client.force_login(karen)

    # Any query while answering (the session, the user) fails the test.
    with django_db_blocker.block():
        response = failing_client.get("/db-away/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert PORTAL_NAV in page
    assert HEADING in main_html(response)
    assert "Nothing you sent was saved" in main_html(response)
    assert "5432" not in page  # what the driver said stays in the log
    assert "sessionid" not in response.cookies
    expect_no_stack_trace(response)


def test_a_staff_page_without_its_database_shows_the_staff_layout(
    failing_client, john, django_db_blocker
):
    failing_client.force_login(john.user)

    with django_db_blocker.block():
        response = failing_client.get("/scp/db-away/")

    assert response.status_code == 503
    assert STAFF_NAV in response.content.decode()
    assert HEADING in main_html(response)


def test_an_error_raised_while_handling_a_lost_connection_is_still_a_503(failing_client, db):
    response = failing_client.get("/closed/")

    assert response.status_code == 503
    assert HEADING in main_html(response)


def test_any_other_failure_stays_a_500(failing_client, db):
    response = failing_client.get("/bug/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in main_html(response)
    assert "Retry-After" not in response


def test_osticket_clients_get_a_plain_text_line(failing_client, db):
    response = failing_client.post("/api/db-away/")

    assert response.status_code == 503
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Retry-After"] == "30"
    assert response.content.decode().startswith("The helpdesk cannot reach its database")


@pytest.mark.urls("helpdesk.urls")
def test_the_rest_api_answers_a_problem(failing_client, db, monkeypatch):
    from api import keys

    def database_away(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(keys, "authenticate", database_away)
    with override_settings(DEBUG=False):
        response = failing_client.get("/api/v1/tickets", HTTP_AUTHORIZATION="Bearer x")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "30"
    problem = response.json()
    assert problem["type"] == "urn:helpdesk:problem:unavailable"
    assert problem["status"] == 503
    assert "nothing was saved" in problem["detail"]
