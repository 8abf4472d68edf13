"""Extended access: other departments an agent works in, each with its own role."""

import pytest
from django.urls import reverse

from accounts.models import Agent, DepartmentAccess
from tests import factories
from tests.admin_panel.agent_forms import agent_form
from tests.admin_panel.pages import form_data, shown_values
from tickets.models import Ticket

CREATE = reverse("admin-panel:agent-create")


@pytest.fixture
def billing(db):
    """A third department, for an agent with access to two besides their own."""
    return factories.DepartmentFactory(name="Billing")


@pytest.fixture
def responder(db):
    """A role that may view and reply but not close."""
    return factories.RoleFactory(name="Responder", view=True, reply=True)


def test_an_agent_sees_exactly_the_tickets_of_their_departments(
    as_admin, support, online_banking, billing, all_access, view_only, responder
):
    tickets = {
        department: factories.TicketFactory(help_topic__department=department)
        for department in (support, online_banking, billing, factories.DepartmentFactory())
    }

    response = as_admin.post(
        CREATE,
        agent_form(
            department=support,
            role=all_access,
            access=[(online_banking, view_only), (billing, responder)],
        ),
    )

    assert response.status_code == 302
    bob = Agent.objects.get(user__email="bob@example.com")
    roles = {access.department: access.role for access in bob.extended_access.all()}
    assert roles == {online_banking: view_only, billing: responder}
    assert set(Ticket.objects.visible_to(bob)) == {
        tickets[support],
        tickets[online_banking],
        tickets[billing],
    }


def test_the_primary_department_in_extended_access_is_refused(
    as_admin, support, online_banking, all_access, view_only
):
    response = as_admin.post(
        CREATE,
        agent_form(
            department=support,
            role=all_access,
            access=[(online_banking, view_only), (support, view_only)],
        ),
    )

    assert response.status_code == 200
    rows = response.context["access"].forms
    assert rows[1].errors["department"] == [
        "Support is the primary department already; its role is set above. "
        "Extended access is for other departments."
    ]
    page = response.content.decode()
    assert "Support is the primary department already" in page
    assert "Please correct the extended access marked below" in page
    assert shown_values(response)["extended_access-0-department"] == [str(online_banking.pk)]
    assert shown_values(response)["extended_access-1-department"] == [str(support.pk)]
    assert not Agent.objects.filter(user__email="bob@example.com").exists()


def test_the_same_department_twice_is_refused(
    as_admin, support, online_banking, all_access, view_only
):
    response = as_admin.post(
        CREATE,
        agent_form(
            department=support,
            role=all_access,
            access=[(online_banking, view_only), (online_banking, all_access)],
        ),
    )

    assert response.status_code == 200
    rows = response.context["access"].forms
    assert rows[1].errors["department"] == [
        "Online Banking is listed twice; give each department one role."
    ]
    assert not rows[0].errors
    assert not response.context["access"].non_form_errors()
    assert not Agent.objects.filter(user__email="bob@example.com").exists()


def test_making_an_extended_department_primary_asks_to_remove_its_row(
    as_admin, john, online_banking, view_only
):
    factories.DepartmentAccessFactory(agent=john, department=online_banking, role=view_only)
    url = reverse("admin-panel:agent-edit", args=[john.pk])
    page = as_admin.get(url)

    response = as_admin.post(
        url,
        form_data(page.context["form"], page.context["access"], department=online_banking.pk),
    )

    assert response.status_code == 200
    assert "Online Banking is the primary department already" in response.content.decode()
    john.refresh_from_db()
    assert john.department.name == "Support"


def test_an_administrator_removes_and_changes_extended_access(
    as_admin, john, online_banking, view_only, billing, responder
):
    factories.DepartmentAccessFactory(agent=john, department=online_banking, role=view_only)
    factories.DepartmentAccessFactory(agent=john, department=billing, role=view_only)
    url = reverse("admin-panel:agent-edit", args=[john.pk])
    page = as_admin.get(url)
    rows = page.context["access"].forms
    assert [row.instance.department for row in rows[:2]] == [billing, online_banking]

    response = as_admin.post(
        url,
        form_data(
            page.context["form"],
            page.context["access"],
            **{"extended_access-0-role": responder.pk, "extended_access-1-DELETE": True},
        ),
    )

    assert response.status_code == 302
    assert [(a.department, a.role) for a in DepartmentAccess.objects.filter(agent=john)] == [
        (billing, responder)
    ]
    assert set(Ticket.objects.visible_to(Agent.objects.get(pk=john.pk))) == set()
