"""An access link expires after ACCESS_LINK_MAX_AGE_DAYS; its person can have a fresh one
mailed to their address on file, a few times an hour at most."""

import re
import time
import uuid
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpdesk.mail.models import OutgoingMail
from tests import factories
from tests.links import opened_by
from tests.worker import send_queued_mail
from tickets.access import TicketAccess, masked_email, ticket_access_token
from tickets.models import Collaborator
from tickets.status import Status

DAY = 24 * 3600
EXPIRED = "This link has expired"
TOO_MANY = "We have already sent you several links in the last hour."


@pytest.fixture(autouse=True)
def _thirty_days(settings):
    settings.HELPDESK_ACCESS_LINK_MAX_AGE_DAYS = 30


@pytest.fixture
def old_token(monkeypatch):
    """A token made `days` ago, as it sits in an old email."""

    def make(ticket, user=None, *, days=31):
        made_at = signing.b62_encode(int(time.time()) - days * DAY)
        with monkeypatch.context() as then:
            then.setattr(signing.TimestampSigner, "timestamp", lambda self: made_at)
            return ticket_access_token(ticket, user)

    return make


def link(name, token, **kwargs):
    return reverse(f"portal:{name}", kwargs={"token": token, **kwargs})


def fresh_link_from(message) -> str:
    return re.search(r"http://[^/\s]+(/tickets/view/[^/\s]+/)", message.body).group(1)


def test_a_link_opens_the_ticket_within_its_max_age(client, karens_ticket, old_token):
    response = client.get(link("ticket", old_token(karens_ticket, days=29)))

    assert response.status_code == 200
    assert "Entire mobile online banking is down" in response.content.decode()


def test_an_expired_link_shows_the_expired_page_instead_of_the_ticket(
    client, karens_ticket, old_token
):
    response = client.get(link("ticket", old_token(karens_ticket)))

    assert response.status_code == 200
    page = response.content.decode()
    assert EXPIRED in page
    assert "Email me a fresh link" in page
    assert "Support Center" in page  # the portal's layout
    assert "Entire mobile online banking is down" not in page
    assert "The app shows an error for everyone." not in page


def test_an_expired_link_neither_replies_nor_resolves_nor_downloads(
    client, karens_ticket, old_token
):
    token = old_token(karens_ticket)
    attachment = factories.AttachmentFactory(entry=karens_ticket.thread.first())

    replied = client.post(
        link("post-reply", token), {"body": "Hello?", "submission_key": str(uuid.uuid4())}
    )
    resolved = client.post(link("resolve", token))
    downloaded = client.get(link("attachment", token, pk=attachment.pk))

    for response in (replied, resolved, downloaded):
        assert EXPIRED in response.content.decode()
    karens_ticket.refresh_from_db()
    assert karens_ticket.thread.count() == 1
    assert karens_ticket.status == Status.OPEN


def test_the_button_mails_a_fresh_link_to_the_address_on_file(client, karens_ticket, old_token):
    response = client.post(
        link("fresh-link", old_token(karens_ticket)), {"email": "mallory@example.net"}
    )

    assert response.status_code == 200
    assert "We have sent a fresh link to k•••@example.com" in response.content.decode()
    queued = OutgoingMail.objects.get()
    assert queued.notice == "ticket.access_link"
    assert queued.to == ["karen@example.com"]
    send_queued_mail()
    (message,) = mail.outbox
    assert message.to == ["karen@example.com"]
    page = client.get(fresh_link_from(message))
    assert page.status_code == 200
    assert "Entire mobile online banking is down" in page.content.decode()


def test_a_collaborator_gets_their_own_fresh_link(client, karens_ticket, ken, old_token):
    Collaborator.objects.create(ticket=karens_ticket, user=ken)

    response = client.post(link("fresh-link", old_token(karens_ticket, ken)))
    send_queued_mail()

    assert "We have sent a fresh link to k•••@example.com" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["ken@example.com"]
    assert opened_by(fresh_link_from(message)) == TicketAccess(karens_ticket, ken)


