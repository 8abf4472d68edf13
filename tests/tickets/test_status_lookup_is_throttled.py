"""Check Ticket Status cannot be used to walk ticket numbers: lookups that find nothing are
limited per email typed and per client address, and past the limit the page answers 429
with when to try again, even for the right pair. Lookups that find the ticket do not count.
"""

import pytest
from django.test import Client
from django.urls import reverse

from helpdesk.mail.models import OutgoingMail

URL = reverse("portal:check-status")


def look_up(client, email, number):
    return client.post(URL, {"email": email, "number": number})


def wrong_numbers(ticket, count):
    """`count` six-digit numbers that are not the ticket's."""
    start = 100000 if ticket.number != "100000" else 200000
    return [str(start + n) for n in range(count)]


def test_after_ten_wrong_guesses_the_right_number_is_refused(client, karens_ticket):
    for number in wrong_numbers(karens_ticket, 10):
        assert look_up(client, "karen@example.com", number).status_code == 200

    response = look_up(client, "karen@example.com", karens_ticket.number)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many ticket lookups" in page
    assert "Nothing was looked up this time." in page
    assert "Please try again in 15 minutes." in page
    assert "Support Center" in page
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert "Location" not in response


def test_guesses_for_one_email_are_counted_from_every_network(karens_ticket):
    for n, number in enumerate(wrong_numbers(karens_ticket, 10)):
        look_up(Client(REMOTE_ADDR=f"198.51.100.{n}"), "Karen@Example.com", number)

    response = look_up(Client(REMOTE_ADDR="203.0.113.9"), "karen@example.com", karens_ticket.number)

    assert response.status_code == 429


def test_guesses_from_one_network_are_counted_across_emails(client, karens_ticket):
    for n, number in enumerate(wrong_numbers(karens_ticket, 10)):
        look_up(client, f"person{n}@example.com", number)

    from_there = look_up(client, "karen@example.com", karens_ticket.number)
    elsewhere = look_up(
        Client(REMOTE_ADDR="203.0.113.9"), "karen@example.com", karens_ticket.number
    )

    assert from_there.status_code == 429
    assert elsewhere.status_code == 302


def test_lookups_that_find_the_ticket_do_not_count(client, karens_ticket):
    answers = [look_up(client, "karen@example.com", karens_ticket.number) for _ in range(15)]

    assert {answer.status_code for answer in answers} == {302}


def test_a_mistyped_form_is_answered_beside_its_fields_and_not_counted(client, karens_ticket):
    for _ in range(12):
        response = look_up(client, "not an address", "")
        assert response.status_code == 200

    assert look_up(client, "karen@example.com", karens_ticket.number).status_code == 302


@pytest.mark.parametrize("allowed", [3, 7])
def test_the_limit_is_a_setting(client, karens_ticket, settings, allowed):
    settings.HELPDESK_STATUS_LOOKUP_FAILURES_PER_ADDRESS = allowed

    answers = [
        look_up(client, f"person{n}@example.com", number).status_code
        for n, number in enumerate(wrong_numbers(karens_ticket, allowed + 1))
    ]

    assert answers == [200] * allowed + [429]


def test_by_email_every_lookup_counts_and_past_the_limit_nothing_is_sent(
    client, karens_ticket, settings
):
    settings.HELPDESK_STATUS_LINK_BY_EMAIL = True
    settings.HELPDESK_STATUS_LOOKUP_FAILURES_PER_EMAIL = 2
    look_up(client, "karen@example.com", karens_ticket.number)
    look_up(client, "karen@example.com", karens_ticket.number)
    sent = OutgoingMail.objects.count()

    response = look_up(client, "karen@example.com", karens_ticket.number)

    assert response.status_code == 429
    assert OutgoingMail.objects.count() == sent
