"""The seeds' loop by mail, end to end: a web ticket; its auto-response reaches a real SMTP
server with the ticket's link, which opens it; the user's emailed reply (answering that
message) lands on the ticket; the agent's response goes back by mail, threaded."""

import io
import re
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.worker import work_the_queue
from tickets.models import InboundMail, ThreadEntry, Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def text_of(received) -> str:
    return received.message.get_body(preferencelist=("plain",)).get_content()


def pipe(raw: bytes, monkeypatch, capsys) -> str:
    """`manage.py ingest_email < message`, as a mail server's pipe runs it."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    call_command("ingest_email")
    return capsys.readouterr().out


def reply_to(received, body: str) -> bytes:
    """Karen's mail client answering a message: quoting it under "On ... wrote:"."""
    quoted = "\r\n".join("> " + line for line in text_of(received).splitlines())
    return (
        "From: Karen Taylor <karen@example.com>\r\n"
        "To: Helpdesk <help@helpdesk.example>\r\n"
        f"Subject: Re: {received.message['Subject']}\r\n"
        "Message-ID: <karen-reply-1@mail.example.com>\r\n"
        f"In-Reply-To: {received.message['Message-ID']}\r\n"
        f"References: {received.message['References']} {received.message['Message-ID']}\r\n"
        "Date: Wed, 02 Dec 2026 10:00:00 +0100\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"{body}\r\n\r\nOn Wed, 2 Dec 2026 at 09:00, Helpdesk wrote:\r\n{quoted}\r\n"
    ).encode()


def test_web_ticket_mail_reply_and_response_make_one_threaded_conversation(
    client, smtp_mailer, settings, karen, outage_topic, john, monkeypatch, capsys
):
    settings.HELPDESK_BASE_URL = "http://testserver"
    client.post(
        reverse("portal:open-ticket"),
        {
            "email": "karen@example.com",
            "full_name": "Karen Taylor",
            "help_topic": outage_topic.pk,
            "subject": "Card declined",
            "body": "My card is declined at every shop.",
        },
    )
    ticket = Ticket.objects.get()

    # The auto-response arrives, with the ticket's link, and the link opens the ticket.
    work_the_queue()
    [autoresponse] = [m for m in smtp_mailer.wait_for(2) if m.recipients == ("karen@example.com",)]
    assert autoresponse.message["Subject"].startswith(f"[#{ticket.number}] ")
    link = re.search(r"http://testserver(/tickets/view/\S+/)", text_of(autoresponse))
    page = client.get(link.group(1))
    assert page.status_code == 200
    assert "My card is declined at every shop." in page.content.decode()

    # Karen answers that mail: her reply lands on the ticket, without the quoted history.
    outcome = pipe(
        reply_to(autoresponse, "It happens with my other card too."), monkeypatch, capsys
    )
    assert f"Imported: Reply from the requester (ticket #{ticket.number})" in outcome
    message = ticket.thread.filter(kind=ThreadEntry.Kind.MESSAGE).order_by("-pk").first()
    assert message.body == "It happens with my other card too."
    assert message.message_id == "karen-reply-1@mail.example.com"
    assert InboundMail.objects.get().entry == message

    # John's response goes back by mail, threaded under Karen's reply.
    client.force_login(john.user)
    ticket.refresh_from_db()
    client.post(
        reverse("staff:ticket-reply", args=[ticket.number]),
        {"reply-body": "Both cards are unblocked now.", "reply-revision": ticket.revision},
    )
    smtp_mailer.clear()
    work_the_queue()
    [response] = [m for m in smtp_mailer.wait_for(1) if m.recipients == ("karen@example.com",)]
    assert "Both cards are unblocked now." in text_of(response)
    assert response.message["In-Reply-To"] == "<karen-reply-1@mail.example.com>"
    assert f"<ticket-{ticket.number}@helpdesk.example>" in response.message["References"]
    assert response.message["Subject"] == f"[#{ticket.number}] Card declined"
    assert text_of(response).startswith("-- Reply above this line --")


def test_piping_the_same_message_twice_says_so_and_makes_one_ticket(
    karen, outage_topic, settings, monkeypatch, capsys
):
    settings.HELPDESK_EMAIL_HELP_TOPIC = outage_topic.name
    raw = (
        b"From: Karen Taylor <karen@example.com>\r\nTo: help@helpdesk.example\r\n"
        b"Subject: Card declined\r\nMessage-ID: <twice@mail.example.com>\r\n\r\nDeclined.\r\n"
    )

    first = pipe(raw, monkeypatch, capsys)
    again = pipe(raw, monkeypatch, capsys)

    number = Ticket.objects.get().number
    assert first.strip() == f"Imported: New ticket (ticket #{number})"
    assert again.startswith("Received before, as incoming mail ")
    assert again.strip().endswith(f"(ticket #{number})")
