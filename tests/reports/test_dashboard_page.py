"""The dashboard page and its CSV files: the figures of tests.reports.conftest's fortnight
as an agent and an admin see them, the period form's errors, and a query count that does
not grow with the tickets."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.reports.conftest import at
from tickets import dashboard

pytestmark = pytest.mark.django_db

FORTNIGHT = {"period": "range", "start": "2018-12-17", "end": "2018-12-30"}


@pytest.fixture
def as_john(client, helpdesk_story):
    client.force_login(helpdesk_story.john.user)
    return client


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_page_shows_the_agents_figures(as_john):
    response = as_john.get("/scp/dashboard/", FORTNIGHT)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Mon 17 Dec 2018 to Sun 30 Dec 2018" in page
    assert "the tickets you can see" in page
    report = response.context["report"]
    # John sees Support's tickets only: F (Online Banking) is not counted.
    assert (report.totals.created, report.totals.ended) == (4, 4)
    assert 'data-figure="created">4<' in page
    activity = response.context["activity_charts"]
    assert [chart.slug for chart in activity][:2] == [
        "activity-created",
        "activity-first_responses",
    ]
    assert [column.value for column in activity[0].columns] == [
        1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0,
    ]  # fmt: skip
    assert page.count('data-chart="activity-created"') == 1
    # On-time per plan without colour alone: resolutions hatched, and each bar says its share.
    assert "First response: 67 % (2 of 3)" in page
    assert "Resolution: 33 % (1 of 3)" in page
    assert 'data-value="33.3" data-pattern="hatched"' in page
    assert "Jane Cooper" not in response.context["tables"]["agents"]["lines"][0]


def test_every_table_downloads_as_csv_named_for_its_period(as_john):
    response = as_john.get("/scp/dashboard/csv/times-departments/", FORTNIGHT)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="helpdesk-times-departments_2018-12-17_to_2018-12-30.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == [
        "Department",
        "First responses measured",
        "First response median (working h)",
        "First response 90th percentile (working h)",
        "Resolutions measured",
        "Resolution median (working h)",
        "Resolution 90th percentile (working h)",
    ]
    assert rows[1:] == [["Support", "3", "1.5", "2.7", "3", "11.5", "90.3"]]


@pytest.mark.parametrize("slug", list(dashboard.TABLES))
def test_each_table_of_the_page_downloads_with_the_same_rows(as_john, slug):
    shown = as_john.get("/scp/dashboard/", FORTNIGHT).context["tables"][slug.replace("-", "_")]

    rows = read_csv(as_john.get(f"/scp/dashboard/csv/{slug}/", FORTNIGHT))

    assert rows[0] == [column.header for column in shown["table"].columns]
    assert len(rows) - 1 == len(shown["lines"])
    # The first column (a day, a name, a count) reads the same on the page and in the file,
    # apart from the page's words for days, dates and ticket numbers.
    if slug not in ("activity", "comments"):
        assert [row[0] for row in rows[1:]] == [line[0] for line in shown["lines"]]


def test_the_tickets_csv_lists_every_ticket_of_the_period(as_john):
    response = as_john.get("/scp/dashboard/csv/tickets/", FORTNIGHT)

    rows = read_csv(response)
    subjects = [row[1] for row in rows[1:]]
    # Created, answered or resolved in the period, and visible to John (not F).
    assert subjects == [
        "G: shared drive slow",
        "A: printer offline",
        "B: laptop will not start",
        "C: monitor flickers",
        "D: keyboard missing keys",
    ]
    a = rows[2]
    header = rows[0]
    assert a[header.index("Resolution (working h)")] == "8.0"
    assert a[header.index("First response on time")] == "no"
    assert a[header.index("Created")] == "2018-12-17T10:00+01:00"


def test_a_spreadsheet_formula_in_a_subject_is_not_run(as_john, helpdesk_story):
    helpdesk_story.c.subject = '=HYPERLINK("http://evil.example/","Click")'
    helpdesk_story.c.save()

    rows = read_csv(as_john.get("/scp/dashboard/csv/tickets/", FORTNIGHT))

    assert '\'=HYPERLINK("http://evil.example/","Click")' in [row[1] for row in rows]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"period": "range", "end": "2018-12-30"}, "start", "Enter the first day of the period."),
        ({"period": "range", "start": "2018-12-30", "end": "2018-12-17"}, "start",
         "The first day must be on or before the last day."),
        ({"period": "range", "start": "2018-12-17", "end": "2019-01-05"}, "end",
         "The last day cannot be after today."),
        ({"period": "range", "start": "2017-01-01", "end": "2018-12-30"}, "start",
         "A period can be at most 366 days long."),
        ({"period": "range", "start": "17/12/2018x", "end": "2018-12-30"}, "start",
         "Enter a valid date."),
        ({"period": "range", "start": "0001-01-01", "end": "0001-01-02"}, "start",
         "The first day cannot be before 1 January 2000."),
        ({"period": "range", "start": "2018-12-17", "end": "99999-01-01"}, "end",
         "Enter a valid date."),
        ({"period": "forever"}, "period", "Select a valid choice."),
        ({"department": "abc"}, "department", "Select a valid choice."),
    ],
)  # fmt: skip
def test_a_bad_period_is_refused_with_the_typed_values_kept(as_john, query, field, message):
    response = as_john.get("/scp/dashboard/", query)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert page.count(message) == 1
    assert f'id="id_{field}_error"' in page
    assert "report" not in response.context
    # What was typed is still in the form.
    for value in query.values():
        assert (
            f'value="{value}"' in page
            or f'<option value="{value}" selected' in page
            or (
                value not in dict(response.context["form"].fields[field].choices)
                if hasattr(response.context["form"].fields[field], "choices")
                else False
            )
        )


def test_a_csv_asked_for_with_a_bad_period_is_refused(as_john):
    response = as_john.get("/scp/dashboard/csv/agents/", {"period": "range"})

    assert response.status_code == 400
    assert "Enter the first day of the period." in response.content.decode()


def test_an_unknown_table_is_404(as_john):
    assert as_john.get("/scp/dashboard/csv/passwords/", FORTNIGHT).status_code == 404


def test_the_admin_dashboard_counts_every_ticket(client, helpdesk_story, admin_agent):
    client.force_login(admin_agent.user)
    # In UTC, H (created Mon 31 00:30 in Berlin) was created on Sun 30: in the period.
    assert client.get("/scp/admin/dashboard/", FORTNIGHT).context["report"].totals.created == 6
    admin_agent.timezone = "Europe/Berlin"
    admin_agent.save()

    response = client.get("/scp/admin/dashboard/", FORTNIGHT)

    assert response.status_code == 200
    assert "every ticket" in response.content.decode()
    assert response.context["report"].totals.created == 5
    rows = read_csv(client.get("/scp/admin/dashboard/csv/sla-plans/", FORTNIGHT))
    assert rows[1:] == [
        ["Sev-A", "1", "1", "100.0", "1", "1", "100.0"],
        ["Sev-C business", "3", "2", "66.7", "3", "1", "33.3"],
    ]


def test_an_agent_cannot_open_the_admin_dashboard(as_john):
    assert as_john.get("/scp/admin/dashboard/", FORTNIGHT).status_code == 403
    assert as_john.get("/scp/admin/dashboard/csv/agents/", FORTNIGHT).status_code == 403


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/scp/dashboard/", FORTNIGHT)
    assert response.status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_tickets(as_john, helpdesk_story, clock, karen):
    before = queries_for(as_john)
    # Forty more tickets, answered, resolved and rated, across the fortnight.
    from tickets import services
    from tickets.status import Status

    for n in range(40):
        clock.set(at(2018, 12, 17 + n % 10, 9, 0))
        ticket, _ = services.open_ticket(
            email=f"user{n}@example.com",
            full_name=f"User {n}",
            help_topic=helpdesk_story.topic,
            subject=f"More work {n}",
            body="Help.",
        )
        services.post_reply(ticket, by=helpdesk_story.john, body="Done.", status=Status.RESOLVED)
        ticket.refresh_from_db()
        services.rate(ticket, rating="good", comment=f"Fine {n}")
    factories.AgentFactory(department=helpdesk_story.support)
    clock.set(at(2018, 12, 31, 10, 0))

    after = queries_for(as_john)

    assert after == before
    # The sign-in, the agent's access, the form's lists, and the report's aggregates (on
    # PostgreSQL with their time limit, in a savepoint inside the test's transaction).
    assert before <= (27 if connection.vendor == "postgresql" else 24), before
