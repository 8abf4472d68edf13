"""The ticket page an agent lives in: the facts at the top, one action bar, one composer with
a reply and a note tab, the story in words, and an error where the agent is looking."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_seed_scenarios_in_browser import sign_in
from tickets.models import Priority

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def long_ticket(karen, outage_topic):
    ticket = factories.TicketFactory(
        requester=karen, help_topic=outage_topic, subject="Card declined at every shop"
    )
    for n in range(6):
        factories.ThreadEntryFactory(ticket=ticket, body=f"Message {n}: " + "details " * 60)
    return ticket


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_the_action_bar_changes_the_ticket_and_the_timeline_says_so(page, john, long_ticket):
    sign_in(page, "john@example.com")
    page.goto(f"/scp/tickets/{long_ticket.number}/")
    actions = page.get_by_role("region", name="Actions")
    for field in ("Status", "Priority", "Assigned To", "Department", "SLA Plan", "Help Topic"):
        expect(actions.get_by_role("combobox", name=field)).to_be_visible()
    expect(actions.get_by_role("textbox", name="Manual resolution due time")).to_be_visible()
    shoot(page, "ticket-page-desktop")

    actions.get_by_role("combobox", name="Priority").select_option(label="Emergency")
    actions.get_by_role("button", name="Set Priority").click()

    expect(page.get_by_role("status").first).to_have_text("Priority updated.")
    thread = page.get_by_role("region", name="Thread")
    expect(thread).to_contain_text("Priority: High → Emergency · by John Miller")
    long_ticket.refresh_from_db()
    assert long_ticket.priority == Priority.EMERGENCY


def test_reply_and_internal_note_are_tabs_of_one_composer(page, john, long_ticket):
    sign_in(page, "john@example.com")
    page.goto(f"/scp/tickets/{long_ticket.number}/")
    composer = page.get_by_role("region", name="Composer")
    expect(composer.get_by_role("tab", name="Post Reply")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(composer.get_by_role("textbox", name="Response")).to_be_visible()
    expect(composer.get_by_role("textbox", name="Internal Note")).to_be_hidden()

    composer.get_by_role("tab", name="Post Internal Note").click()
    expect(composer.get_by_role("textbox", name="Response")).to_be_hidden()
    composer.get_by_role("textbox", name="Internal Note").fill("Issuer outage, waiting.")
    composer.get_by_role("button", name="Post Note").click()

    expect(page.get_by_role("status").first).to_have_text("Internal note posted.")
    note = page.get_by_role("article", name="Internal note by John Miller")
    expect(note).to_contain_text("Issuer outage, waiting.")


def test_an_empty_reply_is_pointed_out_where_the_agent_is_looking(page, john, long_ticket):
    sign_in(page, "john@example.com")
    page.goto(f"/scp/tickets/{long_ticket.number}/")

    page.get_by_role("button", name="Post Reply").click()

    problem = page.get_by_role("alert")
    expect(problem).to_be_in_viewport()
    expect(problem).to_be_focused()
    expect(problem).to_contain_text("Response: Write the response before posting it.")
    expect(page.get_by_text("Write the response before posting it.")).to_have_count(1)
    shoot(page, "ticket-page-empty-reply")
    problem.get_by_role("link", name="Response").click()
    expect(page.get_by_role("textbox", name="Response")).to_be_focused()
    expect(page.get_by_role("textbox", name="Response")).to_have_accessible_description(
        "Write the response before posting it."
    )
