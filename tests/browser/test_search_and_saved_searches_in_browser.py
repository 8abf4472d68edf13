"""An agent searches every queue at once and keeps the search beside the tabs."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_phone_width_in_browser import expect_no_sideways_scrolling
from tests.browser.test_seed_scenarios_in_browser import sign_in
from tickets.status import Status


@pytest.fixture
def printers(john, karen, support, inquiry_topic):
    """A printer ticket in each of three tabs, named by the thread's words, and one other."""
    made = {}
    for subject, fields, body in [
        ("Floor 2 needs help", {}, "The printer on floor 2 jams on every page."),
        ("Toner ordered", {"is_answered": True}, "Printer toner is on its way."),
        ("Lobby device replaced", {"status": Status.RESOLVED}, "We replaced the printer."),
        ("VPN drops", {}, "The VPN drops every hour."),
    ]:
        ticket = factories.TicketFactory(
            requester=karen,
            department=support,
            help_topic=inquiry_topic,
            subject=subject,
            **fields,
        )
        factories.ThreadEntryFactory(ticket=ticket, body=body)
        made[subject] = ticket
    return made


def test_a_search_on_one_tab_finds_printers_in_every_tab_and_is_saved(
    desktop, screenshot, printers
):
    page = desktop
    sign_in(page, "john@example.com")
    page.get_by_role("search", name="Filter tickets").get_by_label("Search").fill("printers")
    page.get_by_role("button", name="Filter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Search results for “printers”")
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name="Queue")).to_be_visible()
    for subject, tab in [
        ("Floor 2 needs help", "Open"),
        ("Toner ordered", "Answered"),
        ("Lobby device replaced", "Closed"),
    ]:
        row = table.get_by_role("row").filter(has_text=subject)
        # Checkbox, Number, Subject, then Queue: beside the subject, also on phones.
        expect(row.get_by_role("cell").nth(3)).to_have_text(tab)
    expect(table).not_to_contain_text("VPN drops")
    tabs = page.get_by_role("navigation", name="Queues")
    expect(tabs.locator("[aria-current=page]")).to_have_count(0)
    screenshot("results")

    page.get_by_label("Save this search as").fill("Printers everywhere")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Saved search: Printers everywhere")
    saved = page.get_by_role("navigation", name="Saved searches")
    expect(saved.get_by_role("link", name=re.compile(r"Printers everywhere\s+3"))).to_be_visible()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(4)  # header and 3
    screenshot("saved")

    # Beside the tabs on every queue page; one click brings it back.
    page.get_by_role("navigation", name="Queues").get_by_role(
        "link", name=re.compile("^Closed")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tickets: Closed")
    page.get_by_role("navigation", name="Saved searches").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved search: Printers everywhere")

    page.get_by_label("Name").fill("Printers")
    page.get_by_role("button", name="Rename").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved search: Printers")

    page.get_by_role("button", name="Delete this saved search").click()
    expect(page.get_by_text("Deleted the saved search “Printers”.")).to_be_visible()
    expect(page.get_by_role("navigation", name="Saved searches")).to_have_count(0)


def test_a_saved_search_needs_a_unique_name_and_keeps_what_was_typed(desktop, john, printers):
    page = desktop
    john.saved_queues.create(name="Printers", queue="open", query="q=printer")
    sign_in(page, "john@example.com")
    page.goto("/scp/queues/open/?q=toner")

    page.get_by_label("Save this search as").fill("printers")
    page.get_by_role("button", name="Save", exact=True).click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("You already have a saved search named “printers”.")
    expect(page.get_by_text("You already have a saved search named")).to_have_count(1)
    expect(page.get_by_label("Save this search as")).to_have_value("printers")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Save this search as")).to_be_focused()


def test_search_results_fit_a_phone(phone, screenshot, printers):
    sign_in(phone, "john@example.com")
    phone.goto("/scp/queues/open/?q=printers")

    expect(phone.get_by_role("heading", level=1)).to_have_text("Search results for “printers”")
    expect(phone.get_by_role("table")).to_contain_text("Lobby device replaced")
    expect_no_sideways_scrolling(phone)
    screenshot()
