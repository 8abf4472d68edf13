"""An admin adds a webhook for a receiver on this machine: told that a loopback target needs
"Allow private targets", ticks it, sends a test ping, and sees it delivered in the log; the
receiver checks the signature with the secret the page shows."""

import re

from playwright.sync_api import expect

from api import signing
from api.models import Webhook
from tests import factories
from tests.api.receivers import WebhookReceiver
from tests.browser.test_admin_sets_up_an_agent_in_browser import (
    PASSWORD,
    admin_panel_section,
    sign_in,
)
from tests.worker import work_the_queue


def test_admin_adds_a_webhook_pings_it_and_reads_the_delivery_log(page, support, all_access):
    receiver = WebhookReceiver()
    try:
        factories.AgentFactory(
            user__email="admin@example.com", department=support, role=all_access, is_admin=True
        )
        sign_in(page, "admin@example.com", PASSWORD)
        page.goto("/scp/admin/")
        admin_panel_section(page, "Webhooks")
        page.get_by_role("link", name="New Webhook").click()

        page.get_by_role("textbox", name=re.compile(r"^\s*Name")).fill("Ops monitoring")
        url = receiver.url.replace("127.0.0.1", "localhost")
        page.get_by_role("textbox", name=re.compile(r"^\s*URL")).fill(url)
        page.get_by_role("checkbox", name="Ticket created").check()
        page.get_by_role("checkbox", name=re.compile("^Response sent")).check()
        page.get_by_role("button", name="Create").click()

        expect(page.get_by_text(re.compile("Refused: localhost resolves to"))).to_be_visible()
        assert not Webhook.objects.exists()
        page.get_by_role("checkbox", name="Allow private targets").check()
        page.get_by_role("button", name="Create").click()

        page.get_by_role("link", name="Ops monitoring").click()
        secret = page.get_by_text(re.compile(r"^whsec_")).inner_text()
        page.get_by_role("button", name="Send test ping").click()
        expect(page.get_by_role("heading", name="Deliveries of Ops monitoring")).to_be_visible()
        expect(page.get_by_role("cell", name="Pending")).to_be_visible()

        work_the_queue()
        page.reload()

        row = page.get_by_role("row").filter(has_text="Test ping")
        expect(row.get_by_role("cell", name="Sent")).to_be_visible()
        expect(row.get_by_role("cell", name="200")).to_be_visible()
        [received] = receiver.received
        assert received.json["event"] == "ping"
        assert signing.verify(
            secret,
            timestamp=received.headers["X-Helpdesk-Timestamp"],
            body=received.body,
            signature_header=received.headers["X-Helpdesk-Signature"],
        )
    finally:
        receiver.stop()
