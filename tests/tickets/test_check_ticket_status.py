"""Finding a ticket again with "Check Ticket Status": email address + ticket number."""

import pytest
from django.urls import reverse

from tests.links import opened_by
from tickets.access import TicketAccess
from tickets.models import Collaborator

URL = reverse("portal:check-status")
NO_MATCH = (
    "We could not find a ticket with that email address and ticket number. "
    "Please check both and try again."
)


def test_the_form_asks_for_email_address_and_ticket_number(client, db):
    page = client.get(URL).content.decode()

    assert "Email Address" in page
    assert "Ticket Number" in page


@pytest.mark.parametrize(
    ("email", "number"),
    [
        ("karen@example.com", "{n}"),
        ("KAREN@Example.com", "{n}"),
        (" karen@example.com ", "#{n}"),
        ("karen@example.com", " {n} "),
    ],
)
def test_the_right_pair_opens_the_users_view_of_the_ticket(client, karens_ticket, email, number):
    response = client.post(URL, {"email": email, "number": number.format(n=karens_ticket.number)})

    assert response.status_code == 302
    assert opened_by(response["Location"]) == TicketAccess(karens_ticket, karens_ticket.requester)
    page = client.get(response["Location"]).content.decode()
    assert "Entire mobile online banking is down" in page


def test_a_collaborators_address_opens_their_own_view_of_the_ticket(client, karens_ticket, ken):
    Collaborator.objects.create(ticket=karens_ticket, user=ken)

    response = client.post(URL, {"email": "Ken@example.com", "number": karens_ticket.number})

    assert response.status_code == 302
    assert opened_by(response["Location"]) == TicketAccess(karens_ticket, ken)


def wrong_pair_response(client, email, number):
    response = client.post(URL, {"email": email, "number": number})
    assert response.status_code == 200
    return response


def test_a_wrong_pair_gets_one_generic_error_whatever_was_wrong(client, karens_ticket, ken):
    right_number_wrong_email = wrong_pair_response(client, "ken@example.com", karens_ticket.number)
    unknown_number = wrong_pair_response(client, "karen@example.com", "000001")
    unknown_everything = wrong_pair_response(client, "nobody@example.net", "999999")

    for response in (right_number_wrong_email, unknown_number, unknown_everything):
        assert response.context["form"].non_field_errors() == [NO_MATCH]
        assert NO_MATCH in response.content.decode()
    # The pages differ only in the echoed input: nothing tells an existing number apart.
    first = right_number_wrong_email.content.decode().replace("ken@example.com", "E")
    second = unknown_number.content.decode().replace("karen@example.com", "E")
    strip = [karens_ticket.number, "000001"]
    for value in strip:
        first, second = first.replace(value, "N"), second.replace(value, "N")
    csrf = 'name="csrfmiddlewaretoken" value="'
    first = first.split(csrf)[0] + first.split(csrf)[1].split('"', 1)[1]
    second = second.split(csrf)[0] + second.split(csrf)[1].split('"', 1)[1]
    assert first == second


def test_a_wrong_pair_keeps_what_was_typed(client, karens_ticket):
    response = wrong_pair_response(client, "karen@example.org", "123")

    assert response.context["form"]["email"].value() == "karen@example.org"
    assert 'value="karen@example.org"' in response.content.decode()
    assert 'value="123"' in response.content.decode()


def test_missing_fields_are_answered_beside_them(client, db):
    response = client.post(URL, {"email": "", "number": ""})

    errors = response.context["form"].errors
    assert errors["email"] == ["This field is required."]
    assert errors["number"] == ["This field is required."]


def test_a_number_with_no_digits_is_a_wrong_pair(client, karens_ticket):
    response = wrong_pair_response(client, "karen@example.com", "#")

    assert response.context["form"].non_field_errors() == [NO_MATCH]
