"""Defects people met in the landed helpdesk, checked where they met them: in the browser."""

import datetime
import re

import factory
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_seed_scenarios_in_browser import PASSWORD, sign_in
from tickets import services
from tickets.models import Ticket


@pytest.fixture
def printer_ticket(support, sev_c, karen):
    topic = factories.HelpTopicFactory(name="Printers", department=support, sla_plan=sev_c)
    ticket, _ = services.open_ticket(
        email=karen.email,
        full_name=karen.full_name,
        help_topic=topic,
        subject="Printer jam",
        body="It jams on every page.",
    )
    return ticket


def test_a_due_time_in_the_year_9999_is_refused_beside_the_field(page, john, printer_ticket):
    sign_in(page, "john@example.com")
    page.goto(f"/scp/tickets/{printer_ticket.number}/")

    due = page.get_by_label("Manual resolution due time")
    due.fill("9999-12-31T23:59")
    page.get_by_role("button", name="Set Due Time").click()

    expect(page.get_by_label("Manual resolution due time")).to_have_accessible_description(
        re.compile("The due time must be within a year from now")
    )
    error = page.get_by_text("The due time must be within a year from now")
    expect(error).to_have_count(1)
    expect(page.get_by_label("Manual resolution due time")).to_have_value("9999-12-31T23:59")
    printer_ticket.refresh_from_db()
    assert printer_ticket.due_override_at is None


def test_a_ticket_whose_stored_due_time_is_far_off_still_opens_and_lists(
    page, john, printer_ticket
):
    far = datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.UTC)
    Ticket.objects.filter(pk=printer_ticket.pk).update(
        due_override_at=far, resolution_due_at=far, first_responded_at=timezone.now()
    )
    sign_in(page, "john@example.com")

    page.goto(f"/scp/tickets/{printer_ticket.number}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Printer jam")
    expect(page.get_by_label("Ticket details")).to_contain_text(
        "too far ahead to count the working time left"
    )
    page.goto("/scp/queues/open/")
    expect(
        page.get_by_role("row", name=re.compile("Printer jam.*too far ahead to count"))
    ).to_be_visible()


def test_an_agent_downloads_the_customers_file_and_sees_its_preview(page, john, printer_ticket):
    factories.AttachmentFactory(
        entry=printer_ticket.thread.get(),
        filename="jam.png",
        content_type="image/png",
        file=factory.django.FileField(data=factories.png_bytes(640, 480), filename="jam.png"),
    )
    sign_in(page, "john@example.com")
    page.goto(f"/scp/tickets/{printer_ticket.number}/")

    preview = page.get_by_role("img", name="Preview of jam.png")
    expect(preview).to_be_visible()
    # decode() waits for the picture and fails if it did not load or is not an image.
    assert preview.evaluate("image => image.decode().then(() => image.naturalWidth)") == 320
    with page.expect_download() as download:
        page.get_by_role("link", name="jam.png", exact=True).click()
    assert download.value.suggested_filename == "jam.png"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == factories.png_bytes(640, 480)


def test_signed_in_karen_files_as_herself_with_her_details_read_only(
    page, karen, ken, outage_topic
):
    page.goto("/login/")
    page.get_by_label("Email Address").fill("karen@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Open a New Ticket").first.click()

    email = page.get_by_label("Email Address")
    expect(email).to_have_value("karen@example.com")
    expect(email).to_be_disabled()
    expect(page.get_by_label("Full Name")).to_have_value("Karen Taylor")
    expect(page.get_by_label("Full Name")).to_be_disabled()
    page.get_by_label("Help Topic").select_option(label=outage_topic.name)
    page.get_by_label("Issue Summary").fill("Card declined")
    page.get_by_label("Details").fill("Declined at every shop.")
    page.get_by_role("button", name="Create Ticket").click()

    expect(page.get_by_role("heading", name="created")).to_be_visible()
    page.get_by_role("link", name="My Tickets").click()
    expect(page.get_by_role("row", name=re.compile("Card declined"))).to_be_visible()
    assert Ticket.objects.get(subject="Card declined").requester == karen
    assert not Ticket.objects.filter(requester=ken).exists()
