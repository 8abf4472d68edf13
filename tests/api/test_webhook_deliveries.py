"""Webhooks are told of ticket changes by signed POSTs to a real receiver: each event kind,
recorded with the change and sent by the worker, retried while the receiver is down and
delivered once when it is back, nothing for a rolled-back change, never an internal note."""

import datetime
import json
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from api import signing
from api.models import Webhook, WebhookDelivery, WebhookEvent
from api.webhooks import active_webhooks, requeue_stalled, send_delivery
from tests.worker import work_the_queue
from tickets import services
from tickets.models import Ticket
from tickets.status import Status
from tickets.sweep import sweep

pytestmark = pytest.mark.django_db(transaction=True)

SEND_TASK = "api.webhooks.send_delivery"


@pytest.fixture
def hook(receiver):
    """A webhook on this machine (so private targets allowed) that wants every event."""
    return Webhook.objects.create(
        name="Monitoring",
        url=receiver.url,
        events=list(WebhookEvent.values),
        allow_private_targets=True,
    )


@pytest.fixture
def quick_retries(settings):
    settings.HELPDESK_WEBHOOK_RETRY_SECONDS = [60, 300]


def open_ticket_for(karen, topic, subject="Card declined"):
    ticket, _ = services.open_ticket(
        email=karen.email,
        full_name=karen.full_name,
        help_topic=topic,
        subject=subject,
        body="My card is declined at every shop.",
    )
    return ticket


def time_passes():
    """Every waiting retry falls due (the queue's clock moved, not ours)."""
    past = timezone.now() - timedelta(seconds=1)
    WebhookDelivery.objects.filter(status=WebhookDelivery.Status.FAILED).update(
        next_attempt_at=past
    )
    DBTaskResult.objects.filter(status="READY").update(run_after=past)


def events_of(receiver) -> list[str]:
    return [r.json["event"] for r in receiver.received]


def test_each_kind_of_change_reaches_the_receiver_signed(hook, receiver, karen, john, outage_topic):
    ticket = open_ticket_for(karen, outage_topic)
    services.post_user_reply(ticket, by=karen, body="It also fails online.")
    services.post_reply(ticket, by=john, body="We are looking into it.")
    services.assign_ticket(ticket, agent=john, by=john)
    services.change_status(ticket, status=Status.RESOLVED, by=john)
    services.post_user_reply(ticket, by=karen, body="Still broken.")  # reopens it
    Ticket.objects.filter(pk=ticket.pk).update(
        resolution_due_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    sweep()
    assert receiver.received == []  # nothing leaves before the worker runs

    work_the_queue()

    # One task per change, run in the order of the queue's clock: compared as a set of counts.
    assert sorted(events_of(receiver)) == sorted(
        [
            "ticket.created",
            "message.received",
            "response.sent",
            "ticket.assigned",
            "ticket.status_changed",  # resolved
            "message.received",  # her reply to the resolved ticket...
            "ticket.status_changed",  # ...reopens it
            "ticket.overdue",
        ]
    )
    for received in receiver.received:
        assert signing.verify(
            hook.secret,
            timestamp=received.headers["X-Helpdesk-Timestamp"],
            body=received.body,
            signature_header=received.headers["X-Helpdesk-Signature"],
        )
        body = received.json
        assert received.headers["X-Helpdesk-Event"] == body["event"]
        assert received.headers["X-Helpdesk-Delivery"] == body["id"]
        assert received.headers["Content-Type"] == "application/json"
        assert received.headers["User-Agent"].startswith("Helpdesk-Webhooks/")
        assert received.path == "/hooks/helpdesk"
        assert body["ticket"]["number"] == ticket.number
        assert body["ticket"]["url"].endswith(f"/scp/tickets/{ticket.number}/")
    assert WebhookDelivery.objects.filter(status="sent", attempts=1).count() == 8


def test_the_bodies_say_what_happened(hook, receiver, karen, john, outage_topic):
    ticket = open_ticket_for(karen, outage_topic, subject="Card declined")
    services.post_reply(ticket, by=john, body="We are looking into it.", status=Status.RESOLVED)

    work_the_queue()

    by_event = {r.json["event"]: r.json for r in receiver.received}
    created, status_changed, response = (
        by_event[event] for event in ("ticket.created", "ticket.status_changed", "response.sent")
    )
    assert created["ticket"] == {
        "number": ticket.number,
        "subject": "Card declined",
        "status": "open",
        "priority": "High",
        "department": "Support",
        "assignee": None,
        "team": None,
        "url": f"http://127.0.0.1:8000/scp/tickets/{ticket.number}/",
    }
    assert created["entry"]["kind"] == "message"
    assert created["entry"]["body"] == "My card is declined at every shop."
    assert created["by"] == "Karen Taylor"
    assert status_changed["change"] == {"from": "open", "to": "resolved", "reopened": False}
    assert response["entry"]["author"] == "John Miller"
    assert response["entry"]["body"].startswith("We are looking into it.")
    assert response["ticket"]["status"] == "resolved"
    assert set(created) == {"id", "event", "occurred_at", "ticket", "entry", "by", "source"}


def test_a_webhook_hears_only_the_events_it_chose(receiver, karen, john, outage_topic):
    Webhook.objects.create(
        name="Replies only",
        url=receiver.url,
        events=[WebhookEvent.RESPONSE_SENT],
        allow_private_targets=True,
    )
    ticket = open_ticket_for(karen, outage_topic)
    services.post_reply(ticket, by=john, body="On it.")

    work_the_queue()

    assert events_of(receiver) == ["response.sent"]


def test_a_webhook_deleted_in_another_process_does_not_break_the_change(
    hook, receiver, karen, outage_topic
):
    assert active_webhooks()  # this process remembers the webhook for a few seconds...
    with connection.cursor() as cursor:  # ...when another one deletes it (no signal here)
        cursor.execute("DELETE FROM api_webhook WHERE id = %s", [hook.pk])

    ticket = open_ticket_for(karen, outage_topic)

    assert Ticket.objects.filter(pk=ticket.pk).exists()
    assert not WebhookDelivery.objects.exists()


def test_an_inactive_webhook_hears_nothing(hook, receiver, karen, outage_topic):
    hook.is_active = False
    hook.save()
    open_ticket_for(karen, outage_topic)

    work_the_queue()

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_internal_notes_are_never_delivered(hook, receiver, karen, john, outage_topic):
    ticket = open_ticket_for(karen, outage_topic)
    services.post_note(ticket, by=john, body="Secret: the card processor lost our key.")
    services.post_reply(ticket, by=john, body="We are on it.")

    work_the_queue()

    # The reply also gives John the unassigned ticket (Support assigns on reply).
    assert sorted(events_of(receiver)) == ["response.sent", "ticket.assigned", "ticket.created"]
    assert all(b"Secret" not in r.body for r in receiver.received)
    assert all("Secret" not in d.body for d in WebhookDelivery.objects.all())


def test_a_rolled_back_change_delivers_nothing(hook, receiver, karen, outage_topic):
    with pytest.raises(RuntimeError), transaction.atomic():
        open_ticket_for(karen, outage_topic)
        assert WebhookDelivery.objects.exists()  # recorded inside the change...
        raise RuntimeError("the change fails after its deliveries were recorded")

    work_the_queue()

    assert not WebhookDelivery.objects.exists()  # ...and gone with it
    assert not DBTaskResult.objects.filter(task_path__startswith=SEND_TASK).exists()
    assert receiver.received == []


def test_while_the_receiver_is_down_it_retries_and_delivers_once_when_back(
    hook, receiver, quick_retries, karen, outage_topic
):
    open_ticket_for(karen, outage_topic)
    receiver.stop()

    work_the_queue()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.FAILED, 1)
    assert "Could not reach the receiver" in delivery.last_error
    assert delivery.response_code is None
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=50)

    receiver.start()
    work_the_queue()  # not due yet: nothing is sent early
    assert receiver.received == []

    time_passes()
    work_the_queue()
    time_passes()
    work_the_queue()

    [received] = receiver.received
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert delivery.response_code == 200
    assert received.json["id"] == str(delivery.delivery_id)


