"""Mail leaves through a transactional outbox: recorded with the change that causes it, sent
by the worker to a real SMTP server, retried when the server is down or says "later", never
sent for a change that was rolled back."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from helpdesk.mail.models import OutgoingMail
from tests.worker import work_the_queue
from tickets import services
from tickets.inbound.intake import receive
from tickets.models import InboundMail

pytestmark = pytest.mark.django_db(transaction=True)

SEND_TASK = "helpdesk.mail.outbox.send_outgoing_mail"


@pytest.fixture
def quick_retries(settings):
    settings.HELPDESK_MAIL_RETRY_SECONDS = [60, 300]


def open_ticket_for(karen, topic):
    ticket, _ = services.open_ticket(
        email=karen.email,
        full_name=karen.full_name,
        help_topic=topic,
        subject="Card declined",
        body="My card is declined at every shop.",
    )
    return ticket


def time_passes():
    """Every waiting retry falls due (the queue's clock moved, not ours)."""
    past = timezone.now() - timedelta(seconds=1)
    OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).update(next_attempt_at=past)
    DBTaskResult.objects.filter(status="READY").update(run_after=past)


def test_a_committed_change_is_sent_once_by_the_worker(smtp_mailer, karen, outage_topic):
    ticket = open_ticket_for(karen, outage_topic)
    assert smtp_mailer.messages == []  # nothing leaves before the worker runs

    work_the_queue()
    work_the_queue()

    [received] = smtp_mailer.wait_for(1)
    assert received.recipients == ("karen@example.com",)
    assert f"[#{ticket.number}]" in received.message["Subject"]
    mail = OutgoingMail.objects.get(notice="ticket.autoresponse")
    assert (mail.status, mail.attempts) == (OutgoingMail.Status.SENT, 1)
    assert received.message["Message-ID"] == f"<{mail.message_id}>"


def test_a_rolled_back_change_sends_nothing(smtp_mailer, karen, outage_topic):
    with pytest.raises(RuntimeError), transaction.atomic():
        open_ticket_for(karen, outage_topic)
        assert OutgoingMail.objects.exists()  # recorded inside the change...
        raise RuntimeError("the change fails after the mail was queued")

    work_the_queue()

    assert not OutgoingMail.objects.exists()  # ...and gone with it
    assert not DBTaskResult.objects.filter(task_path__startswith=SEND_TASK).exists()
    assert smtp_mailer.messages == []


def test_while_the_server_is_down_it_retries_and_sends_when_it_is_back(
    smtp_mailer, quick_retries, karen, outage_topic
):
    open_ticket_for(karen, outage_topic)
    smtp_mailer.stop()

    work_the_queue()

    mail = OutgoingMail.objects.get(notice="ticket.autoresponse")
    assert mail.status == OutgoingMail.Status.QUEUED
    assert mail.attempts == 1
    assert "Could not reach the mail server" in mail.last_error
    assert mail.next_attempt_at > timezone.now() + timedelta(seconds=50)

    smtp_mailer.start()
    time_passes()
    work_the_queue()

    [received] = smtp_mailer.wait_for(1)
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.last_error) == (OutgoingMail.Status.SENT, 2, "")
    assert received.message["Message-ID"] == f"<{mail.message_id}>"


def test_a_server_that_keeps_saying_later_is_given_up_after_the_last_retry(
    smtp_mailer, quick_retries, karen, outage_topic
):
    open_ticket_for(karen, outage_topic)
    smtp_mailer.refuse(451, "4.3.0 Mailbox busy, try again later")

    for _ in range(5):
        work_the_queue()
        time_passes()

    mail = OutgoingMail.objects.get(notice="ticket.autoresponse")
    assert mail.status == OutgoingMail.Status.FAILED
    assert mail.attempts == 3  # the first try and two retries
    assert "451 4.3.0 Mailbox busy, try again later" in mail.last_error
    assert smtp_mailer.messages == []


def test_a_permanent_refusal_is_given_up_at_once_with_the_servers_answer(
    smtp_mailer, karen, outage_topic
):
    open_ticket_for(karen, outage_topic)
    smtp_mailer.refuse(550, "5.1.1 No such user here")

    work_the_queue()

    mail = OutgoingMail.objects.get(notice="ticket.autoresponse")
    assert (mail.status, mail.attempts) == (OutgoingMail.Status.FAILED, 1)
    assert "550 5.1.1 No such user here" in mail.last_error


def test_an_administrator_sends_a_failed_message_again(
    smtp_mailer, client, karen, outage_topic, admin_agent
):
    open_ticket_for(karen, outage_topic)
    smtp_mailer.refuse(550, "5.7.1 Relaying denied")
    work_the_queue()
    mail = OutgoingMail.objects.get(notice="ticket.autoresponse")
    client.force_login(admin_agent.user)

    page = client.get(reverse("admin-panel:outgoing-mail-detail", args=[mail.pk]))
    assert "550 5.7.1 Relaying denied" in page.content.decode()
    smtp_mailer.accept()
    client.post(reverse("admin-panel:outgoing-mail-retry", args=[mail.pk]))
    work_the_queue()

    smtp_mailer.wait_for(1)
    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.SENT
    client.post(reverse("admin-panel:outgoing-mail-retry", args=[mail.pk]))
    work_the_queue()
    assert len(smtp_mailer.messages) == 1  # a sent message is never sent twice


def test_the_notices_of_one_received_message_share_one_sending_task(
    smtp_mailer, settings, support, outage_topic, john
):
    settings.HELPDESK_EMAIL_HELP_TOPIC = outage_topic.name
    raw = (
        b"From: Maria Lopez <maria.lopez@example.com>\r\n"
        b"To: help@helpdesk.example\r\n"
        b"Subject: Printer jams\r\n"
        b"Message-ID: <printer-1@example.com>\r\n\r\n"
        b"It jams on every page.\r\n"
    )

    receive(raw, source=InboundMail.Source.PIPE)
    [task] = DBTaskResult.objects.filter(task_path__startswith=SEND_TASK)
    work_the_queue()

    assert task.task_path == SEND_TASK + "s"  # one task for the auto-response and the alert
    received = smtp_mailer.wait_for(2)
    assert sorted(m.recipients[0] for m in received) == [
        "john@example.com",
        "maria.lopez@example.com",
    ]
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).count() == 2
