"""The dashboard in a browser: John opens it from the menu, the charts are drawn with the
numbers of the tickets he can see, a date range is chosen by its labels, and a table's CSV
download reads back with the same numbers. Screenshots: var/screenshots/
test_the_dashboard_*.png, on a desktop and a phone."""

import csv

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_queue_page_layout_in_browser import expect_no_sideways_scrolling
from tests.browser.test_seed_scenarios_in_browser import sign_in
from tickets import services
from tickets.status import Status

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worked(john, karen, jane, inquiry_topic, online_banking, sev_a):
    """Three of Support's tickets today (one answered and resolved, and rated good) and one
    of Online Banking's, which John cannot see."""
    tickets = []
    for n in range(3):
        ticket, _ = services.open_ticket(
            email=karen.email,
            full_name=karen.full_name,
            help_topic=inquiry_topic,
            subject=f"Printer {n} jams",
            body="Paper everywhere.",
        )
        tickets.append(ticket)
    services.post_reply(tickets[0], by=john, body="Fixed.", status=Status.RESOLVED)
    tickets[0].refresh_from_db()
    services.rate(tickets[0], rating="good", comment="Quick, thanks")
    from tests import factories

    banking = factories.HelpTopicFactory(
        name="Card blocked", department=online_banking, sla_plan=sev_a
    )
    services.open_ticket(
        email=karen.email,
        full_name=karen.full_name,
        help_topic=banking,
        subject="Card blocked",
        body="At the till.",
    )
    return tickets


def chart_values(page, slug) -> list[int]:
    bars = page.locator(f'[data-chart="{slug}"] rect[data-value]')
    return [int(float(value)) for value in bars.evaluate_all("r => r.map(b => b.dataset.value)")]


def test_the_dashboard_draws_its_charts_and_downloads_a_table(page, screenshot, worked, tmp_path):
    page.set_viewport_size(DESKTOP)
    sign_in(page, "john@example.com")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    page.get_by_label("Period").select_option(label="Last 7 days")
    page.get_by_role("button", name="Show").click()

    # Seven days a chart, and only the tickets John can see: three created, one resolved.
    created = chart_values(page, "activity-created")
    assert len(created) == 7
    assert sum(created) == 3
    assert sum(chart_values(page, "activity-ended")) == 1
    assert sum(chart_values(page, "backlog-age")) == 2
    expect(page.locator('[data-figure="created"]')).to_have_text("3")
    expect(page.locator('[data-figure="good"]')).to_have_text("1 of 1")
    expect(page.locator('[data-chart="activity-created"] svg')).to_have_attribute(
        "aria-label", "Created: 3 in total"
    )
    # The satisfaction table, and the comment.
    expect(page.locator('[data-table="comments"]')).to_contain_text("Quick, thanks")
    screenshot("desktop")

    with page.expect_download() as download:
        page.locator('[data-csv="agents"]').click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("helpdesk-agents_")
    with saved.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0][:5] == [
        "Agent",
        "Assigned, open now",
        "Overdue now",
        "Responded to",
        "Resolved or closed",
    ]
    john = next(row for row in rows if row[0] == "John Miller")
    assert john[3:5] == ["1", "1"]

    with page.expect_download() as download:
        page.get_by_role("link", name="Download every ticket of the period as CSV").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    with saved.open(encoding="utf-8-sig", newline="") as file:
        subjects = sorted(row["Subject"] for row in csv.DictReader(file))
    assert subjects == ["Printer 0 jams", "Printer 1 jams", "Printer 2 jams"]


def test_the_dashboard_refuses_a_backwards_range_beside_the_field(page, worked):
    page.set_viewport_size(DESKTOP)
    sign_in(page, "john@example.com")
    page.goto("/scp/dashboard/")
    page.get_by_label("Period").select_option(label="Dates")
    page.get_by_label("First day").fill("2026-11-30")
    page.get_by_label("Last day").fill("2026-11-01")
    page.get_by_role("button", name="Show").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "The first day must be on or before the last day."
    )
    expect(page.get_by_label("First day")).to_have_value("2026-11-30")
    expect(page.get_by_label("Last day")).to_have_value("2026-11-01")
    assert page.locator("[data-chart]").count() == 0


def test_the_dashboard_fits_a_phone(page, screenshot, worked):
    page.set_viewport_size(PHONE)
    sign_in(page, "john@example.com")
    page.goto("/scp/dashboard/?period=7")

    expect(page.locator('[data-chart="activity-created"]')).to_be_visible()
    expect_no_sideways_scrolling(page)
    screenshot("phone")


def test_figures_left_to_the_worker_appear_without_a_click(page, worked, settings):
    """At a size where no page could work the figures out in time (DASHBOARD_WAIT_MS 0),
    the page says they are being worked out and shows them, by itself, once the worker has."""
    from tests.worker import work_the_queue

    settings.HELPDESK_DASHBOARD_SECONDS = 60
    settings.HELPDESK_DASHBOARD_WAIT_MS = 0
    page.set_viewport_size(DESKTOP)
    sign_in(page, "john@example.com")
    page.get_by_role("link", name="Dashboard").click()

    expect(page.get_by_text("Working out these figures.")).to_be_visible()
    assert page.locator("[data-chart]").count() == 0
    work_the_queue()

    # The page loads itself again (every 3 s) and shows the worker's figures.
    expect(page.locator('[data-figure="created"]')).to_have_text("3", timeout=10_000)
    expect(page.get_by_text("Working out these figures.")).to_have_count(0)
    expect(page.get_by_role("status").first).to_contain_text("figures as of")
