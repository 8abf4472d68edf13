"""The seeds' loop with mail, as the people in it live it: Karen opens a ticket on the web
and gets mail with its link, she answers the mail, and John's response comes back by mail."""

import re

from playwright.sync_api import expect

from tests.browser.test_seed_scenarios_in_browser import sign_in
from tests.worker import work_the_queue
from tickets.inbound.intake import receive
from tickets.models import InboundMail, Ticket


def text_of(received) -> str:
    return received.message.get_body(preferencelist=("plain",)).get_content()


def test_karen_follows_her_ticket_by_mail_and_john_answers_by_mail(
    page, live_server, settings, smtp_mailer, karen, outage_topic, john, browser
):
    settings.HELPDESK_BASE_URL = live_server.url

    page.goto("/tickets/new/")
    page.get_by_label("Email Address").fill("karen@example.com")
    page.get_by_label("Full Name").fill("Karen Taylor")
    page.get_by_label("Help Topic").select_option(label=outage_topic.name)
    page.get_by_label("Issue Summary").fill("Card declined")
    page.get_by_label("Details").fill("My card is declined at every shop.")
    page.get_by_role("button", name="Create Ticket").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Ticket #\d{6} created$"))).to_be_visible()
    ticket = Ticket.objects.get()

    # The worker sends the auto-response; its link opens the ticket in Karen's browser.
    work_the_queue()
    [mail] = [m for m in smtp_mailer.wait_for(2) if m.recipients == ("karen@example.com",)]
    assert mail.message["Subject"] == f"[#{ticket.number}] We received your request: Card declined"
    link = re.search(r"https?://\S+/tickets/view/\S+/", text_of(mail)).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1, name="Card declined")).to_be_visible()

    # Karen answers the mail (her mail server pipes it in); her reply is on the ticket.
    answer = (
        "From: Karen Taylor <karen@example.com>\r\n"
        "To: help@helpdesk.example\r\n"
        f"Subject: Re: {mail.message['Subject']}\r\n"
        "Message-ID: <karen-answer@mail.example.com>\r\n"
        f"In-Reply-To: {mail.message['Message-ID']}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "The shop says my card is blocked.\r\n\r\n"
        "On Wed, 2 Dec 2026, Helpdesk wrote:\r\n> We received your request\r\n"
    ).encode()
    assert receive(answer, source="pipe").status == InboundMail.Status.IMPORTED
    page.reload()
    conversation = page.get_by_role("region", name="Conversation")
    expect(conversation).to_contain_text("The shop says my card is blocked.")
    expect(conversation).not_to_contain_text("We received your request")

    # John sees it in the staff panel and answers; the answer goes out by mail, threaded.
    staff = browser.new_context(base_url=live_server.url).new_page()
    sign_in(staff, "john@example.com")
    staff.goto(f"/scp/tickets/{ticket.number}/")
    expect(staff.get_by_role("main")).to_contain_text("The shop says my card is blocked.")
    staff.get_by_role("textbox", name="Response").fill("The block is lifted; try again.")
    staff.get_by_role("button", name="Post Reply").click()
    expect(staff.get_by_role("status").first).to_have_text("Reply posted.")

    smtp_mailer.clear()
    work_the_queue()
    [response] = [m for m in smtp_mailer.wait_for(1) if m.recipients == ("karen@example.com",)]
    assert "The block is lifted; try again." in text_of(response)
    assert response.message["In-Reply-To"] == "<karen-answer@mail.example.com>"
    assert response.message["Subject"] == f"[#{ticket.number}] Card declined"
    staff.context.close()
