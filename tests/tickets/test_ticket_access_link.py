"""The signed access link that opens an end user's view of their ticket without a password."""

import time

from django.urls import reverse

from tests import factories
from tickets.access import ticket_access_token, ticket_access_url, ticket_from_access_token


def test_the_access_link_opens_the_ticket(client, karens_ticket):
    response = client.get(ticket_access_url(karens_ticket))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Entire mobile online banking is down" in page
    assert f"#{karens_ticket.number}" in page
    assert "The app shows an error for everyone." in page
    assert "Post Reply" in page


def test_a_tampered_link_is_refused_with_404(client, karens_ticket):
    token = ticket_access_token(karens_ticket)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")

    response = client.get(reverse("portal:ticket", kwargs={"token": tampered}))

    assert response.status_code == 404


def test_a_link_forged_for_another_number_is_refused(client, karens_ticket):
    other = factories.TicketFactory(requester=karens_ticket.requester)
    token = ticket_access_token(karens_ticket)
    payload, signature = token.split(":", 1)
    forged_payload = ticket_access_token(other).split(":", 1)[0]

    response = client.get(
        reverse("portal:ticket", kwargs={"token": f"{forged_payload}:{signature}"})
    )

    assert payload != forged_payload
    assert response.status_code == 404


def test_the_link_stops_working_when_the_ticket_changes_requester(karens_ticket, ken):
    token = ticket_access_token(karens_ticket)
    karens_ticket.requester = ken
    karens_ticket.save()

    assert ticket_from_access_token(token) is None


def test_garbage_tokens_open_nothing(db):
    for token in ["", "x", "a:b:c", "W10:abc", "null"]:
        assert ticket_from_access_token(token) is None


def test_each_ticket_has_its_own_link(karens_ticket):
    other = factories.TicketFactory(requester=karens_ticket.requester)

    assert ticket_access_url(other) != ticket_access_url(karens_ticket)
    assert ticket_from_access_token(ticket_access_token(other)) == other


def test_the_ticket_page_shows_the_status_in_the_users_words(client, karens_ticket):
    karens_ticket.status = "awaiting_user"
    karens_ticket.save()

    response = client.get(ticket_access_url(karens_ticket))

    assert "Awaiting your reply" in response.content.decode()


def test_the_ticket_page_runs_a_constant_number_of_queries(
    client, karens_ticket, jane, django_assert_max_num_queries
):
    def load():
        return client.get(ticket_access_url(karens_ticket))

    with django_assert_max_num_queries(6) as few:
        load()
    for n in range(12):
        entry = factories.ThreadEntryFactory(
            ticket=karens_ticket,
            kind="response" if n % 2 else "message",
            author=jane.user if n % 2 else karens_ticket.requester,
        )
        factories.AttachmentFactory(entry=entry)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = load()
    assert response.content.decode().count("thread-entry") == 13


def test_a_link_carries_when_it_was_made_and_earlier_ones_still_open_the_ticket(
    client, karens_ticket, monkeypatch
):
    first = ticket_access_url(karens_ticket)
    monkeypatch.setattr("time.time", lambda: time.time_ns() / 1e9 + 3600)

    later = ticket_access_url(karens_ticket)

    assert later != first
    for url in (first, later):
        assert "Entire mobile online banking is down" in client.get(url).content.decode()
