"""Both areas at a phone's width (375 px): nothing scrolls sideways, menus and filters wait
behind buttons, and a desktop still shows them without one.

Each test saves a screenshot of the pages it checks under var/screenshots/, named for the
test, for a person to look at.
"""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_seed_scenarios_in_browser import sign_in

LONG_LINK = "https://status.example.com/incidents/" + "0123456789abcdef" * 8


@pytest.fixture
def busy_queue(john, karen, support, outage_topic):
    """Enough open tickets, with long subjects and names, to fill a queue's columns."""
    requester = factories.UserFactory(
        email="maximiliane.vandenberg-oppenheimer@example.com",
        full_name="Maximiliane van den Berg-Oppenheimer",
    )
    tickets = [
        factories.TicketFactory(
            requester=requester if n % 2 else karen,
            department=support,
            help_topic=outage_topic,
            subject=f"Card payments declined at every till in the Northern region ({n})",
        )
        for n in range(6)
    ]
    factories.ThreadEntryFactory(
        ticket=tickets[0], body=f"Every payment fails. The status page says: {LONG_LINK}"
    )
    return tickets


def expect_no_sideways_scrolling(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


def expect_scrolls_in_its_own_box(table):
    scrolling = table.evaluate("table => getComputedStyle(table.parentElement).overflowX")
    assert scrolling == "auto", "the table is not in a box of its own that scrolls sideways"


def test_portal_home_fits_a_phone_and_its_links_wait_behind_the_menu_button(
    phone, screenshot, support
):
    phone.goto("/")
    nav = phone.get_by_role("navigation", name="Support Center")
    check_status = nav.get_by_role("link", name="Check Ticket Status")
    expect(check_status).to_be_hidden()
    expect_no_sideways_scrolling(phone)
    screenshot()

    nav.get_by_role("button", name="Menu").click()

    expect(check_status).to_be_visible()
    expect(nav.get_by_role("link", name="Sign In")).to_be_visible()
    screenshot("menu-open")
    check_status.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Check Ticket Status")


def test_portal_links_show_without_a_menu_button_on_a_desktop(desktop, screenshot, support):
    desktop.goto("/")
    nav = desktop.get_by_role("navigation", name="Support Center")

    expect(nav.get_by_role("link", name="Check Ticket Status")).to_be_visible()
    expect(nav.get_by_role("button", name="Menu")).to_be_hidden()
    screenshot()


def test_open_ticket_form_fits_a_phone(phone, screenshot, outage_topic):
    phone.goto("/tickets/new/")

    expect(phone.get_by_label("Issue Summary")).to_be_visible()
    expect(phone.get_by_role("button", name="Create Ticket")).to_be_visible()
    expect_no_sideways_scrolling(phone)
    screenshot()


def test_my_tickets_fits_a_phone_with_its_table_scrolling_on_its_own(
    phone, screenshot, karen, busy_queue
):
    phone.goto("/login/")
    phone.get_by_label("Email Address").fill("karen@example.com")
    phone.get_by_label("Password").fill("correct horse battery staple")
    phone.get_by_role("button", name="Sign In").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("My Tickets")
    expect(phone.get_by_role("table")).to_be_visible()
    expect_scrolls_in_its_own_box(phone.get_by_role("table"))
    expect_no_sideways_scrolling(phone)
    screenshot()


def test_staff_queue_fits_a_phone_with_the_agent_and_log_out_behind_the_menu(
    phone, screenshot, busy_queue
):
    sign_in(phone, "john@example.com")
    nav = phone.get_by_role("navigation", name="Staff Control Panel")
    log_out = nav.get_by_role("button", name="Log Out")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Tickets")
    expect(log_out).to_be_hidden()
    expect_scrolls_in_its_own_box(phone.get_by_role("table"))
    expect_no_sideways_scrolling(phone)
    screenshot()

    nav.get_by_role("button", name="Menu").click()

    expect(nav.get_by_text("John Miller")).to_be_visible()
    expect(log_out).to_be_visible()
    screenshot("menu-open")
    log_out.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Agent Log In")


def test_queue_filters_wait_behind_a_filters_button_on_a_phone(phone, screenshot, busy_queue):
    sign_in(phone, "john@example.com")
    filters = phone.get_by_role("search", name="Filter tickets")
    expect(phone.get_by_role("table")).to_be_visible()
    expect(filters).to_be_hidden()

    phone.get_by_role("button", name="Filters").click()

    expect(filters).to_be_visible()
    expect(filters.get_by_label("Search")).to_be_visible()
    expect_no_sideways_scrolling(phone)
    screenshot("filters-open")


def test_a_narrowed_queue_says_so_on_its_filters_button_on_a_phone(phone, screenshot, busy_queue):
    sign_in(phone, "john@example.com")
    expect(phone.get_by_role("button", name="Filters", exact=True)).to_be_visible()

    phone.goto("/scp/queues/open/?q=Northern")

    expect(phone.get_by_role("button", name="Filters on", exact=True)).to_be_visible()
    expect(phone.get_by_role("search", name="Filter tickets")).to_be_hidden()
    expect_no_sideways_scrolling(phone)
    screenshot()


def test_queue_filters_show_without_a_button_on_a_desktop(desktop, screenshot, busy_queue):
    sign_in(desktop, "john@example.com")

    expect(desktop.get_by_role("search", name="Filter tickets")).to_be_visible()
    expect(desktop.get_by_role("button", name="Filters")).to_be_hidden()
    expect(desktop.get_by_role("button", name="Log Out")).to_be_visible()
    expect(desktop.get_by_role("button", name="Menu")).to_be_hidden()
    screenshot()


def test_staff_ticket_page_fits_a_phone_even_with_a_long_link_in_the_thread(
    phone, screenshot, busy_queue
):
    sign_in(phone, "john@example.com")
    phone.goto(f"/scp/tickets/{busy_queue[0].number}/")

    expect(phone.get_by_role("heading", level=1)).to_contain_text("Card payments declined")
    expect(phone.get_by_role("region", name="Thread")).to_contain_text("status.example.com")
    expect_no_sideways_scrolling(phone)
    screenshot()


def test_admin_panel_fits_a_phone_with_its_menu_behind_a_button(
    phone, screenshot, admin_agent, busy_queue
):
    sign_in(phone, "ada@example.com")
    phone.goto("/scp/admin/")
    menu = phone.get_by_role("navigation", name="Admin Panel")
    departments = menu.get_by_role("link", name="Departments")
    expect(departments).to_be_hidden()
    expect_no_sideways_scrolling(phone)
    screenshot()

    menu.get_by_role("button", name="Admin Panel menu").click()

    expect(departments).to_be_visible()
    departments.click()
    expect(phone.get_by_role("table")).to_be_visible()
    expect_scrolls_in_its_own_box(phone.get_by_role("table"))
    expect_no_sideways_scrolling(phone)
    screenshot("departments")


def test_admin_panel_menu_shows_without_a_button_on_a_desktop(desktop, screenshot, admin_agent):
    sign_in(desktop, "ada@example.com")
    desktop.goto("/scp/admin/departments/")
    menu = desktop.get_by_role("navigation", name="Admin Panel")

    expect(menu.get_by_role("link", name="Departments")).to_be_visible()
    expect(menu.get_by_role("button", name="Admin Panel menu")).to_be_hidden()
    screenshot()
