"""visible_to and can: every rule of "Who may see and do what" in DESIGN.md."""

import pytest

from accounts.models import Permission
from tests import factories
from tickets.models import Ticket
from tickets.permissions import can, explain, forget_access

ACTIONS = [p.value for p in Permission if p != Permission.VIEW]


def visible(agent):
    forget_access(agent)
    return set(Ticket.objects.visible_to(agent))


@pytest.fixture
def sysadmins(db):
    return factories.DepartmentFactory(name="System Administrators")


@pytest.fixture
def support_ticket(support, karen):
    return factories.TicketFactory(department=support, requester=karen, number="482913")


@pytest.fixture
def banking_ticket(online_banking, karen):
    return factories.TicketFactory(department=online_banking, requester=karen)


@pytest.fixture
def sysadmin_ticket(sysadmins, karen):
    return factories.TicketFactory(department=sysadmins, requester=karen)


def test_an_agent_sees_the_tickets_of_their_primary_department(
    john, support_ticket, banking_ticket, sysadmin_ticket
):
    assert visible(john) == {support_ticket}
    assert can(john, "view", support_ticket)
    assert not can(john, "view", banking_ticket)


def test_extended_access_adds_a_department_with_its_own_role(
    john, view_only, online_banking, support_ticket, banking_ticket, sysadmin_ticket
):
    factories.DepartmentAccessFactory(agent=john, department=online_banking, role=view_only)

    assert visible(john) == {support_ticket, banking_ticket}
    assert can(john, "reply", support_ticket), "All Access in his primary department"
    assert can(john, "view", banking_ticket)
    for action in ACTIONS:
        assert not can(john, action, banking_ticket), action


def test_a_view_only_role_reads_but_cannot_act(support, view_only, support_ticket):
    reader = factories.AgentFactory(department=support, role=view_only)

    assert visible(reader) == {support_ticket}
    assert can(reader, "view", support_ticket)
    assert [a for a in ACTIONS if can(reader, a, support_ticket)] == []


@pytest.mark.parametrize("action", ACTIONS)
def test_each_permission_is_exactly_what_the_role_grants(support, support_ticket, action):
    role = factories.RoleFactory(name=f"Only {action}", view=True, **{action: True})
    agent = factories.AgentFactory(department=support, role=role)

    assert can(agent, action, support_ticket)
    others = [a for a in ACTIONS if a != action and can(agent, a, support_ticket)]
    assert others == []


def test_a_role_without_view_shows_nothing_of_that_department(support, support_ticket):
    blind = factories.RoleFactory(name="Reply without view", view=False, reply=True)
    agent = factories.AgentFactory(department=support, role=blind)

    assert visible(agent) == set()
    assert not can(agent, "reply", support_ticket)


def test_a_ticket_assigned_to_an_agent_is_visible_outside_their_departments(
    john, sysadmin_ticket, support_ticket
):
    sysadmin_ticket.assignee = john
    sysadmin_ticket.save()

    assert visible(john) == {support_ticket, sysadmin_ticket}
    assert can(john, "reply", sysadmin_ticket), "the assignment lends his primary role"


def test_a_ticket_assigned_to_the_agents_team_is_visible(john, sysadmin_ticket):
    team = factories.TeamFactory(name="Level 2")
    team.members.add(john)
    sysadmin_ticket.team = team
    sysadmin_ticket.save()

    assert sysadmin_ticket in visible(john)


def test_an_inactive_team_lends_no_visibility(john, sysadmin_ticket):
    team = factories.TeamFactory(name="Disbanded", is_active=False)
    team.members.add(john)
    sysadmin_ticket.team = team
    sysadmin_ticket.save()

    assert sysadmin_ticket not in visible(john)


def test_limited_access_sees_only_what_is_assigned(support, all_access, support_ticket, karen):
    limited = factories.AgentFactory(department=support, role=all_access, is_limited_access=True)
    mine = factories.TicketFactory(department=support, requester=karen, assignee=limited)

    assert visible(limited) == {mine}
    assert not can(limited, "view", support_ticket)
    assert can(limited, "reply", mine)


def test_limited_access_without_assignment_sees_nothing(support, all_access, support_ticket):
    limited = factories.AgentFactory(department=support, role=all_access, is_limited_access=True)

    assert visible(limited) == set()


