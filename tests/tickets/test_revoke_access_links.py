"""An agent who may edit a ticket revokes its access links: every link made before stops
opening it (requester and collaborators alike) and leads to the fresh-link page; links made
after work; the ticket's history says who did it."""

import re
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from helpdesk.mail.models import OutgoingMail
from tests import factories
from tests.links import opened_by
from tests.worker import send_queued_mail
from tickets.access import ticket_access_token, ticket_from_access_token
from tickets.models import Collaborator, Event
from tickets.status import Status

SUBJECT = "Entire mobile online banking is down"
NO_LONGER = "This link no longer works"


@pytest.fixture
def viewer(support, view_only):
    """An agent of Support whose role shows tickets read-only."""
    return factories.AgentFactory(department=support, role=view_only)


def portal(name, token, **kwargs):
    return reverse(f"portal:{name}", kwargs={"token": token, **kwargs})


def revoke_url(ticket):
    return reverse("staff:ticket-revoke-links", kwargs={"number": ticket.number})


def revoke(client, agent, ticket):
    client.force_login(agent.user)
    response = client.post(revoke_url(ticket))
    client.logout()
    return response


def test_a_revoked_link_no_longer_opens_the_ticket(client, john, karens_ticket):
    token = ticket_access_token(karens_ticket)
    assert SUBJECT in client.get(portal("ticket", token)).content.decode()

    response = revoke(client, john, karens_ticket)
    page = client.get(portal("ticket", token))

    assert response.status_code == 302
    assert response["Location"] == reverse("staff:ticket", kwargs={"number": karens_ticket.number})
    assert page.status_code == 200
    text = page.content.decode()
    assert NO_LONGER in text
    assert "Email me a fresh link" in text
    assert SUBJECT not in text
    assert "The app shows an error for everyone." not in text
    assert ticket_from_access_token(token) is None


def test_a_revoked_link_neither_replies_nor_resolves_nor_downloads(client, john, karens_ticket):
    token = ticket_access_token(karens_ticket)
    attachment = factories.AttachmentFactory(entry=karens_ticket.thread.first())
    revoke(client, john, karens_ticket)

    replied = client.post(
        portal("post-reply", token), {"body": "Hello?", "submission_key": str(uuid.uuid4())}
    )
    resolved = client.post(portal("resolve", token))
    rated = client.post(portal("rate-ticket", token), {"rating": "good"})
    downloaded = client.get(portal("attachment", token, pk=attachment.pk))

    for response in (replied, resolved, rated, downloaded):
        assert response.status_code == 200
        assert NO_LONGER in response.content.decode()
    karens_ticket.refresh_from_db()
    assert karens_ticket.thread.count() == 1
    assert karens_ticket.status == Status.OPEN
    assert not karens_ticket.ratings.exists()


def test_a_collaborators_link_is_revoked_too(client, john, karens_ticket, ken):
    Collaborator.objects.create(ticket=karens_ticket, user=ken)
    token = ticket_access_token(karens_ticket, ken)

    revoke(client, john, karens_ticket)

    assert NO_LONGER in client.get(portal("ticket", token)).content.decode()
    access = opened_by(portal("ticket", token))
    assert access.person == ken
    assert access.is_revoked


def test_a_link_made_after_the_revocation_opens_the_ticket(client, john, karens_ticket):
    revoke(client, john, karens_ticket)
    karens_ticket.refresh_from_db()

    page = client.get(portal("ticket", ticket_access_token(karens_ticket)))

    assert page.status_code == 200
    assert SUBJECT in page.content.decode()


def test_revoking_twice_revokes_the_links_made_between(client, john, karens_ticket):
    revoke(client, john, karens_ticket)
    karens_ticket.refresh_from_db()
    between = ticket_access_token(karens_ticket)

    revoke(client, john, karens_ticket)

    assert NO_LONGER in client.get(portal("ticket", between)).content.decode()


def test_the_fresh_link_of_a_revoked_one_goes_to_the_address_on_file_and_works(
    client, john, karens_ticket
):
    token = ticket_access_token(karens_ticket)
    revoke(client, john, karens_ticket)

    response = client.post(portal("fresh-link", token), {"email": "mallory@example.net"})
    send_queued_mail()

    assert "We have sent a fresh link to k•••@example.com" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["karen@example.com"]
    fresh = re.search(r"http://[^/\s]+(/tickets/view/[^/\s]+/)", message.body).group(1)
    assert SUBJECT in client.get(fresh).content.decode()


def test_the_revocation_is_in_the_tickets_history(client, john, karens_ticket):
    revoke(client, john, karens_ticket)

    event = Event.objects.get(ticket=karens_ticket, kind=Event.Kind.LINKS_REVOKED)
    assert event.actor == john.user
    client.force_login(john.user)
    page = client.get(reverse("staff:ticket", kwargs={"number": karens_ticket.number}))
    assert "Access links revoked" in page.content.decode()


def test_the_ticket_page_offers_revocation_to_an_agent_who_may_edit(client, john, karens_ticket):
    client.force_login(john.user)

    page = client.get(reverse("staff:ticket", kwargs={"number": karens_ticket.number}))

    assert "Revoke access links" in page.content.decode()
    assert revoke_url(karens_ticket) in page.content.decode()


def test_asking_first_changes_nothing_and_offers_the_button(client, john, karens_ticket):
    token = ticket_access_token(karens_ticket)
    client.force_login(john.user)

    page = client.get(revoke_url(karens_ticket))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Revoke the access links of ticket" in text
    assert 'method="post"' in text
    assert "Nothing has changed yet." in text
    assert not Event.objects.filter(kind=Event.Kind.LINKS_REVOKED).exists()
    assert ticket_from_access_token(token) == karens_ticket


def test_a_view_only_agent_sees_no_button_and_is_refused(client, viewer, karens_ticket):
    token = ticket_access_token(karens_ticket)
    client.force_login(viewer.user)

    page = client.get(reverse("staff:ticket", kwargs={"number": karens_ticket.number}))
    asked = client.get(revoke_url(karens_ticket))
    posted = client.post(revoke_url(karens_ticket))

    assert page.status_code == 200
    assert "Revoke access links" not in page.content.decode()
    assert asked.status_code == 403
    assert posted.status_code == 403
    assert not Event.objects.filter(kind=Event.Kind.LINKS_REVOKED).exists()
    assert ticket_from_access_token(token) == karens_ticket


def test_an_agent_who_cannot_see_the_ticket_gets_404(client, jane, karens_ticket):
    client.force_login(jane.user)

    assert client.post(revoke_url(karens_ticket)).status_code == 404
    assert not Event.objects.filter(kind=Event.Kind.LINKS_REVOKED).exists()


def test_revocation_needs_the_pages_csrf_token(john, karens_ticket):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(john.user)

    assert strict.post(revoke_url(karens_ticket)).status_code == 403
    assert not Event.objects.filter(kind=Event.Kind.LINKS_REVOKED).exists()


def test_revoking_mails_nobody(client, john, karens_ticket):
    revoke(client, john, karens_ticket)

    assert not OutgoingMail.objects.exists()
