"""Every list page runs the same number of queries for 2 rows as for 20."""

import re

import pytest
from django.urls import reverse

from tests import factories

# Session, user, agent; then a count and the page (and the agents' extended access).
QUERY_BOUND = 6
# Schedules read their working hours and their holidays: two prefetches.
MORE_QUERIES = {"schedule": 1}


def make_departments(n, agent, plan):
    for i in range(n):
        factories.DepartmentFactory(name=f"Dept {i:02}", manager=agent, sla_plan=plan)


def make_teams(n, agent, plan):
    for i in range(n):
        factories.TeamFactory(name=f"Team {i:02}", lead=agent).members.set([agent])


def make_topics(n, agent, plan):
    team = factories.TeamFactory()
    for i in range(n):
        factories.HelpTopicFactory(
            name=f"Topic {i:02}",
            sla_plan=plan,
            auto_assign_agent=agent if i % 2 else None,
            auto_assign_team=None if i % 2 else team,
        )


def make_plans(n, agent, plan):
    for i in range(n):
        factories.SLAPlanFactory(name=f"Plan {i:02}")


def make_schedules(n, agent, plan):
    for i in range(n):
        schedule = factories.ScheduleFactory(name=f"Schedule {i:02}")
        for weekday in range(5):
            factories.WorkingHoursFactory(schedule=schedule, weekday=weekday)
        factories.HolidayFactory(schedule=schedule)


def make_roles(n, agent, plan):
    for i in range(n):
        factories.RoleFactory(name=f"Role {i:02}", reply=True)


def make_agents(n, agent, plan):
    for i in range(n):
        other = factories.AgentFactory(user__full_name=f"Agent {i:02}")
        factories.DepartmentAccessFactory(agent=other, department=agent.department)


def make_users(n, agent, plan):
    for i in range(n):
        user = factories.UserFactory(full_name=f"User {i:02}")
        factories.TicketFactory(requester=user)


MAKERS = {
    "department": make_departments,
    "team": make_teams,
    "topic": make_topics,
    "sla-plan": make_plans,
    "schedule": make_schedules,
    "role": make_roles,
    "agent": make_agents,
    "user": make_users,
}


@pytest.mark.parametrize("key", MAKERS)
@pytest.mark.parametrize("rows", [2, 20])
def test_a_list_page_runs_a_constant_number_of_queries(
    as_admin, admin_agent, sev_a, django_assert_max_num_queries, key, rows
):
    MAKERS[key](rows, admin_agent, sev_a)

    with django_assert_max_num_queries(QUERY_BOUND + MORE_QUERIES.get(key, 0)):
        response = as_admin.get(reverse(f"admin-panel:{key}-list"))

    assert response.status_code == 200
    assert len(response.context["rows"]) >= rows


def test_the_users_ticket_page_runs_a_constant_number_of_queries(
    as_admin, karen, support, django_assert_max_num_queries
):
    url = reverse("admin-panel:user-detail", args=[karen.pk])
    factories.TicketFactory(requester=karen, department=support)
    # + the admin's extended access and teams, read once for visible_to
    with django_assert_max_num_queries(QUERY_BOUND + 2) as few:
        as_admin.get(url)
    for _ in range(20):
        factories.TicketFactory(requester=karen, department=support)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = as_admin.get(url)
    assert len(re.findall(r'href="/scp/tickets/\d+/"', response.content.decode())) == 21
