"""A person opens a ticket from the portal in a real browser."""

import re

from playwright.sync_api import expect

from tickets.models import Priority, ThreadEntry, Ticket

# A complete 1x1 greyscale PNG: what a screenshot looks like to the server, only smaller.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00"
    b":~\x9bU\x00\x00\x00\nIDATx\x9cc`\x00\x00\x00\x02\x00\x01H\xaf\xa4q\x00\x00\x00\x00IEND"
    b"\xaeB`\x82"
)
SCREENSHOT = {"name": "screenshot.png", "mimeType": "image/png", "buffer": PNG}
APP_LOG = {
    "name": "app.log",
    "mimeType": "text/plain",
    "buffer": b"12:03:11 ERROR login failed: upstream timeout\n",
}

SUBJECT = "Entire mobile online banking is down"
DETAILS = "Since 9:00 every customer sees 'Service unavailable' after logging in."


def fill_in_ticket_form(
    page,
    *,
    topic,
    email="karen@example.com",
    full_name="Karen Taylor",
    phone="+1 555 0100",
    subject=SUBJECT,
    details=DETAILS,
    files=(),
):
    page.get_by_label("Email Address").fill(email)
    page.get_by_label("Full Name").fill(full_name)
    page.get_by_label("Phone Number").fill(phone)
    page.get_by_label("Help Topic").select_option(label=topic)
    page.get_by_label("Issue Summary").fill(subject)
    page.get_by_label("Details").fill(details)
    if files:
        page.get_by_label("Attachments").set_input_files(list(files))


def expect_typed_text_kept(page, topic):
    expect(page.get_by_label("Full Name")).to_have_value("Karen Taylor")
    expect(page.get_by_label("Phone Number")).to_have_value("+1 555 0100")
    expect(page.get_by_label("Help Topic")).to_have_value(str(topic.pk))
    expect(page.get_by_label("Issue Summary")).to_have_value(SUBJECT)


def expect_form_sent_back(page):
    # Seen only once the server has answered, so the checks after it see the new page.
    # One summary at the top of what is wrong, each error linked to its field.
    expect(page.get_by_role("alert")).to_contain_text(
        "Please correct this; everything you typed is still here:"
    )


def test_person_opens_a_ticket_with_two_attachments_and_follows_the_link_to_it(
    page, outage_topic, support, sev_a
):
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Open a New Ticket").click()
    fill_in_ticket_form(page, topic="Business Critical Outage", files=[SCREENSHOT, APP_LOG])
    page.get_by_role("button", name="Create Ticket").click()

    created = page.get_by_role("heading", name=re.compile(r"^Ticket #\d{6} created$"))
    expect(created).to_be_visible()
    number = re.search(r"#(\d{6})", created.inner_text()).group(1)
    page.get_by_role("link", name=f"View ticket #{number}").click()

    expect(page.get_by_role("heading", level=1, name=SUBJECT)).to_be_visible()
    expect(page.get_by_text(f"Ticket #{number}", exact=True)).to_be_visible()
    expect(page.get_by_test_id("ticket-status")).to_have_text("Open")
    conversation = page.get_by_role("region", name="Conversation")
    expect(conversation).to_contain_text(DETAILS)
    expect(conversation.get_by_role("link", name="screenshot.png")).to_be_visible()
    expect(conversation.get_by_role("link", name="app.log")).to_be_visible()
    with page.expect_download() as download:
        conversation.get_by_role("link", name="screenshot.png").click()
    assert download.value.suggested_filename == "screenshot.png"
    assert download.value.path().read_bytes() == PNG

    ticket = Ticket.objects.get()
    assert ticket.number == number
    assert ticket.department == support
    assert ticket.priority == Priority.HIGH
    assert ticket.sla_plan == sev_a
    first_entry = ticket.thread.first()
    assert first_entry.kind == ThreadEntry.Kind.MESSAGE
    assert first_entry.body == DETAILS
    assert [a.filename for a in first_entry.attachments.all()] == ["screenshot.png", "app.log"]


def test_invalid_email_is_pointed_out_and_everything_typed_is_kept(page, outage_topic):
    page.goto("/tickets/new/")
    fill_in_ticket_form(page, topic="Business Critical Outage", email="karen@")
    page.get_by_role("button", name="Create Ticket").click()

    expect_form_sent_back(page)
    email = page.get_by_label("Email Address")
    expect(email).to_have_accessible_description("Enter a valid email address.")
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    expect(email).to_have_value("karen@")
    expect_typed_text_kept(page, outage_topic)
    expect(page.get_by_label("Details")).to_have_value(DETAILS)
    assert Ticket.objects.count() == 0


def test_missing_details_are_pointed_out_and_everything_typed_is_kept(page, outage_topic):
    page.goto("/tickets/new/")
    fill_in_ticket_form(page, topic="Business Critical Outage", details="")
    page.get_by_role("button", name="Create Ticket").click()

    expect_form_sent_back(page)
    expect(page.get_by_label("Details")).to_have_accessible_description("This field is required.")
    expect(page.get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_label("Email Address")).to_have_value("karen@example.com")
    expect_typed_text_kept(page, outage_topic)
    assert Ticket.objects.count() == 0


def test_refused_attachment_type_is_pointed_out_and_the_typed_text_is_kept(page, outage_topic):
    page.goto("/tickets/new/")
    tool = {"name": "tool.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"}
    fill_in_ticket_form(page, topic="Business Critical Outage", files=[SCREENSHOT, tool])
    page.get_by_role("button", name="Create Ticket").click()

    expect_form_sent_back(page)
    refusal = re.compile(r"tool\.exe: \.exe files are not accepted\. Accepted types: .*\bpng\b")
    expect(page.get_by_label("Attachments")).to_have_accessible_description(refusal)
    expect(page.get_by_text(refusal)).to_be_visible()
    expect(page.get_by_label("Email Address")).to_have_value("karen@example.com")
    expect_typed_text_kept(page, outage_topic)
    expect(page.get_by_label("Details")).to_have_value(DETAILS)
    assert Ticket.objects.count() == 0

    # The acceptable screenshot was kept: sending again without choosing it attaches it.
    expect(page.get_by_role("checkbox", name="Remove screenshot.png")).not_to_be_checked()
    page.get_by_role("button", name="Create Ticket").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Ticket #\d{6} created$"))).to_be_visible()
    attachments = Ticket.objects.get().thread.get().attachments.all()
    assert [(a.filename, a.file.read()) for a in attachments] == [("screenshot.png", PNG)]


def test_double_click_on_create_ticket_makes_one_ticket(page, outage_topic):
    page.goto("/tickets/new/")
    fill_in_ticket_form(page, topic="Business Critical Outage")
    page.get_by_role("button", name="Create Ticket").dblclick()

    expect(page.get_by_role("heading", name=re.compile(r"^Ticket #\d{6} created$"))).to_be_visible()
    assert Ticket.objects.count() == 1


def test_help_topic_offers_only_public_active_topics(
    page, outage_topic, inquiry_topic, private_topic, retired_topic
):
    page.goto("/tickets/new/")

    options = page.get_by_label("Help Topic").get_by_role("option")
    expect(options).to_have_text(
        ["— Select a Help Topic —", "Business Critical Outage", "General Inquiry"]
    )
    names = options.all_inner_texts()
    assert "Internal Escalation" not in names
    assert "Fax Machines" not in names
