"""An agent reads a Sev-C ticket's due time and how it was worked out, in the browser."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_seed_scenarios_in_browser import sign_in
from tickets import services

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def friday_afternoon_ticket(support, karen):
    business_hours = factories.ScheduleFactory(name="Business hours", timezone="Europe/Berlin")
    for weekday in range(5):
        factories.WorkingHoursFactory(
            schedule=business_hours,
            weekday=weekday,
            start=datetime.time(9),
            end=datetime.time(17),
        )
    factories.HolidayFactory(
        schedule=business_hours, date=datetime.date(2018, 12, 24), name="Christmas Eve"
    )
    sev_c = factories.SLAPlanFactory(
        name="Sev-C (business)",
        schedule=business_hours,
        first_response_hours=Decimal("2"),
        resolution_hours=Decimal("8"),
    )
    topic = factories.HelpTopicFactory(
        name="Personal Computer Issues", department=support, sla_plan=sev_c
    )
    friday = datetime.datetime(2018, 12, 21, 16, 30, tzinfo=BERLIN)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.now", lambda: friday)
        ticket, _ = services.open_ticket(
            email=karen.email,
            full_name=karen.full_name,
            help_topic=topic,
            subject="Laptop will not start",
            body="It beeps three times.",
        )
    return ticket


def test_a_friday_afternoon_sev_c_ticket_is_due_on_the_next_working_day_explained(
    page, john, friday_afternoon_ticket
):
    sign_in(page, "john@example.com")
    page.goto(f"/scp/tickets/{friday_afternoon_ticket.number}/")

    details = page.get_by_label("Ticket details")
    # Tuesday 16:30 in Berlin (Monday is Christmas Eve): 15:30 UTC.
    resolution = details.locator("dt:has-text('Resolution due') + dd time")
    expect(resolution).to_have_attribute("datetime", "2018-12-25T15:30:00+00:00")
    expect(details).to_contain_text("overdue by")

    page.get_by_text("How the due times were worked out").click()
    explained = page.get_by_role("region", name="Resolution due explained")
    expect(explained).to_have_text(
        "Resolution due "
        "Created Fri 16:30 (Europe/Berlin). Sev-C (business) gives 8 working hours on "
        "Business hours (Mon–Fri 09:00–17:00). Counted Fri 16:30–17:00 (0.5 h); skipped the "
        "weekend and Mon 24 Dec (Christmas Eve); counted Tue 09:00–16:30 (7.5 h). Due Tue 16:30.",
        use_inner_text=True,
    )


def test_the_requester_link_lists_their_other_tickets(page, john, friday_afternoon_ticket):
    other = factories.TicketFactory(
        requester=friday_afternoon_ticket.requester,
        help_topic=friday_afternoon_ticket.help_topic,
        subject="Docking station flickers",
    )
    sign_in(page, "john@example.com")
    page.goto(f"/scp/tickets/{friday_afternoon_ticket.number}/")

    page.get_by_role("link", name="their tickets").click()

    expect(page.get_by_text("Tickets from Karen Taylor")).to_be_visible()
    expect(page.get_by_role("link", name=f"#{other.number}")).to_be_visible()
    expect(page.get_by_role("link", name=f"#{friday_afternoon_ticket.number}")).to_be_visible()
