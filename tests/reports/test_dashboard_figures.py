"""Every figure of the dashboard over a known fortnight (tests.reports.conftest tells it):
working time across a weekend, a holiday and an awaiting-user pause, days in the viewer's
time zone, and only the tickets the viewer can see."""

import datetime

import pytest

from tests.reports.conftest import BERLIN, NOW, PERIOD_END, PERIOD_START
from tickets import reports
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

H = datetime.timedelta(hours=1)
MIN = datetime.timedelta(minutes=1)


def report_of(tickets, story) -> reports.Report:
    period = reports.Period(PERIOD_START, PERIOD_END, BERLIN)
    return reports.Report(
        reports.Scope(tickets=tickets, period=period, now=NOW),
        agents=[story.john, story.jane],
        departments=[story.support, story.online_banking],
    )


@pytest.fixture
def everything(helpdesk_story):
    return report_of(Ticket.objects.all(), helpdesk_story)


def by_day(report, name):
    return {day.day.day: getattr(day, name) for day in report.days if getattr(day, name)}


def test_activity_per_day_in_the_viewers_time_zone(everything):
    assert [day.day.day for day in everything.days] == list(range(17, 31))
    # H, created Mon 31 00:30 in Berlin (Sun 30 in UTC), is not in the period.
    assert by_day(everything, "created") == {17: 1, 19: 1, 21: 1, 22: 1, 27: 1}
    assert by_day(everything, "first_responses") == {17: 1, 19: 1, 25: 2}
    # D closed on the 27th counts as ended; its reopening on the 28th as reopened.
    assert by_day(everything, "ended") == {18: 1, 19: 1, 26: 1, 27: 1, 28: 1}
    assert by_day(everything, "reopened") == {28: 1}
    assert by_day(everything, "overdue") == {26: 3}
    totals = everything.totals
    assert (totals.created, totals.first_responses, totals.ended, totals.reopened) == (5, 4, 5, 1)


def test_open_backlog_at_the_end_of_each_day(everything):
    # G was open from before the period; E and H opened after it (today).
    assert {day.day.day: day.open_at_end for day in everything.days} == {
        17: 2, 18: 1, 19: 1, 20: 1, 21: 2, 22: 3, 23: 3, 24: 3, 25: 3,
        26: 2, 27: 2, 28: 2, 29: 2, 30: 2,
    }  # fmt: skip


def test_open_backlog_now_by_age_and_priority(everything):
    backlog = everything.backlog
    assert backlog["total"] == 4  # C, D, E, H
    assert backlog["by_age"] == [
        ("Less than 1 day", 2),
        ("1 to 3 days", 0),
        ("3 to 7 days", 1),
        ("1 to 4 weeks", 1),
        ("Over 4 weeks", 0),
    ]
    assert backlog["by_priority"] == [("Emergency", 0), ("High", 1), ("Normal", 3), ("Low", 0)]
    assert (backlog["overdue"], backlog["unassigned"]) == (1, 2)


def compliance(rows):
    return {
        row.name: (
            row.first_responses_met,
            row.first_responses,
            row.resolutions_met,
            row.resolutions,
        )
        for row in rows
    }


def test_sla_compliance_per_plan_department_and_agent(everything):
    # First responses in the period: A late, B and C on time; F on time. Resolutions: A on
    # time to the minute, B and G late; F on time. D's closing was undone by its reopening.
    assert compliance(everything.by_plan) == {"Sev-A": (1, 1, 1, 1), "Sev-C business": (2, 3, 1, 3)}
    assert compliance(everything.by_department) == {
        "Online Banking": (1, 1, 1, 1),
        "Support": (2, 3, 1, 3),
    }
    assert compliance(everything.by_agent) == {
        "Jane Cooper": (1, 1, 1, 1),
        "John Miller": (2, 3, 1, 3),
        "Unassigned": (0, 0, 0, 0),
    }
    support = everything.by_department[1]
    assert support.first_response_rate == pytest.approx(2 / 3)
    assert support.resolution_rate == pytest.approx(1 / 3)


def test_working_hours_median_and_90th_percentile(everything):
    support = {row.name: row for row in everything.by_department}["Support"]
    # First responses 3 h, 1.5 h, 1 h: weekend, holiday and wall-clock hours not counted.
    assert support.first_responses_measured == 3
    assert support.first_response_median == 1.5 * H
    assert support.first_response_p90 == 2 * H + 42 * MIN  # 1.5 h + 0.8 × 1.5 h
    # Resolutions 8 h (the 5 h awaiting the user left out), 11.5 h and 110 h.
    assert support.resolutions_measured == 3
    assert support.resolution_median == 11.5 * H
    assert support.resolution_p90 == 90 * H + 18 * MIN  # 11.5 h + 0.8 × 98.5 h
    banking = {row.name: row for row in everything.by_department}["Online Banking"]
    assert (banking.first_response_median, banking.resolution_median) == (10 * MIN, 50 * MIN)
    john = {row.name: row for row in everything.by_agent}["John Miller"]
    assert (john.first_response_median, john.resolution_p90) == (1.5 * H, 90 * H + 18 * MIN)


def test_per_agent_work(everything):
    rows = {row.name: row for row in everything.by_agent}
    john, jane, nobody = rows["John Miller"], rows["Jane Cooper"], rows["Unassigned"]
    # John answered A, B and C in the period; resolved or closed A, B, D and G.
    assert (john.open_now, john.overdue_now, john.responded, john.resolved) == (2, 1, 3, 4)
    assert (john.ratings, john.good_ratings, john.satisfaction) == (1, 1, 1.0)
    assert (jane.open_now, jane.overdue_now, jane.responded, jane.resolved) == (0, 0, 1, 1)
    assert (jane.ratings, jane.satisfaction) == (1, 0.0)
    assert (nobody.open_now, nobody.responded, nobody.satisfaction) == (2, 0, None)


def test_satisfaction(everything):
    satisfaction = everything.satisfaction
    assert (satisfaction.ratings, satisfaction.good, satisfaction.bad) == (2, 1, 1)
    assert satisfaction.good_share == 0.5
    # Asked: A, B, F and G (D was closed unresolved, then reopened); answered: B and F.
    assert (satisfaction.asked, satisfaction.answered) == (4, 2)
    assert satisfaction.response_rate == 0.5
    assert [(r.ticket.subject[0], r.comment) for r in satisfaction.comments] == [
        ("B", "Thanks, quick fix"),
        ("F", "Took too long"),
    ]


def test_an_agent_counts_only_the_tickets_they_can_see(helpdesk_story):
    johns = report_of(Ticket.objects.visible_to(helpdesk_story.john), helpdesk_story)
    janes = report_of(Ticket.objects.visible_to(helpdesk_story.jane), helpdesk_story)

    assert (johns.totals.created, johns.totals.ended, johns.backlog["total"]) == (4, 4, 4)
    assert [row.name for row in johns.by_department] == ["Support"]
    assert johns.satisfaction.ratings == 1
    assert (janes.totals.created, janes.totals.ended, janes.backlog["total"]) == (1, 1, 0)
    assert [row.name for row in janes.by_agent] == ["Jane Cooper"]
    assert [r.comment for r in janes.satisfaction.comments] == ["Took too long"]


def test_filters_narrow_every_figure(helpdesk_story):
    tickets = reports.scoped(Ticket.objects.all(), help_topic=helpdesk_story.banking)
    report = report_of(tickets, helpdesk_story)

    assert report.totals.created == 1
    assert compliance(report.by_plan) == {"Sev-A": (1, 1, 1, 1)}
    assert report.satisfaction.good_share == 0.0
