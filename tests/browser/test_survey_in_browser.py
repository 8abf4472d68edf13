"""Karen follows the Bad link of her resolved notice, sees the choice, confirms it with a
comment, and thanks her."""

import re

from playwright.sync_api import expect

from tests.worker import send_queued_mail
from tickets import services
from tickets.survey import current_rating


def test_karen_rates_her_resolved_ticket_from_her_mail(page, smtp_mailer, karens_ticket, john):
    ticket = services.change_status(karens_ticket, status="resolved", by=john)
    send_queued_mail()
    [received] = smtp_mailer.wait_for(1)
    body = received.message.get_body(("plain",)).get_content()
    bad = re.search(r"Bad: https?://[^/\s]+(/survey/[^/\s]+/)", body).group(1)

    page.goto(bad)

    expect(page.get_by_role("heading", level=1, name="How did we do?")).to_be_visible()
    expect(page.get_by_label("Bad")).to_be_checked()
    assert current_rating(ticket) is None  # opening the link recorded nothing
    page.get_by_label("Comment (optional)").fill("Nobody called me back.")
    page.get_by_role("button", name="Send my rating").click()

    expect(page.get_by_role("heading", level=1, name="Thank you for your rating")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Bad")
    rating = current_rating(ticket)
    assert (rating.rating, rating.comment) == ("bad", "Nobody called me back.")
