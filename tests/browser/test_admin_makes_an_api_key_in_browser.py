"""An admin makes an API key in the admin panel, sees it once in full, and a program then
creates a ticket with it through osTicket's API."""

import json
import re
import urllib.request

from playwright.sync_api import expect

from api.models import ApiKey
from tests import factories
from tickets.models import Ticket

PASSWORD = "correct horse battery staple"


def test_admin_makes_a_key_sees_it_once_and_a_program_uses_it(
    page, live_server, support, all_access, outage_topic
):
    factories.AgentFactory(
        user__email="admin@example.com", department=support, role=all_access, is_admin=True
    )
    page.goto("/scp/login/")
    page.get_by_label("Email Address").fill("admin@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log In").click()
    page.get_by_role("link", name="Admin Panel").click()
    page.get_by_role("navigation", name="Admin Panel").get_by_role("link", name="API Keys").click()
    page.get_by_role("link", name="New API Key").click()

    page.get_by_label("Name").fill("Nagios")
    page.get_by_label("Allowed addresses").fill("127.0.0.0/33")
    page.get_by_label("May read tickets").check()
    page.get_by_role("button", name="Create").click()

    expect(page.get_by_text("“127.0.0.0/33” is not an IP address or range")).to_be_visible()
    expect(
        page.get_by_text("Choose the agent this key reads or changes tickets as.")
    ).to_be_visible()
    page.get_by_label("Allowed addresses").fill("127.0.0.0/8\n::1")
    page.get_by_label("May read tickets").uncheck()
    page.get_by_role("button", name="Create").click()

    expect(page.get_by_text("Copy this key now: it will not be shown again.")).to_be_visible()
    shown = page.get_by_label("The new API key")
    key = shown.input_value()
    assert re.fullmatch(r"[0-9A-F]{32}", key)

    page.reload()
    expect(page.get_by_text("cannot be shown again")).to_be_visible()
    expect(page.get_by_label("The new API key")).to_have_count(0)

    request = urllib.request.Request(  # noqa: S310 (the live test server)
        f"{live_server.url}/api/tickets.json",
        data=json.dumps(
            {
                "name": "Nagios",
                "email": "nagios@example.com",
                "subject": "db01 down",
                "message": "data:text/plain,ping%20failed",
            }
        ).encode(),
        headers={"X-API-Key": key},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        assert answer.status == 201
        number = answer.read().decode().strip()
    assert Ticket.objects.get().number == number

    page.get_by_role("link", name="All API keys").click()
    row = page.get_by_role("row", name=re.compile("Nagios"))
    expect(row).to_contain_text("127.0.0.1")
    expect(row).to_contain_text(f"{ApiKey.objects.get().prefix}…")
