"""The permission explainer on an agent's page: why they can or cannot act on a ticket."""

from django.urls import reverse

from accounts.models import Permission
from tests import factories


def explain_page(client, agent, number):
    url = reverse("admin-panel:agent-edit", args=[agent.pk])
    return client.get(url, {"ticket": number})


def test_it_explains_access_through_extended_access_one_line_per_permission(
    as_admin, john, online_banking, view_only
):
    factories.DepartmentAccessFactory(agent=john, department=online_banking, role=view_only)
    ticket = factories.TicketFactory(help_topic__department=online_banking)

    response = explain_page(as_admin, john, ticket.number)

    assert response.status_code == 200
    lines = dict(response.context["explanations"])
    sees = (
        f"John Miller sees #{ticket.number} through extended access to Online Banking "
        f"with role View only"
    )
    assert lines["See the ticket"] == sees + "."
    assert lines["Post replies"] == sees + "; John may not reply: the role lacks 'reply'."
    assert len(lines) == 1 + len(Permission)
    page = response.content.decode()
    assert "through extended access to Online Banking with role View only" in page
    assert "may not reply: the role lacks &#x27;reply&#x27;" in page


def test_it_says_when_the_agent_does_not_see_the_ticket(as_admin, john, online_banking):
    ticket = factories.TicketFactory(help_topic__department=online_banking)

    response = explain_page(as_admin, john, f"#{ticket.number}")

    assert dict(response.context["explanations"])["See the ticket"] == (
        f"John Miller does not see #{ticket.number}: no access to Online Banking, and it is not "
        f"assigned to them or their teams."
    )


def test_it_reflects_access_saved_a_moment_ago(as_admin, john, online_banking, view_only):
    ticket = factories.TicketFactory(help_topic__department=online_banking)
    explain_page(as_admin, john, ticket.number)
    factories.DepartmentAccessFactory(agent=john, department=online_banking, role=view_only)

    response = explain_page(as_admin, john, ticket.number)

    assert "through extended access" in dict(response.context["explanations"])["See the ticket"]


def test_an_unknown_number_says_no_such_ticket_exists(as_admin, john):
    response = explain_page(as_admin, john, "000001")

    assert response.status_code == 200
    assert response.context["explanations"] is None
    assert "No ticket #000001 exists." in response.content.decode()


def test_the_form_asks_for_a_ticket_number(as_admin, john):
    page = as_admin.get(reverse("admin-panel:agent-edit", args=[john.pk])).content.decode()

    assert "Permission Explainer" in page
    assert "Ticket Number" in page