def test_a_ticket_moved_to_a_department_the_agent_cannot_access_leaves_their_view(
    john, support_ticket, sysadmins
):
    assert support_ticket in visible(john)

    support_ticket.department = sysadmins
    support_ticket.save()

    assert support_ticket not in visible(john)
    assert not can(john, "view", support_ticket)


def test_an_inactive_agent_sees_and_does_nothing(john, support_ticket):
    john.user.is_active = False
    john.user.save()

    assert visible(john) == set()
    assert not can(john, "view", support_ticket)


def test_an_inactive_role_grants_nothing(support, support_ticket):
    retired = factories.RoleFactory(name="Retired", full=True, is_active=False)
    agent = factories.AgentFactory(department=support, role=retired)

    assert visible(agent) == set()
    assert not can(agent, "reply", support_ticket)


def test_deactivating_a_department_leaves_its_tickets_with_those_who_work_them(
    john, jane, all_access, online_banking, support, banking_ticket, support_ticket
):
    factories.DepartmentAccessFactory(agent=john, department=online_banking, role=all_access)
    online_banking.is_active = False
    online_banking.save()
    support.is_active = False
    support.save()

    assert visible(john) == {support_ticket, banking_ticket}, "primary and extended alike"
    assert banking_ticket in visible(jane)


def test_the_primary_role_wins_over_an_extended_row_for_the_same_department(
    john, view_only, support, support_ticket
):
    factories.DepartmentAccessFactory(agent=john, department=support, role=view_only)

    assert can(john, "close", support_ticket)


def test_admins_see_by_department_like_everyone_else(support, all_access, banking_ticket):
    admin = factories.AgentFactory(department=support, role=all_access, is_admin=True)

    assert banking_ticket not in visible(admin)


def test_a_non_agent_sees_nothing(support_ticket):
    assert set(Ticket.objects.visible_to(None)) == set()
    assert not can(None, "view", support_ticket)


def test_can_checks_a_list_of_tickets_without_a_query_per_ticket(
    john, support, karen, django_assert_num_queries
):
    tickets = [factories.TicketFactory(department=support, requester=karen) for _ in range(10)]
    forget_access(john)
    can(john, "view", tickets[0])  # reads the agent's access once

    with django_assert_num_queries(0):
        assert all(can(john, "reply", t) for t in tickets)


def test_an_unknown_action_is_an_error(john, support_ticket):
    with pytest.raises(ValueError):
        can(john, "launch_missiles", support_ticket)


# --- the explainer ---


def test_explain_names_extended_access_and_the_missing_permission(
    jane, view_only, support, support_ticket
):
    jane.extended_access.all().delete()
    factories.DepartmentAccessFactory(agent=jane, department=support, role=view_only)
    forget_access(jane)

    text = explain(jane, support_ticket, "reply")

    assert text == (
        "Jane Cooper sees #482913 through extended access to Support with role View only; "
        "Jane may not reply: the role lacks 'reply'."
    )


def test_explain_names_the_primary_department_and_the_granting_role(john, support_ticket):
    assert explain(john, support_ticket, "close") == (
        "John Miller sees #482913 through the primary department Support with role "
        "All Access; John may close: role All Access grants 'close'."
    )


def test_explain_says_why_a_ticket_is_not_seen(john, sysadmin_ticket):
    assert explain(john, sysadmin_ticket) == (
        f"John Miller does not see #{sysadmin_ticket.number}: no access to System "
        "Administrators, and it is not assigned to them or their teams."
    )


def test_explain_covers_assignment_limited_access_and_inactive_accounts(
    support, all_access, support_ticket, karen
):
    limited = factories.AgentFactory(
        department=support, role=all_access, is_limited_access=True, user__full_name="Lim Ited"
    )
    assert "limited access shows only tickets assigned" in explain(limited, support_ticket)

    support_ticket.assignee = limited
    support_ticket.save()
    forget_access(limited)
    assert "because it is assigned to them, acting with role All Access" in explain(
        limited, support_ticket
    )

    limited.user.is_active = False
    limited.user.save()
    forget_access(limited)
    assert explain(limited, support_ticket).endswith("the account is inactive.")
