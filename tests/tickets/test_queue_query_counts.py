"""A queue page costs the same number of queries with 3 tickets or a full page of them."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpdesk import memo
from tests import factories
from tickets.models import Priority, SavedQueue
from tickets.status import Status

# Session, user, agent and their access (5), the agent's saved searches (1), tab counts with
# the saved searches' (1), rows (1), the list's own count when a filter or search narrows it
# (1), the requester's name when narrowed to one (1). The departments, agents, teams and
# topics of the filter bar (4) and the SLA schedules' clocks (3) are kept for a few seconds
# per process (helpdesk.memo): a page right after another costs none of them, the first in a
# while those 7 more.
MOST_QUERIES = 10
FIRST_IN_A_WHILE = 7


def counted(client, url, params=None) -> tuple:
    """The page's response and its queries, right after the same page (the kept copies warm,
    as on a busy server)."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    return response, len(queries.captured_queries)


@pytest.fixture
def make_many(support, online_banking, john, jane, karen, outage_topic, inquiry_topic):
    """n varied tickets John sees: each row has its own requester, and most an assignee."""
    team = factories.TeamFactory(name="Level 2")
    factories.DepartmentAccessFactory(agent=john, department=online_banking)

    def make_many(n, **fields):
        variety = itertools.cycle(
            [
                {"assignee": john, "help_topic": outage_topic, "priority": Priority.HIGH},
                {"team": team, "department": online_banking, "help_topic": inquiry_topic},
                {"assignee": jane, "help_topic": None, "priority": Priority.LOW, "sla_plan": None},
                {"help_topic": outage_topic, "priority": Priority.EMERGENCY},
            ]
        )
        for _, extra in zip(range(n), variety, strict=False):
            factories.TicketFactory(
                **{
                    "department": support,
                    "requester": factories.UserFactory(),
                    "subject": "Printer jam",
                    **extra,
                    **fields,
                }
            )

    return make_many


@pytest.mark.parametrize(
    ("queue", "params", "tickets"),
    [
        ("open", {}, "open"),
        ("mine", {"sort": "assignee"}, "john's"),
        ("closed", {"sort": "due", "dir": "asc"}, "closed"),
        ("open", {"q": "printer", "priority": "3", "sort": "requester"}, "open"),
        ("open", {"q": "#123456", "assignee": "none", "department": "nope"}, "open"),
        ("open", {"requester": "karen"}, "karen's"),
    ],
    ids=["open", "mine", "closed", "searched", "searched-with-a-bad-value", "one-requester"],
)
def test_the_queue_page_runs_as_many_queries_for_60_tickets_as_for_3(
    client, john, karen, make_many, django_assert_max_num_queries, queue, params, tickets
):
    fields = {
        "open": {},
        "john's": {"assignee": john},
        "closed": {"status": Status.CLOSED},
        "karen's": {"requester": karen},
    }[tickets]
    if "requester" in params:
        params = {**params, "requester": karen.pk}
    url = reverse("staff:queue", kwargs={"queue": queue})
    client.force_login(john.user)
    make_many(3, **fields)
    _, few = counted(client, url, params)

    make_many(57, **fields)
    response, many = counted(client, url, params)

    assert response.status_code == 200
    assert many == few <= MOST_QUERIES


def test_staff_home_runs_as_many_queries_for_60_tickets_as_for_3(
    client, john, make_many, django_assert_max_num_queries
):
    client.force_login(john.user)
    make_many(3)
    _, few = counted(client, reverse("staff:home"))

    make_many(57)
    response, many = counted(client, reverse("staff:home"))

    assert len(response.context["listing"].rows) == 50
    assert many == few <= MOST_QUERIES


def test_the_first_page_in_a_while_reads_the_directory_and_the_clocks(
    client, john, make_many, django_assert_num_queries
):
    client.force_login(john.user)
    make_many(3)
    _, warm = counted(client, reverse("staff:home"))
    memo.forget()

    with django_assert_num_queries(warm + FIRST_IN_A_WHILE):
        client.get(reverse("staff:home"))


def test_a_saved_search_page_runs_as_many_queries_for_60_tickets_as_for_3(
    client, john, make_many, django_assert_max_num_queries
):
    saved = SavedQueue.objects.create(
        agent=john, name="Urgent printers", queue="open", query="q=printer&priority=3"
    )
    url = reverse("staff:saved-queue", kwargs={"pk": saved.pk})
    client.force_login(john.user)
    make_many(3)
    _, few = counted(client, url)

    make_many(57)
    response, many = counted(client, url, {"sort": "number", "page": "2"})

    assert response.status_code == 200
    assert many == few <= MOST_QUERIES
    assert response.context["listing"].saved_tabs[0].count == 16  # 1 of 3, 15 of 57


def test_twenty_saved_searches_cost_no_more_queries_than_one(
    client, john, make_many, django_assert_num_queries
):
    client.force_login(john.user)
    make_many(8)
    SavedQueue.objects.create(agent=john, name="Search 0", queue="open", query="q=printer")
    response, first = counted(client, reverse("staff:home"))
    one = len(response.context["listing"].saved_tabs)
    for n in range(1, 20):
        SavedQueue.objects.create(
            agent=john, name=f"Search {n}", queue="closed", query=f"priority={n % 4 + 1}"
        )

    response, twenty = counted(client, reverse("staff:home"))

    assert twenty == first

    assert (one, len(response.context["listing"].saved_tabs)) == (1, 20)
