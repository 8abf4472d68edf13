"""Internal notes never reach the end user: not on the page, not as downloads."""

from django.urls import reverse

from tests import factories
from tickets.access import ticket_access_token, ticket_access_url


def test_the_portal_shows_responses_but_never_internal_notes(client, karens_ticket, jane):
    factories.ThreadEntryFactory(
        ticket=karens_ticket,
        kind="response",
        author=jane.user,
        author_name="Jane Cooper",
        body="We are coordinating with the Sys Admin team.",
    )
    factories.ThreadEntryFactory(
        ticket=karens_ticket,
        kind="note",
        author=jane.user,
        author_name="Jane Cooper",
        body="Internal: the load balancer in rack 4 failed.",
    )

    page = client.get(ticket_access_url(karens_ticket)).content.decode()

    assert "We are coordinating with the Sys Admin team." in page
    assert "Jane Cooper" in page
    assert "load balancer in rack 4" not in page
    assert "thread-note" not in page


def test_an_attachment_on_an_internal_note_cannot_be_downloaded(client, karens_ticket, jane):
    note = factories.ThreadEntryFactory(ticket=karens_ticket, kind="note", author=jane.user)
    attachment = factories.AttachmentFactory(entry=note, filename="passwords.txt")

    url = reverse(
        "portal:attachment",
        kwargs={"token": ticket_access_token(karens_ticket), "pk": attachment.pk},
    )
    response = client.get(url)

    assert response.status_code == 404
    assert "passwords.txt" not in client.get(ticket_access_url(karens_ticket)).content.decode()
