"""Files kept for a refused form are kept for people, within limits for attackers.

Two anonymous requests with five 9.9 MB files each once stored 100 MB in under a second,
kept for days. Now each browser session and each client address has a budget of kept bytes,
the helpdesk a total, and a file past any of them is not kept: the person is asked, beside
the field, to attach it again.
"""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tickets.models import PendingUpload, Ticket

pytestmark = pytest.mark.django_db

URL = reverse("portal:open-ticket")
ATTACH_AGAIN = "could not be kept for you"


@pytest.fixture
def small_budgets(settings):
    settings.HELPDESK_PENDING_UPLOAD_SESSION_BYTES = 300
    settings.HELPDESK_PENDING_UPLOAD_ADDRESS_BYTES = 500
    settings.HELPDESK_PENDING_UPLOAD_TOTAL_BYTES = 10_000


def refused_form(topic, names, size=100):
    return {
        "email": "not-an-address",  # refused, so the files are kept for the next try
        "full_name": "Mallory",
        "help_topic": topic.pk,
        "subject": "Fill the disk",
        "body": "x",
        "submission_key": str(uuid.uuid4()),
        "attachments": [SimpleUploadedFile(name, b"x" * size) for name in names],
    }


def five(prefix):
    return [f"{prefix}{n}.txt" for n in range(5)]


def test_a_session_keeps_files_up_to_its_budget_and_is_asked_for_the_rest(
    client, outage_topic, small_budgets
):
    response = client.post(URL, refused_form(outage_topic, five("a")))

    assert response.status_code == 200
    assert PendingUpload.objects.count() == 3
    form = response.context["form"]
    refusals = [e for e in form.errors["attachments"] if ATTACH_AGAIN in e]
    assert [e.split(" ")[0] for e in refusals] == ["a3.txt", "a4.txt"]
    assert all("Please attach it again when you send the form." in e for e in refusals)
    page = response.content.decode()
    assert page.count("a3.txt could not be kept for you") == 1
    assert "Remove a0.txt" in page
    assert "Email Address" in page and 'value="Mallory"' in page


def test_new_sessions_from_one_address_share_the_address_budget(outage_topic, small_budgets):
    first, second = Client(), Client()

    first.post(URL, refused_form(outage_topic, five("a")))
    second.post(URL, refused_form(outage_topic, five("b")))

    assert PendingUpload.objects.filter(filename__startswith="a").count() == 3
    assert PendingUpload.objects.filter(filename__startswith="b").count() == 2
    assert sum(PendingUpload.objects.values_list("size", flat=True)) == 500


def test_another_address_has_a_budget_of_its_own(outage_topic, small_budgets):
    Client().post(URL, refused_form(outage_topic, five("a")))
    Client().post(URL, refused_form(outage_topic, five("b")))

    response = Client(REMOTE_ADDR="203.0.113.9").post(URL, refused_form(outage_topic, ["c.txt"]))

    assert PendingUpload.objects.filter(client_address="203.0.113.9").count() == 1
    assert ATTACH_AGAIN not in response.content.decode()


def test_behind_a_trusted_proxy_each_client_has_a_budget_of_its_own(
    outage_topic, small_budgets, settings
):
    settings.HELPDESK_TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.1").post(
        URL, refused_form(outage_topic, five("a"))
    )
    Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.1").post(
        URL, refused_form(outage_topic, five("b"))
    )

    response = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.9").post(
        URL, refused_form(outage_topic, ["c.txt"])
    )

    assert PendingUpload.objects.filter(client_address="203.0.113.9").count() == 1
    assert ATTACH_AGAIN not in response.content.decode()


def test_past_the_total_nothing_more_is_kept_for_anyone(outage_topic, settings):
    settings.HELPDESK_PENDING_UPLOAD_TOTAL_BYTES = 250

    Client().post(URL, refused_form(outage_topic, ["a.txt", "b.txt"]))
    response = Client(REMOTE_ADDR="203.0.113.9").post(URL, refused_form(outage_topic, ["c.txt"]))

    assert PendingUpload.objects.count() == 2
    assert "too many files are waiting for forms to be sent again" in response.content.decode()


def test_a_kept_file_still_goes_through_once_the_form_is_fixed(client, outage_topic, small_budgets):
    data = refused_form(outage_topic, ["log.txt"])
    refused = client.post(URL, data)
    token = refused.context["form"].data["kept_uploads"]

    client.post(
        URL, {**data, "email": "karen@example.com", "attachments": [], "kept_uploads": token}
    )

    assert not PendingUpload.objects.exists()
    assert [a.filename for a in Ticket.objects.get().thread.get().attachments.all()] == ["log.txt"]


def test_by_default_one_person_can_keep_a_whole_form_of_the_largest_files(settings):
    whole_form = settings.HELPDESK_MAX_ATTACHMENTS * settings.HELPDESK_MAX_ATTACHMENT_BYTES

    assert whole_form <= settings.HELPDESK_PENDING_UPLOAD_SESSION_BYTES
    assert whole_form <= settings.HELPDESK_PENDING_UPLOAD_ADDRESS_BYTES
    assert 10 * whole_form <= settings.HELPDESK_PENDING_UPLOAD_TOTAL_BYTES
