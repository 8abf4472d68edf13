"""An end user follows an expired link from an old email and gets a fresh one by mail."""

import re
import time

from django.core import mail, signing
from playwright.sync_api import expect

from tests.worker import send_queued_mail
from tickets.access import ticket_access_url

DAY = 24 * 3600


def test_karen_opens_an_expired_link_and_the_fresh_one_from_her_mail_opens_her_ticket(
    page, karens_ticket, monkeypatch, settings
):
    settings.HELPDESK_ACCESS_LINK_MAX_AGE_DAYS = 30
    made_at = signing.b62_encode(int(time.time()) - 31 * DAY)
    with monkeypatch.context() as then:
        then.setattr(signing.TimestampSigner, "timestamp", lambda self: made_at)
        expired = ticket_access_url(karens_ticket)

    page.goto(expired)
    expect(page.get_by_role("heading", level=1, name="This link has expired")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Entire mobile online banking is down")
    page.get_by_role("button", name="Email me a fresh link").click()

    expect(page.get_by_role("status")).to_have_text(
        "We have sent a fresh link to k•••@example.com."
    )
    send_queued_mail()
    (message,) = mail.outbox
    assert message.to == ["karen@example.com"]
    # The mail's link names the configured BASE_URL; the browser opens its path here.
    fresh = re.search(r"https?://[^/\s]+(/tickets/view/[^/\s]+/)", message.body).group(1)
    assert fresh != expired
    page.goto(fresh)

    expect(
        page.get_by_role("heading", level=1, name="Entire mobile online banking is down")
    ).to_be_visible()
    expect(page.get_by_role("region", name="Conversation")).to_contain_text(
        "The app shows an error for everyone."
    )
