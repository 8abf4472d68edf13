"""The queue page on a desktop (1280 px) and a phone (375 px): nothing scrolls sideways, and
each row's subject, priority and due time are on screen; the phone leaves the rest out.

Screenshots go to var/screenshots/queue-desktop.png and queue-phone.png, for a person to look
at.
"""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_seed_scenarios_in_browser import sign_in
from tickets.models import Priority, Ticket


@pytest.fixture
def queue(john, karen, support, outage_topic):
    """Open tickets with long subjects and names, one of them overdue."""
    requester = factories.UserFactory(
        email="maximiliane.vandenberg-oppenheimer@example.com",
        full_name="Maximiliane van den Berg-Oppenheimer",
    )
    tickets = [
        factories.TicketFactory(
            requester=requester if n % 2 else karen,
            department=support,
            help_topic=outage_topic,
            priority=Priority.EMERGENCY if n == 0 else Priority.HIGH,
            subject=f"Card payments declined at every till in the Northern region ({n})",
            assignee=john if n % 3 == 0 else None,
        )
        for n in range(6)
    ]
    now = timezone.now()
    for n, ticket in enumerate(tickets):
        Ticket.objects.filter(pk=ticket.pk).update(
            first_response_due_at=now + datetime.timedelta(hours=n * 7 - 3),
            resolution_due_at=now + datetime.timedelta(hours=n * 7 + 8),
            is_overdue=n == 0,
        )
    return tickets


def shoot(page, name):
    folder = settings.BASE_DIR / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png", full_page=True)


def expect_no_sideways_scrolling(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"
    main = page.get_by_role("main")
    inside = main.evaluate("main => main.scrollWidth - main.clientWidth")
    assert inside <= 0, f"the main content is {inside} px wider than the screen"


def expect_on_screen(page, locator):
    """Visible and within the window's width, not scrolled out of a box."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{locator} is off screen"


def expect_the_row_essentials_on_screen(page, ticket):
    row = page.get_by_role("row").filter(has_text=ticket.subject)
    expect_on_screen(page, row.get_by_role("cell", name=ticket.subject))
    expect_on_screen(page, row.get_by_text("Emergency"))
    expect_on_screen(page, row.get_by_text("overdue by 3 h"))
    expect_on_screen(page, row.get_by_text("First response"))


def test_the_queue_fits_a_desktop_with_every_column(page, john, queue):
    page.set_viewport_size(DESKTOP)
    sign_in(page, "john@example.com")

    expect(page.get_by_role("heading", level=1)).to_have_text("Tickets: Open")
    shoot(page, "queue-desktop")  # first, so that a failure below has its picture
    expect_no_sideways_scrolling(page)
    expect_the_row_essentials_on_screen(page, queue[0])
    for header in ("From", "Last Update", "Department", "Assigned To", "Due"):
        expect_on_screen(page, page.get_by_role("columnheader", name=header))
    row = page.get_by_role("row").filter(has_text=queue[0].subject)
    expect(row.locator("time").last).to_be_visible()  # the due time's date and hour


def test_the_queue_fits_a_phone_with_subject_priority_and_due_on_screen(page, john, queue):
    page.set_viewport_size(PHONE)
    page.emulate_media(reduced_motion="reduce")
    sign_in(page, "john@example.com")

    expect(page.get_by_role("heading", level=1)).to_have_text("Tickets: Open")
    shoot(page, "queue-phone")  # first, so that a failure below has its picture
    expect_no_sideways_scrolling(page)
    expect_the_row_essentials_on_screen(page, queue[0])
    for header in ("From", "Last Update", "Department", "Assigned To"):
        expect(page.get_by_role("columnheader", name=header)).to_be_hidden()
    expect_on_screen(page, page.get_by_role("columnheader", name="Due"))
    row = page.get_by_role("row").filter(has_text=queue[0].subject)
    expect(row.locator("time").last).to_be_hidden()  # the date waits for a wider screen
