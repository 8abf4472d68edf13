"""Every URL of the portal, the staff and admin panels, Django's admin and the API, with
hostile values in its path and its query string, by each kind of person: never a 5xx.

The patterns are read from the URL resolver (tests/fuzz/urls.py), so a URL added later is
fuzzed too. A path value is a real one (a ticket number, a pk, an access link's token) or a
hostile one (huge and negative numbers, NUL, bytes that are not UTF-8, 100,000 characters);
the query string carries the names the views and their forms read, unknown names, repeated
names, `name[]` arrays and names without a value.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import hostile
from tests.fuzz.conftest import FUZZ, FuzzClient, form_body, never_5xx, seeded
from tests.fuzz.urls import query_names, routes

pytestmark = pytest.mark.django_db

ROUTES = routes()
NAMES = query_names()

# Who tries each area first: the person it is for. The others try it too.
FOR_AREA = {
    "django-admin/": "superuser",
    "scp/admin/": "admin",
    "scp/": "agent",
    "api/": "anonymous",
    "": "end_user",
}
PEOPLE = ["anonymous", "end_user", "agent", "admin", "superuser"]
# Mostly GET and POST, which the views answer; the others mostly meet a 405 before any query.
METHODS = ["GET", "GET", "GET", "GET", "POST", "POST", "HEAD", "PUT", "DELETE", "OPTIONS"]


def _url(route, values, query):
    path = "/" + route.template.format(**values)
    return f"{path}?{query}" if query else path


@pytest.mark.parametrize("area", list(FOR_AREA), ids=lambda a: "/" + a)
def test_every_url_of_the_area_never_answers_5xx(area, world):
    """Each URL of the area in turn (one world for all: it is set up once, and each request
    is rolled back); every URL that answers a 5xx is named, not just the first."""
    clients = {who: FuzzClient(getattr(world, who)) for who in PEOPLE}
    routes_here = [route for route in ROUTES if route.area == area]
    assert routes_here
    failures = []
    for route in routes_here:
        try:
            _fuzz_route(route, world, clients)
        except AssertionError as failure:
            failures.append(f"{route}: {failure}")
    assert not failures, "\n\n".join(failures)


def _fuzz_route(route, world, clients):
    first = FOR_AREA[route.area]
    segments = {
        name: hostile.url_segment(list(words) + world.known)
        for name, words in zip(route.parameters, route.choices, strict=True)
    }

    @FUZZ
    @seeded(str(route))
    @given(
        who=st.sampled_from([first] + [p for p in PEOPLE if p != first]),
        values=st.fixed_dictionaries(segments),
        query=hostile.query_string(NAMES),
        method=st.sampled_from(METHODS),
        body=st.dictionaries(st.sampled_from(NAMES), hostile.form_value([]), max_size=4),
    )
    def check(who, values, query, method, body):
        url = _url(route, values, query)
        data = form_body(body) if method == "POST" else b""
        never_5xx(clients[who].request(method, url, data))

    check()
