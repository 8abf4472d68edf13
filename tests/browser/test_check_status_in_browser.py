"""An end user finds her ticket with her email address and number, reads it and replies."""

from playwright.sync_api import expect

from tests.factories import ThreadEntryFactory
from tickets.access import ticket_access_url
from tickets.models import ThreadEntry


def test_karen_finds_her_ticket_with_email_in_another_case_and_posts_a_reply(page, karens_ticket):
    page.goto("/")
    page.get_by_role("navigation", name="Support Center").get_by_role(
        "link", name="Check Ticket Status"
    ).click()
    page.get_by_label("Email Address").fill("KAREN@example.com")
    page.get_by_label("Ticket Number").fill(f"#{karens_ticket.number}")
    page.get_by_role("button", name="View Ticket").click()

    expect(
        page.get_by_role("heading", level=1, name="Entire mobile online banking is down")
    ).to_be_visible()
    conversation = page.get_by_role("region", name="Conversation")
    expect(conversation).to_contain_text("The app shows an error for everyone.")

    reply = "It works again on Android; iOS still shows the error."
    page.get_by_role("textbox", name="Reply").fill(reply)
    page.get_by_role("button", name="Post Reply").click()

    expect(page.get_by_role("status")).to_have_text("Your reply was posted.")
    expect(conversation.get_by_role("article", name="Your message").last).to_contain_text(reply)
    expect(page.get_by_role("textbox", name="Reply")).to_have_value("")
    assert karens_ticket.thread.last().body == reply


def test_empty_reply_is_pointed_out_and_nothing_is_posted(page, karens_ticket):
    page.goto(ticket_access_url(karens_ticket))
    page.get_by_role("button", name="Post Reply").click()

    expect(page.get_by_role("textbox", name="Reply")).to_have_accessible_description(
        "This field is required."
    )
    expect(page.get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(1)
    assert karens_ticket.thread.count() == 1


def test_wrong_email_for_the_number_is_refused_and_the_typed_email_kept(page, karens_ticket, ken):
    page.goto("/tickets/status/")
    page.get_by_label("Email Address").fill("ken@example.com")
    page.get_by_label("Ticket Number").fill(f"#{karens_ticket.number}")
    page.get_by_role("button", name="View Ticket").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "We could not find a ticket with that email address and ticket number"
    )
    expect(page.get_by_label("Email Address")).to_have_value("ken@example.com")
    expect(page.get_by_label("Ticket Number")).to_have_value(f"#{karens_ticket.number}")
    expect(page.get_by_role("main")).not_to_contain_text("Entire mobile online banking is down")


def test_agent_response_is_shown_and_internal_note_never_is(page, karens_ticket, jane):
    ThreadEntryFactory(
        ticket=karens_ticket,
        kind=ThreadEntry.Kind.NOTE,
        author=jane.user,
        body="Internal: check the load balancer",
    )
    ThreadEntryFactory(
        ticket=karens_ticket,
        kind=ThreadEntry.Kind.RESPONSE,
        author=jane.user,
        author_name="Jane Cooper",
        body="We are on it; the next update follows within 15 minutes.",
    )

    page.goto(ticket_access_url(karens_ticket))

    expect(page.get_by_role("main")).not_to_contain_text("Internal: check the load balancer")
    response = page.get_by_role("article", name="Response from Jane Cooper")
    expect(response).to_contain_text("We are on it; the next update follows within 15 minutes.")
    expect(page.get_by_role("article")).to_have_count(2)
