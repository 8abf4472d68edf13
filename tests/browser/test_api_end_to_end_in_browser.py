"""The API from outside, end to end: a monitoring system opens a ticket through osTicket's
/api/tickets.json and an integration replies through /api/v1/, each with a real HTTP client
against the live server; the agent then finds both in the staff panel; a webhook receiver
gets every change signed, and one that was down gets what it missed once it is back."""

import base64
import json
import re
from datetime import timedelta

import requests
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from api import keys, signing
from api.models import ApiKey, Webhook, WebhookDelivery, WebhookEvent
from tests.api.receivers import WebhookReceiver
from tests.browser.test_admin_sets_up_an_agent_in_browser import PASSWORD, sign_in
from tests.worker import work_the_queue
from tickets.models import Source, Ticket

NOTE_FILE = base64.b64encode(b"disk /var at 97%\n").decode()


def osticket_request(topic) -> str:
    """As osTicket's documentation shows it, posted as its PHP sample posts it (a form's
    content type over a JSON body)."""
    return json.dumps(
        {
            "alert": True,
            "autorespond": True,
            "source": "API",
            "name": "Nagios",
            "email": "nagios@monitoring.example.com",
            "phone": "3185558634X123",
            "subject": "Disk almost full on db-2",
            "ip": "203.0.113.9",
            "topicId": str(topic.pk),
            "message": "data:text/html,<p>Disk <b>/var</b> is at 97 %.</p>",
            "attachments": [{"df.txt": f"data:text/plain;base64,{NOTE_FILE}"}],
        }
    )


def time_passes():
    """Every waiting retry falls due (the queue's clock moved, not ours)."""
    past = timezone.now() - timedelta(seconds=1)
    WebhookDelivery.objects.filter(status=WebhookDelivery.Status.FAILED).update(
        next_attempt_at=past
    )
    DBTaskResult.objects.filter(status="READY").update(run_after=past)


def signed_events(received, secret) -> list[str]:
    events = []
    for delivery in received:
        assert signing.verify(
            secret,
            timestamp=delivery.headers["X-Helpdesk-Timestamp"],
            body=delivery.body,
            signature_header=delivery.headers["X-Helpdesk-Signature"],
        )
        events.append(delivery.json["event"])
    return events


def test_a_ticket_from_osticket_api_and_a_reply_from_the_rest_api_show_in_the_staff_panel(
    page, live_server, john, outage_topic, settings
):
    settings.HELPDESK_WEBHOOK_RETRY_SECONDS = [60, 300]
    receiver = WebhookReceiver()
    try:
        hook = Webhook.objects.create(
            name="Ops monitoring",
            url=receiver.url,
            events=list(WebhookEvent.values),
            allow_private_targets=True,
        )
        key = ApiKey(
            name="Monitoring",
            can_create_tickets=True,
            can_read=True,
            can_write=True,
            agent=john,
            allowed_networks="127.0.0.0/8\n::1",
        )
        plain = keys.issue(key)
        key.save()

        created = requests.post(
            f"{live_server.url}/api/tickets.json",
            data=osticket_request(outage_topic),
            headers={"X-API-Key": plain, "Content-Type": "application/x-www-form-urlencoded"},
            timeout=30,
        )
        assert created.status_code == 201, created.text
        number = created.text.strip()
        assert re.fullmatch(r"\d{6,}", number)
        ticket = Ticket.objects.get(number=number)
        assert ticket.source == Source.API

        bearer = {"Authorization": f"Bearer {plain}"}
        replied = requests.post(
            f"{live_server.url}/api/v1/tickets/{number}/replies",
            json={"body": "We have freed 40 GB on db-2; watching it."},
            headers=bearer,
            timeout=30,
        )
        assert replied.status_code in (200, 201), replied.text
        seen = requests.get(
            f"{live_server.url}/api/v1/tickets/{number}", headers=bearer, timeout=30
        )
        assert seen.status_code == 200
        assert "We have freed 40 GB" in seen.text

        # The agent finds both in the staff panel.
        sign_in(page, john.user.email, PASSWORD)
        page.goto("/scp/")
        page.get_by_role("link", name=re.compile("^Answered")).first.click()  # we replied
        page.get_by_role("link", name="Disk almost full on db-2").first.click()
        expect(
            page.get_by_role("heading", name=re.compile("Disk almost full on db-2"))
        ).to_be_visible()
        expect(page.get_by_text("Disk /var is at 97 %.")).to_be_visible()
        expect(page.get_by_text("We have freed 40 GB on db-2; watching it.")).to_be_visible()
        expect(page.get_by_text("df.txt")).to_be_visible()

        # The receiver gets each change, signed with the webhook's secret.
        work_the_queue()
        events = signed_events(receiver.received, hook.secret)
        assert events[0] == "ticket.created"
        assert "response.sent" in events

        # Down while the ticket is resolved; the delivery waits and arrives once it is back.
        receiver.stop()
        before = len(receiver.received)
        resolved = requests.patch(
            f"{live_server.url}/api/v1/tickets/{number}",
            json={"status": "resolved"},
            headers=bearer,
            timeout=30,
        )
        assert resolved.status_code == 200, resolved.text
        work_the_queue()
        waiting = WebhookDelivery.objects.get(event=WebhookEvent.STATUS_CHANGED)
        assert waiting.status == WebhookDelivery.Status.FAILED

        receiver.start()
        time_passes()
        work_the_queue()

        after = signed_events(receiver.received[before:], hook.secret)
        assert after == ["ticket.status_changed"]
        waiting.refresh_from_db()
        assert waiting.status == WebhookDelivery.Status.SENT
        assert receiver.received[-1].json["ticket"]["status"] == "resolved"
    finally:
        receiver.stop()
