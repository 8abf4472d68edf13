"""Agents open the customer's files: a download link per attachment, a preview per image.

Before, the staff view listed names and sizes with no link, and files on internal notes
were reachable by no one.
"""

import io

import factory
import pytest
from django.urls import reverse
from PIL import Image

from tests import factories

pytestmark = pytest.mark.django_db


def attach(ticket, *, kind="message", filename="screen.png", data=None):
    data = factories.png_bytes() if data is None else data
    return factories.AttachmentFactory(
        entry=factories.ThreadEntryFactory(ticket=ticket, kind=kind),
        filename=filename,
        content_type="image/png" if filename.endswith(".png") else "text/html",
        size=len(data),
        file=factory.django.FileField(data=data, filename=filename),
    )


def download_url(attachment, ticket=None):
    number = (ticket or attachment.entry.ticket).number
    return reverse("staff:ticket-attachment", kwargs={"number": number, "pk": attachment.pk})


def preview_url(attachment):
    return reverse(
        "staff:ticket-attachment-preview",
        kwargs={"number": attachment.entry.ticket.number, "pk": attachment.pk},
    )


def test_the_ticket_page_links_each_file_and_previews_images(client, john, karens_ticket):
    picture = attach(karens_ticket)
    notes = attach(karens_ticket, kind="note", filename="notes.html", data=b"<p>hi</p>")
    client.force_login(john.user)

    page = client.get(reverse("staff:ticket", kwargs={"number": karens_ticket.number}))

    text = page.content.decode()
    assert f'href="{download_url(picture)}"' in text
    assert f'href="{download_url(notes)}"' in text
    assert f'src="{preview_url(picture)}"' in text
    assert 'alt="Preview of screen.png"' in text
    assert f'src="{preview_url(notes)}"' not in text


def test_a_download_is_an_attachment_that_is_never_sniffed(client, john, karens_ticket):
    html = attach(karens_ticket, filename="page.html", data=b"<script>alert(1)</script>")
    client.force_login(john.user)

    response = client.get(download_url(html))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="page.html"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"


def test_a_file_on_an_internal_note_can_be_downloaded_by_agents(client, john, karens_ticket):
    on_note = attach(karens_ticket, kind="note")
    client.force_login(john.user)

    response = client.get(download_url(on_note))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == factories.png_bytes()


def test_an_attachment_of_another_ticket_is_not_found_through_this_one(
    client, john, karens_ticket, karen, support
):
    other = factories.TicketFactory(requester=karen, department=support)
    elsewhere = attach(other)
    client.force_login(john.user)

    assert client.get(download_url(elsewhere, ticket=karens_ticket)).status_code == 404


def test_an_agent_who_cannot_see_the_ticket_gets_404(client, jane, karen, support):
    ticket = factories.TicketFactory(requester=karen, department=support)
    picture = attach(ticket)
    # Jane works Online Banking; Support's ticket is not hers to see.
    client.force_login(jane.user)

    assert client.get(download_url(picture)).status_code == 404
    assert client.get(preview_url(picture)).status_code == 404


def test_the_preview_is_a_small_png_drawn_from_the_image(client, john, karens_ticket):
    big = attach(karens_ticket, data=factories.png_bytes(width=1600, height=1200))
    client.force_login(john.user)

    response = client.get(preview_url(big))
    again = client.get(preview_url(big))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as preview:
        assert preview.format == "PNG"
        assert max(preview.size) == 320
    assert again.content == response.content


def test_a_file_that_only_claims_to_be_an_image_has_no_preview(client, john, karens_ticket):
    fake = attach(karens_ticket, data=b"<html><script>alert(1)</script></html>")
    client.force_login(john.user)

    assert client.get(preview_url(fake)).status_code == 404
    assert client.get(download_url(fake)).status_code == 200


def test_an_image_of_enormous_dimensions_is_not_decoded(client, john, karens_ticket):
    out = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(out, format="PNG")  # a small file, 50 M pixels
    bomb = attach(karens_ticket, data=out.getvalue())
    client.force_login(john.user)

    assert client.get(preview_url(bomb)).status_code == 404


def test_downloads_answer_only_get(client, john, karens_ticket):
    picture = attach(karens_ticket)
    client.force_login(john.user)

    assert client.post(download_url(picture)).status_code == 405
    assert client.post(preview_url(picture)).status_code == 405