def test_fresh_links_stop_after_three_in_an_hour(client, karens_ticket, old_token):
    url = link("fresh-link", old_token(karens_ticket))
    for _ in range(3):
        assert "We have sent a fresh link" in client.post(url).content.decode()

    refused = client.post(url).content.decode()

    assert TOO_MANY in refused
    assert "We have sent a fresh link" not in refused
    assert OutgoingMail.objects.count() == 3


def test_fresh_links_can_be_asked_for_again_an_hour_later(client, karens_ticket, old_token):
    url = link("fresh-link", old_token(karens_ticket))
    for _ in range(3):
        client.post(url)
    OutgoingMail.objects.update(created_at=timezone.now() - timedelta(minutes=61))

    response = client.post(url)

    assert "We have sent a fresh link" in response.content.decode()
    assert OutgoingMail.objects.count() == 4


def test_the_limit_is_per_person(client, karens_ticket, ken, old_token):
    Collaborator.objects.create(ticket=karens_ticket, user=ken)
    for _ in range(3):
        client.post(link("fresh-link", old_token(karens_ticket)))

    response = client.post(link("fresh-link", old_token(karens_ticket, ken)))

    assert "We have sent a fresh link" in response.content.decode()
    assert [m.to for m in OutgoingMail.objects.filter(tag=f"access-link:{ken.pk}")] == [
        ["ken@example.com"]
    ]


def test_nothing_is_sent_to_an_address_that_bounces(client, karens_ticket, karen, old_token):
    karen.email_bounced_at = timezone.now()
    karen.save()

    response = client.post(link("fresh-link", old_token(karens_ticket)))

    assert "We cannot send mail to the address we have for you." in response.content.decode()
    assert not OutgoingMail.objects.exists()


def test_the_fresh_link_button_needs_a_post(client, karens_ticket, old_token):
    assert client.get(link("fresh-link", old_token(karens_ticket))).status_code == 405
    assert not OutgoingMail.objects.exists()


def test_the_fresh_link_button_needs_the_pages_csrf_token(karens_ticket, old_token):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(link("fresh-link", old_token(karens_ticket)))

    assert response.status_code == 403
    assert not OutgoingMail.objects.exists()


def test_a_tampered_link_gets_no_fresh_link(client, karens_ticket, old_token):
    token = old_token(karens_ticket)

    response = client.post(link("fresh-link", token[:-3] + "AAA"))

    assert response.status_code == 404
    assert not OutgoingMail.objects.exists()


def test_an_expired_link_of_a_removed_collaborator_opens_nothing(
    client, karens_ticket, ken, old_token
):
    collaboration = Collaborator.objects.create(ticket=karens_ticket, user=ken)
    token = old_token(karens_ticket, ken)
    collaboration.delete()

    assert client.get(link("ticket", token)).status_code == 404
    assert client.post(link("fresh-link", token)).status_code == 404
    assert not OutgoingMail.objects.exists()


def test_links_never_expire_with_a_max_age_of_zero(client, karens_ticket, old_token, settings):
    settings.HELPDESK_ACCESS_LINK_MAX_AGE_DAYS = 0

    response = client.get(link("ticket", old_token(karens_ticket, days=3650)))

    assert "Entire mobile online banking is down" in response.content.decode()


def test_a_link_mailed_before_links_carried_their_time_counts_as_expired(
    client, karens_ticket, settings
):
    untimed = signing.Signer(salt="tickets.portal-access").sign_object(
        [karens_ticket.number, karens_ticket.requester_id]
    )

    assert EXPIRED in client.get(link("ticket", untimed)).content.decode()
    settings.HELPDESK_ACCESS_LINK_MAX_AGE_DAYS = 0
    assert "Entire mobile online banking" in client.get(link("ticket", untimed)).content.decode()


def test_the_address_shown_keeps_only_the_first_letter_of_its_local_part():
    assert masked_email("karen.taylor@example.com") == "k•••@example.com"
    assert masked_email("k@example.com") == "k•••@example.com"
