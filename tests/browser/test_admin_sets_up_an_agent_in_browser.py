"""An admin sets up a department, a role and an agent in the admin panel; the agent then
signs in and sees exactly the tickets that access gives."""

import re

from playwright.sync_api import expect

from tests import factories
from tickets.models import Department

PASSWORD = "correct horse battery staple"
TARA_PASSWORD = "treasury-desk-2026"


def sign_in(page, email, password):
    page.goto("/scp/login/")
    page.get_by_label("Email Address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log In").click()


def admin_panel_section(page, name):
    page.get_by_role("navigation", name="Admin Panel").get_by_role("link", name=name).click()


def test_admin_creates_department_role_and_agent_who_then_sees_exactly_the_right_tickets(
    page, support, online_banking, all_access, karen
):
    factories.AgentFactory(
        user__email="admin@example.com",
        user__full_name="Alex Admin",
        department=support,
        role=all_access,
        is_admin=True,
    )
    support_ticket = factories.TicketFactory(
        department=support, requester=karen, subject="Printer on fire"
    )
    banking_ticket = factories.TicketFactory(
        department=online_banking, requester=karen, subject="Mobile banking is down"
    )

    sign_in(page, "admin@example.com", PASSWORD)
    page.get_by_role("link", name="Admin Panel").click()

    admin_panel_section(page, "Departments")
    page.get_by_role("link", name="New Department").click()
    page.get_by_label("Name").fill("Treasury")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("status")).to_contain_text("Department “Treasury” was created.")

    admin_panel_section(page, "Roles")
    page.get_by_role("link", name="New Role").click()
    page.get_by_label("Name").fill("Treasury Readers")
    page.get_by_label("View tickets").check()
    page.get_by_label("Post internal notes").check()
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("status")).to_contain_text("Role “Treasury Readers” was created.")

    admin_panel_section(page, "Agents")
    page.get_by_role("link", name="New Agent").click()
    page.get_by_label("Full Name").fill("Tara Nguyen")
    page.get_by_label("Email Address").fill("tara@example.com")
    page.get_by_label("Primary Department").select_option(label="Online Banking")
    page.get_by_label(re.compile(r"Role\*")).select_option(label="All Access")
    page.get_by_label("Password", exact=True).fill(TARA_PASSWORD)
    page.get_by_label("Password (again)").fill(TARA_PASSWORD)
    page.get_by_label("Department (row 1)").select_option(label="Treasury")
    page.get_by_label("Role (row 1)").select_option(label="Treasury Readers")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("status")).to_contain_text("Agent “Tara Nguyen” was created.")
    agents = page.get_by_role("table")
    expect(agents.get_by_role("row", name="Tara Nguyen")).to_contain_text("Treasury")

    treasury_ticket = factories.TicketFactory(
        department=Department.objects.get(name="Treasury"),
        requester=karen,
        subject="Wire transfer stuck",
    )
    page.get_by_role("button", name="Log Out").click()

    sign_in(page, "tara@example.com", TARA_PASSWORD)
    tickets = page.get_by_role("table")
    expect(tickets.get_by_role("link", name=f"#{banking_ticket.number}")).to_be_visible()
    expect(tickets.get_by_role("link", name=f"#{treasury_ticket.number}")).to_be_visible()
    expect(tickets.get_by_role("row")).to_have_count(3)  # the header and her two tickets
    expect(page.get_by_role("main")).not_to_contain_text("Printer on fire")

    page.get_by_role("link", name=f"#{treasury_ticket.number}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"#{treasury_ticket.number} Wire transfer stuck"
    )
    # Support's ticket is not hers: its URL answers 404 in her session (asked through the
    # browser's own session, as a navigation would be, without logging a console error).
    assert page.request.get(f"/scp/tickets/{support_ticket.number}/").status == 404
    assert page.request.get(f"/scp/tickets/{treasury_ticket.number}/").status == 200
