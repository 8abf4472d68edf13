"""Downloading an attachment from the end user's view of a ticket."""

from django.urls import reverse

from tests import factories
from tickets.access import ticket_access_token


def download_url(ticket, attachment):
    return reverse(
        "portal:attachment", kwargs={"token": ticket_access_token(ticket), "pk": attachment.pk}
    )


def test_an_attachment_downloads_under_its_own_name(client, karens_ticket):
    entry = karens_ticket.thread.get()
    attachment = factories.AttachmentFactory(entry=entry, filename="error report.txt")

    response = client.get(download_url(karens_ticket, attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"attached text\n"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "error report.txt" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_html_attachment_is_a_download_never_a_page(client, karens_ticket):
    entry = karens_ticket.thread.get()
    attachment = factories.AttachmentFactory(
        entry=entry, filename="x.html", content_type="text/html"
    )

    response = client.get(download_url(karens_ticket, attachment))

    assert response["Content-Disposition"].startswith("attachment;")


def test_another_tickets_attachment_cannot_be_reached_through_this_link(client, karens_ticket, ken):
    kens_ticket = factories.TicketFactory(requester=ken)
    kens_file = factories.AttachmentFactory(entry=factories.ThreadEntryFactory(ticket=kens_ticket))

    response = client.get(download_url(karens_ticket, kens_file))

    assert response.status_code == 404


def test_the_ticket_page_links_each_attachment(client, karens_ticket):
    attachment = factories.AttachmentFactory(entry=karens_ticket.thread.get(), filename="a.txt")

    token = ticket_access_token(karens_ticket)
    page = client.get(reverse("portal:ticket", kwargs={"token": token})).content.decode()

    download = reverse("portal:attachment", kwargs={"token": token, "pk": attachment.pk})
    assert f'href="{download}"' in page
