"""Ticking every ticket of a queue page at once, and closing them after a confirmation."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_seed_scenarios_in_browser import sign_in


@pytest.fixture
def three_tickets(support, karen):
    return [
        factories.TicketFactory(department=support, requester=karen, subject=f"Printer {n}")
        for n in range(3)
    ]


def row_boxes(page, tickets):
    return [page.get_by_role("checkbox", name=f"Select #{t.number}") for t in tickets]


def test_select_all_ticks_every_row_and_shows_when_only_some_are_ticked(page, john, three_tickets):
    sign_in(page, "john@example.com")
    select_all = page.get_by_role("checkbox", name="Select all tickets on this page")
    boxes = row_boxes(page, three_tickets)

    select_all.check()

    for box in boxes:
        expect(box).to_be_checked()
    boxes[1].uncheck()
    assert select_all.evaluate("box => box.indeterminate")
    expect(select_all).not_to_be_checked()
    boxes[1].check()
    expect(select_all).to_be_checked()
    assert not select_all.evaluate("box => box.indeterminate")
    select_all.uncheck()
    for box in boxes:
        expect(box).not_to_be_checked()


def test_without_javascript_the_select_all_box_stays_hidden(
    browser, live_server, john, three_tickets
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "john@example.com")

        expect(row_boxes(page, three_tickets)[0]).to_be_visible()
        expect(page.get_by_label("Select all tickets on this page")).to_be_hidden()
    finally:
        context.close()


def test_an_agent_closes_a_whole_page_after_confirming(page, john, three_tickets):
    sign_in(page, "john@example.com")

    page.get_by_role("checkbox", name="Select all tickets on this page").check()
    page.get_by_role("combobox", name="With selected").select_option(label="Closed")
    page.get_by_role("button", name="Apply").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Close 3 tickets?")
    expect(page.get_by_text("Nothing has changed yet.")).to_be_visible()
    for ticket in three_tickets:
        expect(page.get_by_role("list", name="Chosen tickets")).to_contain_text(ticket.subject)
    page.get_by_role("button", name="Close 3 tickets").click()

    expect(page.get_by_role("status").first).to_have_text("3 tickets closed.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tickets: Open")
    expect(page.get_by_text("No tickets to show.")).to_be_visible()


def test_cancel_on_the_confirmation_goes_back_with_nothing_closed(page, john, three_tickets):
    sign_in(page, "john@example.com")
    row_boxes(page, three_tickets)[0].check()
    page.get_by_role("combobox", name="With selected").select_option(label="Resolved")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resolve 1 ticket?")

    page.get_by_role("link", name="Cancel").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tickets: Open")
    for box in row_boxes(page, three_tickets):
        expect(box).to_be_visible()
