"""An admin builds business hours with a lunch break and a holiday, fixes a mistake the
form points out, and puts an SLA plan on the schedule."""

import datetime

from playwright.sync_api import expect

from sla.models import Schedule
from tests import factories
from tests.browser.test_admin_sets_up_an_agent_in_browser import (
    PASSWORD,
    admin_panel_section,
    sign_in,
)


def test_admin_sets_up_business_hours_and_puts_a_plan_on_them(page, support, all_access, sev_c):
    factories.AgentFactory(
        user__email="admin@example.com", department=support, role=all_access, is_admin=True
    )
    sign_in(page, "admin@example.com", PASSWORD)
    page.goto("/scp/admin/")
    admin_panel_section(page, "Schedules")
    page.get_by_role("link", name="New Schedule").click()

    page.get_by_role("textbox", name="Name*", exact=True).fill("Business hours")
    page.get_by_role("combobox", name="Time Zone").or_(
        page.get_by_role("textbox", name="Time Zone")
    ).first.fill("Europe/Berlin")
    rows = [("0", "09:00", "12:00"), ("0", "13:00", "17:00"), ("1", "11:00", "10:00")]
    for n, (day, start, end) in enumerate(rows, start=1):
        page.get_by_label(f"Day (working hours row {n})").select_option(day)
        page.get_by_label(f"From (working hours row {n})").fill(start)
        page.get_by_label(f"To (working hours row {n})").fill(end)
    page.get_by_label("Date (holidays row 1)").fill("2026-12-24")
    page.get_by_label("Name (holidays row 1)").fill("Christmas Eve")
    page.get_by_role("button", name="Create").click()

    # Tuesday ends before it starts: refused, with everything typed still there.
    expect(page.get_by_text("Tuesday 11:00–10:00 does not end after it starts.")).to_be_visible()
    expect(page.get_by_label("Name (holidays row 1)")).to_have_value("Christmas Eve")
    page.get_by_label("To (working hours row 3)").fill("17:00")
    page.get_by_role("button", name="Create").click()

    expect(page.get_by_role("cell", name="Mon 09:00–12:00, 13:00–17:00").first).to_be_visible()
    schedule = Schedule.objects.get(name="Business hours")
    assert schedule.to_clock().holidays == frozenset({datetime.date(2026, 12, 24)})

    admin_panel_section(page, "SLA Plans")
    page.get_by_role("link", name="Sev-C").click()
    page.get_by_label("Schedule").select_option(label="Business hours")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_be_visible()
    sev_c.refresh_from_db()
    assert sev_c.schedule == schedule
