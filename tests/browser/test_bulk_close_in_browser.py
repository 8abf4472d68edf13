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
