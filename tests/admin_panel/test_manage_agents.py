"""Agents: list, create, edit; an agent is a user account with a department and a role."""

from django.urls import reverse

from accounts.models import Agent, User
from tests import factories
from tests.admin_panel.agent_forms import agent_form
from tests.admin_panel.pages import form_data, labels, messages_of, shown_values

LIST = reverse("admin-panel:agent-list")
CREATE = reverse("admin-panel:agent-create")


def edit_url(agent):
    return reverse("admin-panel:agent-edit", args=[agent.pk])


def test_the_list_shows_agents_by_name_with_department_role_and_access(
    as_admin, john, jane, support, view_only
):
    factories.DepartmentAccessFactory(agent=jane, department=support, role=view_only)
    jane.user.is_active = False
    jane.user.save()

    page = as_admin.get(LIST).content.decode()

    assert page.index("Ada Lovelace") < page.index("Jane Cooper") < page.index("John Miller")
    assert "jane@example.com" in page
    assert "Online Banking" in page
    assert "<td>Support</td>" in page
    assert "Inactive" in page
    assert "New Agent" in page


def test_the_form_labels_its_fields_as_people_expect(as_admin):
    response = as_admin.get(CREATE)

    assert labels(response)[:9] == [
        "Full Name",
        "Email Address",
        "Active",
        "Primary Department",
        "Role",
        "Limited Access",
        "Administrator",
        "Password",
        "Password (again)",
    ]
    page = response.content.decode()
    assert "that user becomes this agent" in page
    assert "Extended Access" in page


def test_an_administrator_creates_an_agent(as_admin, online_banking, view_only):
    response = as_admin.post(
        CREATE,
        agent_form(
            full_name="Bob Stone",
            email="Bob@Example.COM",
            department=online_banking,
            role=view_only,
            is_limited_access=True,
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == LIST
    bob = Agent.objects.select_related("user").get(user__email__iexact="bob@example.com")
    assert bob.user.email == "Bob@example.com"
    assert bob.user.full_name == "Bob Stone"
    assert bob.user.is_active
    assert not bob.user.has_usable_password()
    assert (bob.department, bob.role, bob.is_limited_access, bob.is_admin) == (
        online_banking,
        view_only,
        True,
        False,
    )
    assert messages_of(response) == ["Agent “Bob Stone” was created."]


def test_an_end_users_address_turns_that_user_into_the_agent(as_admin, karen, support, view_only):
    factories.TicketFactory(requester=karen, subject="My card")

    response = as_admin.post(
        CREATE,
        agent_form(
            full_name="Karen Taylor", email="KAREN@example.com", department=support, role=view_only
        ),
    )

    assert response.status_code == 302
    karen.refresh_from_db()
    assert karen.is_agent
    assert karen.agent.department == support
    assert karen.tickets.count() == 1
    assert User.objects.filter(email__iexact="karen@example.com").count() == 1


def test_an_agents_address_cannot_make_a_second_agent(as_admin, john, support, view_only):
    response = as_admin.post(
        CREATE, agent_form(email="JOHN@example.com", department=support, role=view_only)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "John Miller is already an agent with this email address."
    ]
    assert Agent.objects.filter(user__email="john@example.com").count() == 1


def test_an_administrator_edits_an_agent(as_admin, john, online_banking, view_only):
    page = as_admin.get(edit_url(john))
    data = form_data(
        page.context["form"],
        page.context["access"],
        full_name="Johnny Miller",
        email="johnny@example.com",
        department=online_banking.pk,
        role=view_only.pk,
        is_admin=True,
    )

    response = as_admin.post(edit_url(john), data)

    assert response.status_code == 302
    assert response["Location"] == LIST
    john.refresh_from_db()
    john.user.refresh_from_db()
    assert (john.user.full_name, john.user.email) == ("Johnny Miller", "johnny@example.com")
    assert (john.department, john.role, john.is_admin) == (online_banking, view_only, True)
    assert john.user.check_password("correct horse battery staple")
    assert messages_of(response) == ["Agent “Johnny Miller” was saved."]


def test_another_users_address_is_refused_on_edit_and_the_input_kept(as_admin, john, karen):
    page = as_admin.get(edit_url(john))
    data = form_data(
        page.context["form"],
        page.context["access"],
        full_name="Johnny",
        email="Karen@example.com",
    )

    response = as_admin.post(edit_url(john), data)

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Another user already has this email address."
    ]
    assert shown_values(response)["email"] == ["Karen@example.com"]
    assert shown_values(response)["full_name"] == ["Johnny"]
    john.user.refresh_from_db()
    assert john.user.email == "john@example.com"


def test_a_missing_department_and_role_are_refused(as_admin):
    response = as_admin.post(CREATE, agent_form(full_name="Bob Stone"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["department"] == errors["role"] == ["This field is required."]
    assert shown_values(response)["full_name"] == ["Bob Stone"]
    assert not User.objects.filter(email="bob@example.com").exists()
