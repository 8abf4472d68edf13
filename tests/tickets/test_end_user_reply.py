"""An end user's "Post Reply" from the portal, and what it does to the ticket's status."""

import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tickets.access import ticket_access_token, ticket_access_url
from tickets.models import Event, ThreadEntry
from tickets.status import Status


def reply_url(ticket):
    return reverse("portal:post-reply", kwargs={"token": ticket_access_token(ticket)})


def reply(client, ticket, body="Still broken this morning.", **extra):
    data = {"body": body, "submission_key": str(uuid.uuid4()), **extra}
    return client.post(reply_url(ticket), data)


def test_a_reply_adds_a_message_from_the_requester(client, karens_ticket):
    response = reply(client, karens_ticket)

    assert response.status_code == 302
    # Back to the page of the link the reply was posted through.
    assert response["Location"] == response.request["PATH_INFO"].removesuffix("reply/")
    entry = karens_ticket.thread.last()
    assert entry.kind == ThreadEntry.Kind.MESSAGE
    assert entry.body == "Still broken this morning."
    assert entry.author == karens_ticket.requester
    page = client.get(response["Location"]).content.decode()
    assert "Your reply was posted." in page
    assert "Still broken this morning." in page


def test_a_reply_marks_the_ticket_unanswered_and_moves_its_last_update(client, karens_ticket):
    karens_ticket.is_answered = True
    karens_ticket.save()
    before = karens_ticket.updated_at

    reply(client, karens_ticket)

    karens_ticket.refresh_from_db()
    assert karens_ticket.is_answered is False
    assert karens_ticket.updated_at > before


def test_a_reply_can_carry_attachments(client, karens_ticket):
    files = [SimpleUploadedFile("trace.log", b"error 42"), SimpleUploadedFile("a.pdf", b"%PDF")]

    reply(client, karens_ticket, attachments=files)

    entry = karens_ticket.thread.last()
    assert sorted(entry.attachments.values_list("filename", flat=True)) == ["a.pdf", "trace.log"]


def test_an_empty_reply_is_refused_beside_the_box(client, karens_ticket):
    response = reply(client, karens_ticket, body="   ")

    assert response.status_code == 200
    assert response.context["form"].errors["body"] == ["This field is required."]
    assert karens_ticket.thread.count() == 1


def test_a_refused_attachment_keeps_the_typed_reply(client, karens_ticket):
    response = reply(
        client,
        karens_ticket,
        body="Here is the installer they sent me.",
        attachments=[SimpleUploadedFile("installer.exe", b"MZ")],
    )

    assert response.status_code == 200
    assert "installer.exe: .exe files are not accepted" in response.content.decode()
    assert "Here is the installer they sent me." in response.content.decode()
    assert karens_ticket.thread.count() == 1


def test_the_same_reply_sent_twice_is_posted_once(client, karens_ticket):
    data = {"body": "Double click!", "submission_key": str(uuid.uuid4())}

    client.post(reply_url(karens_ticket), data)
    client.post(reply_url(karens_ticket), data)

    assert karens_ticket.thread.filter(body="Double click!").count() == 1


def test_a_reply_while_awaiting_the_user_puts_the_ticket_back_to_open(client, karens_ticket):
    karens_ticket.status = Status.AWAITING_USER
    karens_ticket.save()

    reply(client, karens_ticket)

    karens_ticket.refresh_from_db()
    assert karens_ticket.status == Status.OPEN
    event = karens_ticket.events.get(kind=Event.Kind.STATUS_CHANGED)
    assert event.data == {"from": "awaiting_user", "to": "open"}
    assert event.actor == karens_ticket.requester


def test_a_reply_to_an_open_ticket_records_no_status_event(client, karens_ticket):
    reply(client, karens_ticket)

    karens_ticket.refresh_from_db()
    assert karens_ticket.status == Status.OPEN
    assert not karens_ticket.events.exists()


@pytest.mark.parametrize("closed_status", [Status.RESOLVED, Status.CLOSED])
def test_a_reply_to_a_resolved_or_closed_ticket_reopens_it(client, karens_ticket, closed_status):
    karens_ticket.status = closed_status
    karens_ticket.resolved_at = timezone.now() - timedelta(days=2)
    karens_ticket.closed_at = timezone.now() - timedelta(days=1)
    karens_ticket.save()

    reply(client, karens_ticket, body="It happened again.")

    karens_ticket.refresh_from_db()
    assert karens_ticket.status == Status.OPEN
    assert karens_ticket.resolved_at is None
    assert karens_ticket.closed_at is None
    event = karens_ticket.events.get(kind=Event.Kind.REOPENED)
    assert event.actor == karens_ticket.requester
    assert event.data == {"from": closed_status.value}
    assert karens_ticket.thread.last().body == "It happened again."


def test_a_reply_after_the_reopen_window_is_refused_and_kept(client, karens_ticket, settings):
    settings.HELPDESK_REOPEN_WINDOW_DAYS = 7
    karens_ticket.status = Status.CLOSED
    karens_ticket.closed_at = timezone.now() - timedelta(days=8)
    karens_ticket.save()

    response = reply(client, karens_ticket, body="Is this still the right place?")

    assert response.status_code == 200
    page = response.content.decode()
    assert "closed too long ago to be reopened" in page
    assert "Is this still the right place?" in page
    karens_ticket.refresh_from_db()
    assert karens_ticket.status == Status.CLOSED
    assert karens_ticket.thread.count() == 1


def test_a_reply_through_a_tampered_link_is_refused(client, karens_ticket):
    token = ticket_access_token(karens_ticket) + "x"

    response = client.post(
        reverse("portal:post-reply", kwargs={"token": token}),
        {"body": "hello", "submission_key": str(uuid.uuid4())},
    )

    assert response.status_code == 404
    assert karens_ticket.thread.count() == 1


def test_replying_needs_a_post(client, karens_ticket):
    assert client.get(reply_url(karens_ticket)).status_code == 405


def resolve_url(ticket):
    return reverse("portal:resolve", kwargs={"token": ticket_access_token(ticket)})


def test_an_end_user_marks_their_ticket_resolved_from_the_portal(client, karens_ticket):
    page = client.get(ticket_access_url(karens_ticket)).content.decode()
    assert "Mark as Resolved" in page

    response = client.post(resolve_url(karens_ticket), follow=True)

    karens_ticket.refresh_from_db()
    assert karens_ticket.status == Status.RESOLVED
    assert "the ticket is marked resolved" in response.content.decode()
    assert "Mark as Resolved" not in response.content.decode()
    event = karens_ticket.events.get(kind=Event.Kind.STATUS_CHANGED)
    assert event.actor == karens_ticket.requester


def test_the_resolve_button_can_be_switched_off(client, karens_ticket, settings):
    settings.HELPDESK_USERS_CAN_RESOLVE = False

    assert "Mark as Resolved" not in client.get(ticket_access_url(karens_ticket)).content.decode()
    client.post(resolve_url(karens_ticket))

    karens_ticket.refresh_from_db()
    assert karens_ticket.status == Status.OPEN


def test_the_close_command_closes_old_resolved_tickets(karens_ticket, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.HELPDESK_AUTO_CLOSE_DAYS = 1
    karens_ticket.status = Status.RESOLVED
    karens_ticket.resolved_at = timezone.now() - timedelta(days=2)
    karens_ticket.save()
    out = StringIO()

    call_command("close_resolved_tickets", stdout=out)

    karens_ticket.refresh_from_db()
    assert karens_ticket.status == Status.CLOSED
    assert "Closed 1 resolved ticket(s)." in out.getvalue()
