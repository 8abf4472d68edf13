"""Visibility is one rule, asked two ways: as a query (`Ticket.objects.visible_to`) for lists,
counts and searches, and of a ticket in hand (`sees`) for can() and the sweep's recipients.
For every agent of a broad cast and every ticket of every situation, both answers agree."""

import itertools

import pytest

from accounts.models import Agent
from tests import factories
from tickets.models import Ticket
from tickets.permissions import sees


@pytest.fixture
def world(support, online_banking, all_access, view_only):
    """Agents of every kind, and tickets in every department, assignment and team situation."""
    billing = factories.DepartmentFactory(name="Billing")  # nobody has a role here
    retired = factories.DepartmentFactory(name="Fax", is_active=False)
    no_view = factories.RoleFactory(name="No view", view=False, reply=True)
    inactive_role = factories.RoleFactory(name="Retired role", view=True, is_active=False)

    agents = {
        "full primary": factories.AgentFactory(department=support, role=all_access),
        "view only": factories.AgentFactory(department=support, role=view_only),
        "role without view": factories.AgentFactory(department=support, role=no_view),
        "inactive primary role": factories.AgentFactory(department=support, role=inactive_role),
        "extended access": factories.AgentFactory(department=online_banking, role=view_only),
        "extended with inactive role": factories.AgentFactory(
            department=online_banking, role=no_view
        ),
        "limited": factories.AgentFactory(
            department=support, role=all_access, is_limited_access=True
        ),
        "limited in a team": factories.AgentFactory(
            department=support, role=all_access, is_limited_access=True
        ),
        "team member elsewhere": factories.AgentFactory(department=billing, role=no_view),
        "inactive team member": factories.AgentFactory(department=billing, role=no_view),
        "inactive account": factories.AgentFactory(
            department=support, role=all_access, user__is_active=False
        ),
        "retired department": factories.AgentFactory(department=retired, role=all_access),
        "administrator": factories.AgentFactory(
            department=online_banking, role=all_access, is_admin=True
        ),
    }
    factories.DepartmentAccessFactory(
        agent=agents["extended access"], department=support, role=all_access
    )
    factories.DepartmentAccessFactory(
        agent=agents["extended with inactive role"], department=support, role=inactive_role
    )
    team = factories.TeamFactory(name="Escalations")
    team.members.set(
        [agents["limited in a team"], agents["team member elsewhere"], agents["full primary"]]
    )
    retired_team = factories.TeamFactory(name="Old team", is_active=False)
    retired_team.members.set([agents["inactive team member"], agents["limited"]])

    assignees = [None, agents["limited"], agents["team member elsewhere"], agents["view only"]]
    tickets = [
        factories.TicketFactory(
            help_topic__department=department, department=department, assignee=assignee, team=t
        )
        for department, assignee, t in itertools.product(
            [support, online_banking, billing, retired], assignees, [None, team, retired_team]
        )
    ]
    return agents, tickets


def fresh(agent: Agent) -> Agent:
    # Each answer from its own agent object: access is cached on the object.
    return Agent.objects.select_related("user", "role").get(pk=agent.pk)


def test_the_query_and_the_predicate_agree_for_every_agent_and_ticket(world):
    agents, tickets = world

    disagreements = []
    seen_counts = {}
    for kind, agent in agents.items():
        listed = set(Ticket.objects.visible_to(fresh(agent)).values_list("pk", flat=True))
        predicate = fresh(agent)
        judged = {ticket.pk for ticket in tickets if sees(predicate, ticket)}
        seen_counts[kind] = len(judged)
        if listed != judged:
            disagreements.append((kind, sorted(listed ^ judged)))

    assert disagreements == []
    # The cast covers the rule's cases: some see everything of a department, some nothing.
    assert seen_counts["inactive account"] == 0
    assert seen_counts["role without view"] == 0  # no role to view, nothing assigned
    assert seen_counts["limited"] == 12  # the tickets assigned to them, in 4 departments x 3
    assert seen_counts["limited in a team"] == 16  # the active team's tickets
    assert 0 < seen_counts["view only"] < seen_counts["full primary"] < len(tickets)


def test_nobody_and_an_end_user_see_nothing_either_way(world, karen):
    _agents, tickets = world

    assert not Ticket.objects.visible_to(None).exists()
    assert not any(sees(None, ticket) for ticket in tickets)
    assert not hasattr(karen, "agent")
