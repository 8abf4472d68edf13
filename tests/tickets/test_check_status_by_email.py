"""Check Ticket Status with STATUS_LINK_BY_EMAIL on: a matching address and number get the
ticket's link by mail, and the page answers alike whether or not anything matched."""

import re

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import mail
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from helpdesk.mail.models import OutgoingMail
from tests.links import opened_by
from tests.worker import send_queued_mail
from tickets.access import TicketAccess, ticket_access_token
from tickets.models import Collaborator

URL = reverse("portal:check-status")
SENT = "If this address has a ticket with this number, we have sent it a link to the ticket."


@pytest.fixture(autouse=True)
def _by_email(settings):
    settings.HELPDESK_STATUS_LINK_BY_EMAIL = True


def ask(client, email, number):
    return client.post(URL, {"email": email, "number": number})


def link_in(message) -> str:
    return re.search(r"http://[^/\s]+(/tickets/view/[^/\s]+/)", message.body).group(1)


def without_csrf_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def test_the_form_says_it_will_email_a_link(client, db):
    page = client.get(URL).content.decode()

    assert "we will email you a link to the ticket" in page
    assert "Email Me a Link" in page
    assert "View Ticket" not in page


def test_a_matching_pair_mails_the_requester_their_link_instead_of_opening_it(
    client, karens_ticket, karen
):
    response = ask(client, "karen@example.com", f"#{karens_ticket.number}")

    assert response.status_code == 302
    assert response["Location"] == URL
    page = client.get(URL).content.decode()
    assert SENT in page
    assert "Entire mobile online banking is down" not in page
    queued = OutgoingMail.objects.get()
    assert (queued.notice, queued.to) == ("ticket.access_link", ["karen@example.com"])
    send_queued_mail()
    (message,) = mail.outbox
    assert opened_by(link_in(message)) == TicketAccess(karens_ticket, karen)
    assert "Entire mobile online banking is down" in client.get(link_in(message)).content.decode()


def test_the_link_goes_to_the_address_on_file_whatever_its_case_was_typed_in(client, karens_ticket):
    ask(client, " KAREN@Example.com ", karens_ticket.number)

    assert OutgoingMail.objects.get().to == ["karen@example.com"]


def test_a_collaborators_address_gets_them_their_own_link(client, karens_ticket, ken):
    Collaborator.objects.create(ticket=karens_ticket, user=ken)

    ask(client, "ken@example.com", karens_ticket.number)
    send_queued_mail()

    (message,) = mail.outbox
    assert message.to == ["ken@example.com"]
    assert opened_by(link_in(message)) == TicketAccess(karens_ticket, ken)


def decoded_messages(cookie: str) -> list[tuple[int, str, str]]:
    messages = CookieStorage(HttpRequest())._decode(cookie)
    return [(message.level, message.message, message.extra_tags) for message in messages]


def test_matching_and_non_matching_pairs_get_the_identical_answer(client, karens_ticket, ken):
    pairs = [
        ("karen@example.com", karens_ticket.number),  # matches
        ("ken@example.com", karens_ticket.number),  # a real number, somebody else's
        ("karen@example.com", "000001"),  # a real address, no such number
        ("nobody@example.net", "999999"),  # nothing real
    ]
    answers = []
    for email, number in pairs:
        response = ask(client, email, number)
        answers.append(
            (
                response.status_code,
                response["Location"],
                # The messages, not their cookie: its signature carries the second it was
                # made in, which differs whenever two answers straddle a second.
                decoded_messages(response.cookies["messages"].value),
                without_csrf_token(client.get(URL).content.decode()),
            )
        )

    assert SENT in answers[0][3]
    # Compared whole, so that a difference is shown.
    assert answers == [answers[0]] * len(answers)
    assert [m.to for m in OutgoingMail.objects.all()] == [["karen@example.com"]]


def test_past_the_hourly_limit_the_answer_is_the_same_and_nothing_is_sent(client, karens_ticket):
    for _ in range(3):
        ask(client, "karen@example.com", karens_ticket.number)
        client.get(URL)

    response = ask(client, "karen@example.com", karens_ticket.number)

    assert response["Location"] == URL
    assert SENT in client.get(URL).content.decode()
    assert OutgoingMail.objects.count() == 3


def test_the_limit_is_shared_with_the_fresh_link_button(client, karens_ticket):
    for _ in range(3):
        ask(client, "karen@example.com", karens_ticket.number)

    fresh = reverse("portal:fresh-link", kwargs={"token": ticket_access_token(karens_ticket)})
    response = client.post(fresh)

    assert "We have already sent you several links in the last hour." in response.content.decode()
    assert OutgoingMail.objects.count() == 3


def test_missing_fields_are_still_answered_beside_them(client, db):
    response = client.post(URL, {"email": "not an address", "number": ""})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["email"] == ["Enter a valid email address."]
    assert errors["number"] == ["This field is required."]
    assert not OutgoingMail.objects.exists()


def test_the_status_page_answers_only_get_and_post(client, karens_ticket):
    response = client.put(URL, {"email": "karen@example.com", "number": karens_ticket.number})

    assert response.status_code == 405
    assert not OutgoingMail.objects.exists()


def test_the_status_page_needs_its_csrf_token(karens_ticket):
    strict = Client(enforce_csrf_checks=True)

    response = ask(strict, "karen@example.com", karens_ticket.number)

    assert response.status_code == 403
    assert not OutgoingMail.objects.exists()


def test_with_the_setting_off_the_pair_opens_the_ticket_and_nothing_is_mailed(
    client, karens_ticket, karen, settings
):
    settings.HELPDESK_STATUS_LINK_BY_EMAIL = False

    response = ask(client, "karen@example.com", karens_ticket.number)

    assert response.status_code == 302
    assert opened_by(response["Location"]) == TicketAccess(karens_ticket, karen)
    assert "View Ticket" in client.get(URL).content.decode()
    assert not OutgoingMail.objects.exists()
