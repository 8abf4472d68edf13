"""Files sent with a refused form are kept, so the person never has to choose them again."""

import re
import uuid
from datetime import timedelta
from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tickets import uploads
from tickets.access import ticket_access_token
from tickets.models import Attachment, PendingUpload, Ticket

URL = reverse("portal:open-ticket")


def form_data(topic, **overrides):
    return {
        "email": "karen@example.com",
        "full_name": "Karen Taylor",
        "help_topic": topic.pk,
        "subject": "Printer on fire",
        "body": "See the photo.",
        "submission_key": str(uuid.uuid4()),
        **overrides,
    }


def kept_token(response):
    return re.search(r'name="kept_uploads" value="([^"]*)"', response.content.decode()).group(1)


def test_a_good_file_sent_with_a_bad_field_is_kept_and_offered_back(client, outage_topic):
    data = form_data(outage_topic, email="karen@")
    data["attachments"] = [SimpleUploadedFile("photo.png", b"\x89PNG fire")]

    response = client.post(URL, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Already attached" in page
    assert "Remove photo.png" in page
    assert PendingUpload.objects.get().filename == "photo.png"


def test_the_kept_file_is_attached_when_the_corrected_form_is_sent(client, outage_topic):
    data = form_data(outage_topic, email="karen@")
    data["attachments"] = [SimpleUploadedFile("photo.png", b"\x89PNG fire")]
    refused = client.post(URL, data)

    corrected = form_data(
        outage_topic, submission_key=data["submission_key"], kept_uploads=kept_token(refused)
    )
    client.post(URL, corrected)

    attachment = Ticket.objects.get().thread.get().attachments.get()
    assert attachment.filename == "photo.png"
    assert attachment.file.read() == b"\x89PNG fire"
    assert not PendingUpload.objects.exists()


def test_a_refused_file_is_not_kept_but_its_good_neighbour_is(client, outage_topic):
    data = form_data(outage_topic)
    data["attachments"] = [
        SimpleUploadedFile("virus.exe", b"MZ"),
        SimpleUploadedFile("log.txt", b"trace"),
    ]

    response = client.post(URL, data)

    assert [p.filename for p in PendingUpload.objects.all()] == ["log.txt"]
    assert "virus.exe: .exe files are not accepted" in response.content.decode()
    assert "Remove log.txt" in response.content.decode()


def test_a_kept_file_can_be_removed_before_sending(client, outage_topic):
    data = form_data(outage_topic, email="karen@")
    data["attachments"] = [SimpleUploadedFile("a.txt", b"a"), SimpleUploadedFile("b.txt", b"b")]
    refused = client.post(URL, data)
    drop = PendingUpload.objects.get(filename="a.txt")

    corrected = form_data(
        outage_topic, kept_uploads=kept_token(refused), drop_upload=[str(drop.pk)]
    )
    client.post(URL, corrected)

    names = list(Attachment.objects.values_list("filename", flat=True))
    assert names == ["b.txt"]


def test_kept_files_count_towards_the_limit(client, outage_topic, settings):
    settings.HELPDESK_MAX_ATTACHMENTS = 2
    data = form_data(outage_topic, email="karen@")
    data["attachments"] = [SimpleUploadedFile("a.txt", b"a"), SimpleUploadedFile("b.txt", b"b")]
    refused = client.post(URL, data)

    again = form_data(outage_topic, kept_uploads=kept_token(refused))
    again["attachments"] = [SimpleUploadedFile("c.txt", b"c")]
    response = client.post(URL, again)

    assert Ticket.objects.count() == 0
    assert "with the 2 already attached you chose 3" in response.content.decode()


def test_a_forged_kept_token_attaches_nothing(client, outage_topic):
    someone_elses = uploads.stash(SimpleUploadedFile("secret.pdf", b"%PDF"))
    forged = f'["{someone_elses.pk}"]:forged'

    client.post(URL, form_data(outage_topic, kept_uploads=forged))

    assert Ticket.objects.get().thread.get().attachments.count() == 0
    assert PendingUpload.objects.filter(pk=someone_elses.pk).exists()


def test_a_refused_reply_keeps_its_files_too(client, karens_ticket):
    url = reverse("portal:post-reply", kwargs={"token": ticket_access_token(karens_ticket)})
    data = {"body": "", "submission_key": str(uuid.uuid4())}
    data["attachments"] = [SimpleUploadedFile("screen.png", b"\x89PNG")]
    refused = client.post(url, data)
    assert "Remove screen.png" in refused.content.decode()

    client.post(
        url, {**data, "body": "Here it is.", "attachments": [], "kept_uploads": kept_token(refused)}
    )

    entry = karens_ticket.thread.last()
    assert entry.body == "Here it is."
    assert list(entry.attachments.values_list("filename", flat=True)) == ["screen.png"]


def test_abandoned_kept_files_are_purged_with_their_data(db):
    old = uploads.stash(SimpleUploadedFile("old.txt", b"old"))
    fresh = uploads.stash(SimpleUploadedFile("fresh.txt", b"fresh"))
    PendingUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=4))
    storage, old_name = old.file.storage, old.file.name

    out = StringIO()
    call_command("purge_pending_uploads", stdout=out)

    assert "Deleted 1 abandoned upload(s)." in out.getvalue()
    assert list(PendingUpload.objects.all()) == [fresh]
    assert not storage.exists(old_name)
    assert storage.exists(fresh.file.name)
