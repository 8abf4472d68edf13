"""The seeds' scenarios, acted out in the browser as the people in them would."""

import re

from playwright.sync_api import expect

from tests import factories
from tickets.models import Priority, ThreadEntry, Ticket
from tickets.status import Status

PASSWORD = "correct horse battery staple"


def sign_in(page, email):
    page.goto("/scp/login/")
    page.get_by_label("Email Address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log In").click()


def sign_out(page):
    page.get_by_role("button", name="Log Out").click()


def act(page, field, value, button):
    page.get_by_role("combobox", name=field).select_option(label=value)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("status").first).to_be_visible()


def open_ticket_from_queue(page, number):
    page.get_by_role("link", name=f"#{number}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{number}")


def test_mobile_banking_outage_from_report_to_resolution(
    page, support, online_banking, outage_topic, sev_a, john, jane, karen
):
    # Karen reports the outage in the portal.
    page.goto("/tickets/new/")
    page.get_by_label("Email Address").fill("karen@example.com")
    page.get_by_label("Full Name").fill("Karen Taylor")
    page.get_by_label("Help Topic").select_option(label="Business Critical Outage")
    page.get_by_label("Issue Summary").fill("Entire mobile online banking is down")
    page.get_by_label("Details").fill("No customer can log in to the mobile app.")
    page.get_by_role("button", name="Create Ticket").click()
    created = page.get_by_role("heading", name=re.compile(r"^Ticket #\d{6} created$"))
    number = re.search(r"\d{6}", created.inner_text()).group(0)

    # John triages: priority, plan, assignee, then hands it to Online Banking.
    sign_in(page, "john@example.com")
    open_ticket_from_queue(page, number)
    act(page, "Priority", "Emergency", "Set Priority")
    act(page, "SLA Plan", "Sev-A", "Set SLA Plan")
    act(page, "Assigned To", "Jane Cooper", "Assign")
    act(page, "Department", "Online Banking", "Transfer")
    expect(page.get_by_role("main")).not_to_contain_text("Entire mobile online banking is down")
    sign_out(page)

    # Jane works it and resolves it in the reply that reports the fix.
    sign_in(page, "jane@example.com")
    open_ticket_from_queue(page, number)
    page.get_by_role("textbox", name="Response").fill(
        "Coordinating with the Sys Admin team to bring mobile banking back online"
    )
    page.get_by_role("button", name="Post Reply").click()
    expect(page.get_by_role("status").first).to_have_text("Reply posted.")
    page.get_by_role("tab", name="Post Internal Note").click()
    page.get_by_role("textbox", name="Internal Note").fill("LB-2 in rack 4 lost its uplink.")
    page.get_by_role("button", name="Post Note").click()
    page.get_by_role("textbox", name="Response").fill(
        "A failed load balancer was reconnected; mobile banking should be back up"
    )
    page.get_by_role("combobox", name="Ticket Status").select_option(label="Resolved")
    page.get_by_role("button", name="Post Reply").click()
    expect(page.get_by_label("Ticket details")).to_contain_text("Resolved")

    page.get_by_role("navigation", name="Staff Control Panel").get_by_role(
        "link", name="Tickets"
    ).click()
    queues = page.get_by_role("navigation", name="Queues")
    expect(page.get_by_role("link", name=f"#{number}")).to_have_count(0)  # not in Open
    queues.get_by_role("link", name=re.compile("^Closed")).click()
    expect(page.get_by_role("link", name=f"#{number}")).to_be_visible()
    sign_out(page)

    ticket = Ticket.objects.get(number=number)
    assert (ticket.priority, ticket.sla_plan, ticket.department) == (
        Priority.EMERGENCY,
        sev_a,
        online_banking,
    )
    assert (ticket.assignee, ticket.status) == (jane, Status.RESOLVED)

    # Karen sees both replies, and never the internal note.
    page.goto("/tickets/status/")
    page.get_by_label("Email Address").fill("karen@example.com")
    page.get_by_label("Ticket Number").fill(number)
    page.get_by_role("button", name="View Ticket").click()
    conversation = page.get_by_role("region", name="Conversation")
    expect(conversation).to_contain_text("Coordinating with the Sys Admin team")
    expect(conversation).to_contain_text("A failed load balancer was reconnected")
    expect(page.get_by_role("main")).not_to_contain_text("rack 4")
    expect(page.get_by_test_id("ticket-status")).to_have_text("Resolved")
    assert ticket.thread.filter(kind=ThreadEntry.Kind.NOTE).count() == 1


def test_an_escalated_ticket_leaves_johns_queues_until_view_only_access_brings_it_back(
    page, support, all_access, view_only, john, karen
):
    sysadmins = factories.DepartmentFactory(name="System Administrators")
    factories.AgentFactory(
        user__email="admin@example.com", department=support, role=all_access, is_admin=True
    )
    ticket = factories.TicketFactory(
        department=support, requester=karen, subject="Database server unreachable"
    )

    sign_in(page, "john@example.com")
    open_ticket_from_queue(page, ticket.number)
    act(page, "Department", "System Administrators", "Transfer")
    expect(page.get_by_role("link", name=f"#{ticket.number}")).to_have_count(0)
    sign_out(page)

    # An admin gives John read-only access to System Administrators.
    sign_in(page, "admin@example.com")
    page.get_by_role("link", name="Admin Panel").click()
    page.get_by_role("navigation", name="Admin Panel").get_by_role("link", name="Agents").click()
    page.get_by_role("link", name="John Miller").click()
    page.get_by_label("Department (row 1)").select_option(label="System Administrators")
    page.get_by_label("Role (row 1)").select_option(label="View only")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("was saved")
    sign_out(page)

    sign_in(page, "john@example.com")
    open_ticket_from_queue(page, ticket.number)
    expect(page.get_by_role("main")).to_contain_text("Your role shows this ticket read-only.")
    expect(page.get_by_role("button", name="Post Reply")).to_have_count(0)
    expect(page.get_by_role("button", name="Transfer")).to_have_count(0)

    # A forged reply from his session is refused, and nothing is posted.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    forged = page.request.post(
        f"/scp/tickets/{ticket.number}/reply/",
        form={"reply-body": "Forged", "reply-revision": str(Ticket.objects.get().revision)},
        headers={"X-CSRFToken": token},
    )
    assert forged.status == 403
    assert not ThreadEntry.objects.filter(body="Forged").exists()
    assert Ticket.objects.get().department == sysadmins
