"""Administrators manage webhooks in the admin panel: list, create (with a secret), edit,
deactivate, send a test ping, read each one's delivery log and send a delivery again."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import Webhook, WebhookDelivery, WebhookEvent
from api.webhooks import send_delivery, wanting
from tests import factories

pytestmark = pytest.mark.django_db

PUBLIC_URL = "https://93.184.215.14/hooks/helpdesk"  # a public address: no DNS needed


@pytest.fixture
def hook(db):
    return Webhook.objects.create(
        name="Monitoring", url=PUBLIC_URL, events=["ticket.created", "ticket.overdue"]
    )


def delivery(hook, status="given_up", **fields):
    return WebhookDelivery.objects.create(
        webhook=hook,
        event="ticket.created",
        ticket_number="#123456",
        body=json.dumps({"event": "ticket.created"}),
        next_attempt_at=timezone.now(),
        status=status,
        **fields,
    )


def test_the_list_shows_each_webhook_with_its_url_and_events(as_admin, hook):
    response = as_admin.get(reverse("admin-panel:webhook-list"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Monitoring" in page and PUBLIC_URL in page
    assert "Ticket created, Marked overdue" in page


def test_an_admin_creates_a_webhook_with_a_fresh_secret(as_admin):
    response = as_admin.post(
        reverse("admin-panel:webhook-create"),
        {
            "name": "Chat",
            "url": PUBLIC_URL,
            "events": ["response.sent", "message.received"],
        },
    )

    assert response.status_code == 302
    hook = Webhook.objects.get()
    assert set(hook.events) == {"response.sent", "message.received"}
    assert hook.is_active and not hook.allow_private_targets
    assert hook.secret.startswith("whsec_")
    # The secret is shown to administrators on the webhook's page.
    page = as_admin.get(reverse("admin-panel:webhook-edit", args=[hook.pk])).content.decode()
    assert hook.secret in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "No events", "url": PUBLIC_URL}, "events"),
        ({"name": "Odd", "url": PUBLIC_URL, "events": ["ticket.deleted"]}, "events"),
        ({"name": "Mail", "url": "mailto:ops@example.com", "events": ["ping"]}, "url"),
        ({"name": "", "url": PUBLIC_URL, "events": ["ticket.created"]}, "name"),
    ],
)
def test_a_webhook_form_with_a_mistake_is_shown_again_with_it(as_admin, data, field):
    response = as_admin.post(reverse("admin-panel:webhook-create"), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Webhook.objects.exists()


def test_an_admin_edits_a_webhook_and_it_is_used_at_once(as_admin, hook):
    assert wanting("ticket.assigned") == []
    response = as_admin.post(
        reverse("admin-panel:webhook-edit", args=[hook.pk]),
        {"name": "Monitoring", "url": PUBLIC_URL, "events": ["ticket.assigned"]},
    )

    assert response.status_code == 302
    assert wanting("ticket.assigned") == [hook.pk]


def test_a_deactivated_webhook_is_told_nothing_more(as_admin, hook):
    assert wanting("ticket.created") == [hook.pk]
    response = as_admin.post(reverse("admin-panel:webhook-deactivate", args=[hook.pk]))

    assert response.status_code == 302
    hook.refresh_from_db()
    assert not hook.is_active
    assert wanting("ticket.created") == []


def test_a_test_ping_is_queued_and_shows_in_the_log(as_admin, hook):
    response = as_admin.post(reverse("admin-panel:webhook-ping", args=[hook.pk]))

    assert response["Location"] == reverse("admin-panel:webhook-deliveries", args=[hook.pk])
    ping = WebhookDelivery.objects.get()
    assert (ping.event, ping.status, json.loads(ping.body)["event"]) == ("ping", "pending", "ping")
    log = as_admin.get(response["Location"]).content.decode()
    assert "Test ping" in log and "Pending" in log


def test_a_new_secret_replaces_the_old_one(as_admin, hook):
    old = hook.secret

    as_admin.post(reverse("admin-panel:webhook-new-secret", args=[hook.pk]))

    hook.refresh_from_db()
    assert hook.secret != old and hook.secret.startswith("whsec_")


def test_the_log_shows_status_attempts_response_and_error(as_admin, hook):
    delivery(hook, attempts=6, response_code=503, last_error="Answered 503 Service Unavailable")
    delivery(hook, status="sent", attempts=1, response_code=200)

    page = as_admin.get(reverse("admin-panel:webhook-deliveries", args=[hook.pk]))

    text = page.content.decode()
    assert "Given up" in text and "Sent" in text
    assert "Answered 503 Service Unavailable" in text
    assert text.count("Retry now") == 1  # beside the given-up delivery, not the sent one
    assert "#123456" in text


def test_retry_now_sends_a_given_up_delivery_again(as_admin, hook, receiver):
    Webhook.objects.filter(pk=hook.pk).update(url=receiver.url, allow_private_targets=True)
    given_up = delivery(hook, attempts=6, last_error="Answered 503")

    response = as_admin.post(reverse("admin-panel:webhook-delivery-retry", args=[given_up.pk]))

    assert response.status_code == 302
    given_up.refresh_from_db()
    assert given_up.status == "pending"
    send_delivery.call(given_up.pk)
    given_up.refresh_from_db()
    assert (given_up.status, given_up.attempts, given_up.response_code) == ("sent", 7, 200)
    assert len(receiver.received) == 1


def test_a_sent_delivery_is_not_sent_again(as_admin, hook):
    sent = delivery(hook, status="sent", attempts=1)

    response = as_admin.post(
        reverse("admin-panel:webhook-delivery-retry", args=[sent.pk]), follow=True
    )

    assert "was sent already" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_a_delivery_page_shows_its_body_as_sent(as_admin, hook):
    one = delivery(hook, last_error="Could not reach the receiver: refused")

    page = as_admin.get(reverse("admin-panel:webhook-delivery", args=[one.pk])).content.decode()

    assert "Could not reach the receiver: refused" in page
    assert "{&quot;event&quot;: &quot;ticket.created&quot;}" in page
    assert str(one.delivery_id) in page


def test_unknown_webhooks_and_deliveries_answer_404(as_admin):
    for name in ["webhook-deliveries", "webhook-delivery", "webhook-edit"]:
        assert as_admin.get(reverse(f"admin-panel:{name}", args=[999])).status_code == 404
    for name in ["webhook-ping", "webhook-new-secret", "webhook-delivery-retry"]:
        assert as_admin.post(reverse(f"admin-panel:{name}", args=[999])).status_code == 404


def test_actions_are_post_only(as_admin, hook):
    one = delivery(hook)
    for name, pk in [
        ("webhook-ping", hook.pk),
        ("webhook-new-secret", hook.pk),
        ("webhook-delivery-retry", one.pk),
    ]:
        assert as_admin.get(reverse(f"admin-panel:{name}", args=[pk])).status_code == 405
    assert WebhookDelivery.objects.count() == 1


def test_agents_who_are_not_admins_are_refused(client, hook, support, all_access):
    agent = factories.AgentFactory(department=support, role=all_access)
    client.force_login(agent.user)

    assert client.get(reverse("admin-panel:webhook-list")).status_code == 403
    assert client.post(reverse("admin-panel:webhook-ping", args=[hook.pk])).status_code == 403
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize("url_name", ["webhook-list", "webhook-deliveries"])
def test_the_lists_cost_the_same_queries_for_many_rows(
    as_admin, hook, url_name, django_assert_max_num_queries
):
    args = [hook.pk] if url_name == "webhook-deliveries" else []
    url = reverse(f"admin-panel:{url_name}", args=args)
    delivery(hook)
    Webhook.objects.create(name="Other", url=PUBLIC_URL, events=list(WebhookEvent.values))
    as_admin.get(url)
    with django_assert_max_num_queries(100) as few:
        as_admin.get(url)
    bound = len(few.captured_queries)
    for n in range(30):
        delivery(hook, status=["sent", "failed", "given_up"][n % 3])
        Webhook.objects.create(name=f"Hook {n}", url=PUBLIC_URL, events=["ticket.created"])

    with django_assert_max_num_queries(bound):
        response = as_admin.get(url)
    assert response.status_code == 200
    assert bound <= 7  # session, user, agent; the webhook; a count and the page
