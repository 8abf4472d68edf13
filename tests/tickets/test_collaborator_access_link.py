"""A collaborator's own access link: it opens the ticket as them, and only while they follow it."""

import re
import uuid

import pytest
from django.urls import reverse

from helpdesk.mail.models import OutgoingMail
from tests import factories
from tests.links import opened_by
from tickets import notifications
from tickets.access import (
    TicketAccess,
    access_from_token,
    ticket_access_token,
    ticket_access_url,
)
from tickets.models import Collaborator, ThreadEntry
from tickets.status import Status


@pytest.fixture
def collaboration(karens_ticket, ken):
    """Ken follows Karen's ticket as a collaborator."""
    return Collaborator.objects.create(ticket=karens_ticket, user=ken)


def url(name, ticket, user, **kwargs):
    return reverse(f"portal:{name}", kwargs={"token": ticket_access_token(ticket, user), **kwargs})


def reply(client, ticket, user, body):
    return client.post(
        url("post-reply", ticket, user), {"body": body, "submission_key": str(uuid.uuid4())}
    )


def test_a_collaborators_link_shows_them_the_ticket(client, karens_ticket, ken, collaboration):
    response = client.get(ticket_access_url(karens_ticket, ken))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Entire mobile online banking is down" in page
    assert "The app shows an error for everyone." in page
    assert "Post Reply" in page


def test_a_collaborators_link_is_not_the_requesters(karens_ticket, ken, collaboration):
    access = access_from_token(ticket_access_token(karens_ticket, ken))

    assert ticket_access_url(karens_ticket, ken) != ticket_access_url(karens_ticket)
    assert access.person == ken
    assert access.is_requester is False


def test_the_requesters_link_names_the_requester(karens_ticket, karen):
    access = access_from_token(ticket_access_token(karens_ticket))

    assert access.person == karen
    assert access.is_requester is True


def test_a_collaborators_reply_is_recorded_as_theirs(client, karens_ticket, ken, collaboration):
    response = reply(client, karens_ticket, ken, "Same here, on the Android app.")

    assert response.status_code == 302
    assert opened_by(response["Location"]) == TicketAccess(karens_ticket, ken)
    entry = karens_ticket.thread.last()
    assert entry.kind == ThreadEntry.Kind.MESSAGE
    assert entry.body == "Same here, on the Android app."
    assert entry.author == ken
    assert entry.author != karens_ticket.requester


def test_a_collaborator_gets_no_mark_as_resolved(client, karens_ticket, ken, collaboration):
    page = client.get(ticket_access_url(karens_ticket, ken)).content.decode()

    assert "Mark as Resolved" not in page
    assert "Mark as Resolved" in client.get(ticket_access_url(karens_ticket)).content.decode()


def test_a_collaborator_cannot_resolve_the_ticket_by_posting(
    client, karens_ticket, ken, collaboration
):
    response = client.post(url("resolve", karens_ticket, ken), follow=True)

    karens_ticket.refresh_from_db()
    assert karens_ticket.status == Status.OPEN
    assert "Only the person who opened the ticket can mark it resolved." in (
        response.content.decode()
    )


def test_a_removed_collaborators_link_opens_nothing(client, karens_ticket, ken, collaboration):
    attachment = factories.AttachmentFactory(entry=karens_ticket.thread.first())
    token_urls = [
        url("ticket", karens_ticket, ken),
        url("attachment", karens_ticket, ken, pk=attachment.pk),
    ]
    collaboration.delete()

    for page in token_urls:
        assert client.get(page).status_code == 404
    assert reply(client, karens_ticket, ken, "Still there?").status_code == 404
    assert client.post(url("resolve", karens_ticket, ken)).status_code == 404
    assert karens_ticket.thread.count() == 1


def test_a_link_for_somebody_who_never_followed_the_ticket_opens_nothing(
    client, karens_ticket, ken
):
    assert client.get(ticket_access_url(karens_ticket, ken)).status_code == 404
    assert access_from_token(ticket_access_token(karens_ticket, ken)) is None


def test_a_collaborator_who_becomes_the_requester_gets_mark_as_resolved(
    client, karens_ticket, ken, collaboration
):
    karens_ticket.requester = ken
    karens_ticket.save()

    page = client.get(ticket_access_url(karens_ticket, ken)).content.decode()

    assert "Mark as Resolved" in page


def test_replying_through_a_collaborators_link_needs_a_post(
    client, karens_ticket, ken, collaboration
):
    assert client.get(url("post-reply", karens_ticket, ken)).status_code == 405
    assert client.get(url("resolve", karens_ticket, ken)).status_code == 405
    assert client.post(url("ticket", karens_ticket, ken)).status_code == 405


def test_the_link_mailed_to_a_collaborator_is_their_own(karens_ticket, ken, collaboration):
    notifications.access_link(karens_ticket, ken)

    mail = OutgoingMail.objects.get(notice="ticket.access_link")
    assert mail.to == ["ken@example.com"]
    token = re.search(r"/tickets/view/([^/\s]+)/", mail.text_body).group(1)
    assert access_from_token(token).person == ken


def test_the_ticket_mail_carries_the_requesters_link_with_collaborators_on_cc(
    karens_ticket, karen, ken, collaboration
):
    notifications.ticket_resolved(karens_ticket, by=None)

    mail = OutgoingMail.objects.get(notice="ticket.resolved")
    assert (mail.to, mail.cc) == (["karen@example.com"], ["ken@example.com"])
    token = re.search(r"/tickets/view/([^/\s]+)/", mail.text_body).group(1)
    assert access_from_token(token).person == karen
