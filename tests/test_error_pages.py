"""Refused (403), missing (404) and failed (500) requests: a page in the area's layout that
says what happened in plain words and links home, never a stack trace."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests import factories
from tests.urls_that_fail import SECRET

STAFF_NAV = 'aria-label="Staff Control Panel"'
PORTAL_NAV = 'aria-label="Support Center"'


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found, self._href, self._text = [], None, []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.found.append((" ".join("".join(self._text).split()), self._href))
            self._href = None


def links(response) -> list[tuple[str, str]]:
    """Every link on the page as (text, address), as a person reads them."""
    parser = _Links()
    parser.feed(response.content.decode())
    return parser.found


def main_html(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def expect_no_stack_trace(response):
    page = response.content.decode()
    assert "Traceback" not in page
    assert "File &quot;" not in page
    assert "tried these URL patterns" not in page


# 404 -------------------------------------------------------------------------------------


def test_a_missing_portal_page_answers_404_in_the_portal_layout_with_a_link_home(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert PORTAL_NAV in page
    assert STAFF_NAV not in page
    assert "<title>Page not found · Helpdesk</title>" in page
    assert "Page not found" in main_html(response)
    assert ("Go to the Support Center", reverse("portal:home")) in links(response)
    expect_no_stack_trace(response)


def test_a_missing_staff_page_answers_404_in_the_staff_layout_with_the_agents_menu(client, john):
    client.force_login(john.user)

    response = client.get("/scp/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert STAFF_NAV in page
    assert PORTAL_NAV not in page
    assert "John Miller" in page
    assert ">Log Out</button>" in page
    assert ("Back to the ticket queues", reverse("staff:home")) in links(response)
    expect_no_stack_trace(response)


def test_a_ticket_the_agent_cannot_see_answers_404_without_saying_why(client, jane, karens_ticket):
    client.force_login(jane.user)

    response = client.get(reverse("staff:ticket", kwargs={"number": karens_ticket.number}))

    assert response.status_code == 404
    assert "Page not found" in main_html(response)
    assert "No such ticket" not in response.content.decode()
    assert karens_ticket.subject not in response.content.decode()


# 403 -------------------------------------------------------------------------------------


def test_an_agent_refused_the_admin_panel_gets_403_with_the_reason_in_the_staff_layout(
    client, john
):
    client.force_login(john.user)

    response = client.get(reverse("admin-panel:home"))

    assert response.status_code == 403
    page = response.content.decode()
    assert STAFF_NAV in page
    assert "John Miller" in page
    assert "The admin panel is for administrators." in main_html(response)
    assert ("Back to the ticket queues", reverse("staff:home")) in links(response)
    expect_no_stack_trace(response)


def test_a_view_only_agent_refused_an_action_is_told_which_permission_is_missing(
    client, support, view_only, karens_ticket
):
    reader = factories.AgentFactory(department=support, role=view_only)
    client.force_login(reader.user)

    response = client.post(
        reverse("staff:ticket-priority", kwargs={"number": karens_ticket.number})
    )

    assert response.status_code == 403
    assert "Your role does not allow you to edit on this ticket." in main_html(response)


def test_an_end_user_refused_the_staff_panel_gets_403_in_the_portal_layout(client, karen):
    client.force_login(karen)

    response = client.get(reverse("staff:home"))

    assert response.status_code == 403
    page = response.content.decode()
    assert PORTAL_NAV in page
    assert STAFF_NAV not in page
    assert ">Sign Out</button>" in page
    assert "The staff panel is for agents." in main_html(response)
    assert ("Go to the Support Center", reverse("portal:home")) in links(response)
    assert ("Back to the ticket queues", reverse("staff:home")) not in links(response)


@pytest.mark.urls("tests.urls_that_fail")
def test_a_refusal_reason_is_shown_as_text_never_as_markup(client, db):
    response = client.get("/refused/markup/")

    assert response.status_code == 403
    assert PORTAL_NAV in response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is not allowed here." in main_html(response)
    assert "<script>alert" not in response.content.decode()


@pytest.mark.urls("tests.urls_that_fail")
def test_a_refusal_without_a_reason_still_says_what_happened(client, db):
    response = client.get("/refused/")

    assert response.status_code == 403
    main = main_html(response)
    assert "You cannot do this" in main
    assert "Your account does not allow this page or this action." in main
    assert 'role="note"' not in main


# 500 -------------------------------------------------------------------------------------


@pytest.fixture
def failing_client(client, settings):
    """The test client as a browser sees a server error: an answer, not a raised exception."""
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


@pytest.mark.urls("tests.urls_that_fail")
def test_a_server_error_in_the_portal_shows_the_portal_layout_without_the_database(
    failing_client, karen, django_db_blocker
):
    failing_client.force_login(karen)

    # Any query while answering (the session, the user) fails the test.
    with django_db_blocker.block():
        response = failing_client.get("/fails/")

    assert response.status_code == 500
    page = response.content.decode()
    assert PORTAL_NAV in page
    assert STAFF_NAV not in page
    # Who is signed in is not known here: the menu offers neither Sign In nor Sign Out.
    assert "Sign In" not in page
    assert "Sign Out" not in page
    assert "Something went wrong on our side" in main_html(response)
    assert ("Go to the Support Center", reverse("portal:home")) in links(response)
    assert SECRET not in page
    assert "RuntimeError" not in page
    expect_no_stack_trace(response)


@pytest.mark.urls("tests.urls_that_fail")
def test_a_server_error_in_the_staff_panel_shows_the_staff_layout_without_the_database(
    failing_client, john, django_db_blocker
):
    failing_client.force_login(john.user)

    with django_db_blocker.block():
        response = failing_client.get("/scp/fails/")

    assert response.status_code == 500
    page = response.content.decode()
    assert STAFF_NAV in page
    assert PORTAL_NAV not in page
    # Who is signed in would take a query: the page does without the agent's menu.
    assert "John Miller" not in page
    assert "Something went wrong on our side" in main_html(response)
    assert ("Back to the ticket queues", reverse("staff:home")) in links(response)
    assert SECRET not in page
    expect_no_stack_trace(response)
