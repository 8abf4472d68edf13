"""The disk fills up while an attachment is saved: the person is told plainly, with what
they typed still in the form; no ticket or entry is half-stored and no file is left without
its row; mail keeps its raw message to be processed again once there is room.

The disk is a real tmpfs of 256 KiB when the tests may mount one (tests/faults/disks.py).
"""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests.faults.disks import TinyDisk
from tickets.inbound import intake
from tickets.models import Attachment, InboundMail, PendingUpload, ThreadEntry, Ticket

ROOM = 256 * 1024
NOT_SAVED = "could not be saved: the helpdesk has no room for files just now"


@pytest.fixture
def disk(settings):
    tiny = TinyDisk(settings, ROOM)
    yield tiny
    tiny.remove()


def small(name="notes.txt"):
    return SimpleUploadedFile(name, b"The error started at 09:14.\n" * 100)  # 2.7 KB


def too_big(name="trace.log"):
    return SimpleUploadedFile(name, b"x" * (300 * 1024))


def test_the_portal_form_says_the_file_was_not_saved_and_keeps_what_was_typed(
    client, db, disk, outage_topic
):
    response = client.post(
        reverse("portal:open-ticket"),
        {
            "email": "karen@example.com",
            "full_name": "Karen Taylor",
            "help_topic": outage_topic.pk,
            "subject": "Card reader broken",
            "body": "The card reader at till 3 shows E42.",
            "submission_key": str(uuid.uuid4()),
            # The first file fits, the second fills the disk.
            "attachments": [small(), too_big()],
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert f"The file trace.log {NOT_SAVED}" in page
    assert "Card reader broken" in page  # what was typed is still there
    assert "The card reader at till 3 shows E42." in page
    assert not Ticket.objects.exists()
    assert not ThreadEntry.objects.exists()
    # The file that fitted went with the refused ticket, or is kept for the next
    # submission (and listed on the form); the one that did not fit left nothing behind.
    kept = list(PendingUpload.objects.all())
    assert disk.files() == sorted(p.file.name for p in kept)
    assert [p.filename for p in kept] == ["notes.txt"]
    assert "trace.log could not be kept for you" in page


def test_a_staff_reply_with_a_file_too_big_for_the_disk_is_not_half_stored(
    client, john, karens_ticket, disk
):
    client.force_login(john.user)
    entries = karens_ticket.thread.count()
    url = reverse("staff:ticket-reply", kwargs={"number": karens_ticket.number})

    response = client.post(
        url,
        {
            "reply-body": "Here is the fixed configuration.",
            "reply-revision": karens_ticket.revision,
            "reply-attachments": [small("config.txt"), too_big("dump.log")],
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert f"The file dump.log {NOT_SAVED}" in page
    assert "Here is the fixed configuration." in page
    assert karens_ticket.thread.count() == entries
    assert not Attachment.objects.exists()
    assert disk.files() == sorted(p.file.name for p in PendingUpload.objects.all())


def mail_with_attachment(size: int) -> bytes:
    import base64

    data = base64.encodebytes(b"y" * size)
    return (
        b"From: Maria Lopez <maria.lopez@example.com>\r\n"
        b"To: help@helpdesk.example\r\n"
        b"Subject: Scanner log attached\r\n"
        b"Message-ID: <scanner-1@example.com>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nThe scanner log is attached.\r\n"
        b'--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename="scan.log"'
        b"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + data + b"--b--\r\n"
    )


def test_mail_whose_attachment_does_not_fit_is_kept_and_processed_once_there_is_room(
    db, disk, settings, outage_topic
):
    settings.HELPDESK_EMAIL_HELP_TOPIC = outage_topic.name
    raw = mail_with_attachment(120 * 1024)  # the raw (~165 KiB) fits; its file does not

    record = intake.receive(raw, source=InboundMail.Source.PIPE)

    assert record.status == InboundMail.Status.FAILED
    assert "could not be stored" in record.outcome
    assert not Ticket.objects.exists()
    assert disk.files() == [record.raw.name]  # the raw message alone, whole
    with record.raw.open("rb") as stored:
        assert stored.read() == raw

    disk.grow(4 * ROOM)
    intake.process_again(InboundMail.objects.get(pk=record.pk))

    ticket = Ticket.objects.get()
    [attachment] = Attachment.objects.filter(entry__ticket=ticket)
    assert (attachment.filename, attachment.size) == ("scan.log", 120 * 1024)
    assert InboundMail.objects.get().status == InboundMail.Status.IMPORTED


def test_piped_mail_that_does_not_fit_at_all_asks_the_mail_server_to_try_again(
    db, disk, monkeypatch, capsys
):
    import io
    import sys

    raw = mail_with_attachment(400 * 1024)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))

    with pytest.raises(SystemExit) as exit:
        call_command("ingest_email")

    assert exit.value.code == 75  # EX_TEMPFAIL: the mail server keeps it and tries later
    assert "try again later" in capsys.readouterr().err
    assert not InboundMail.objects.exists()
    assert disk.files() == []  # not even a partial raw message