def test_a_receiver_that_keeps_failing_is_given_up_after_the_last_retry(
    hook, receiver, quick_retries, karen, outage_topic
):
    receiver.status = 503
    open_ticket_for(karen, outage_topic)

    for _ in range(5):
        work_the_queue()
        time_passes()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.GIVEN_UP
    assert delivery.attempts == 3  # the first try and two retries
    assert delivery.response_code == 503
    assert delivery.last_error.startswith("Answered 503 Service Unavailable")
    assert len(receiver.received) == 3
    assert len({r.json["id"] for r in receiver.received}) == 1  # the same delivery each time


def test_a_delivery_is_signed_at_the_time_it_is_sent(hook, receiver):
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event="ping", body=json.dumps({"id": "x"}), next_attempt_at=timezone.now()
    )

    assert send_delivery.call(delivery.pk) == "sent"
    [received] = receiver.received
    assert abs(int(received.headers["X-Helpdesk-Timestamp"]) - timezone.now().timestamp()) < 5


def test_a_change_costs_the_same_queries_however_many_webhooks_want_it(
    receiver, karen, john, outage_topic
):
    ticket = open_ticket_for(karen, outage_topic)

    def reply_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            services.post_reply(ticket, by=john, body="On it.")
        return len(captured.captured_queries)

    reply_queries()  # as a worker that has served before
    without = reply_queries()
    for n in range(4):
        Webhook.objects.create(
            name=f"Hook {n}",
            url=receiver.url,
            events=[WebhookEvent.RESPONSE_SENT],
            allow_private_targets=True,
        )
    reply_queries()
    with_four = reply_queries()

    # Which of them are still active (1); the response's files, for the body (1); the four
    # deliveries in one insert (1), and their one sending task (1).
    assert with_four - without == 4
    assert WebhookDelivery.objects.count() == 8


def test_a_delivery_dropped_by_a_worker_that_died_is_sent_by_the_safety_net(
    hook, receiver, karen, outage_topic
):
    open_ticket_for(karen, outage_topic)
    # A worker claimed it eleven minutes ago and died before it answered.
    WebhookDelivery.objects.update(
        status=WebhookDelivery.Status.SENDING,
        attempts=1,
        last_attempt_at=timezone.now() - timedelta(minutes=11),
    )
    DBTaskResult.objects.all().delete()

    assert requeue_stalled() == 1
    assert requeue_stalled() == 0  # woken once
    work_the_queue()

    [received] = receiver.received
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert received.json["id"] == str(delivery.delivery_id)


def test_a_delivery_being_sent_now_is_left_to_its_worker(hook, karen, outage_topic):
    open_ticket_for(karen, outage_topic)
    WebhookDelivery.objects.update(
        status=WebhookDelivery.Status.SENDING, attempts=1, last_attempt_at=timezone.now()
    )

    assert requeue_stalled() == 0
