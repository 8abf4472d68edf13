"""A ticket form files a ticket; it never rewrites the account behind an email address.

Anyone can type a known user's address into "Open a New Ticket": what they type for the
name and phone is kept on that ticket ("given on this ticket"), and a signed-in end user
files as themselves, whatever address the form is sent with.
"""

import uuid

import pytest
from django.urls import reverse

from accounts.models import User
from tests import factories
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

URL = reverse("portal:open-ticket")


def form_data(topic, **overrides):
    return {
        "email": "karen@example.com",
        "full_name": "Karen Taylor",
        "phone": "",
        "help_topic": topic.pk,
        "subject": "Card declined",
        "body": "My card is declined at every shop.",
        "submission_key": str(uuid.uuid4()),
        **overrides,
    }


def test_an_anonymous_form_does_not_set_a_known_users_phone(client, karen, outage_topic):
    response = client.post(URL, form_data(outage_topic, phone="+1 555 0199"))

    assert response.status_code == 302
    karen.refresh_from_db()
    assert karen.phone == ""
    ticket = Ticket.objects.get()
    assert ticket.requester == karen
    assert ticket.given_phone == "+1 555 0199"


def test_an_anonymous_form_does_not_fill_in_a_known_users_blank_name(client, outage_topic):
    nameless = factories.UserFactory(email="pat@example.com", full_name="")

    client.post(URL, form_data(outage_topic, email="pat@example.com", full_name="Mallory"))

    nameless.refresh_from_db()
    assert nameless.full_name == ""
    assert Ticket.objects.get().given_name == "Mallory"


def test_agents_see_what_was_given_on_the_ticket_beside_the_profile(
    client, karen, outage_topic, john
):
    client.post(URL, form_data(outage_topic, full_name="K. T.", phone="+1 555 0199"))
    ticket = Ticket.objects.get()
    client.force_login(john.user)

    page = client.get(reverse("staff:ticket", kwargs={"number": ticket.number})).content.decode()

    assert "Name given" in page
    assert "K. T." in page
    assert "+1 555 0199" in page
    assert page.count("(given on this ticket)") == 2


def test_a_new_person_gets_a_profile_from_the_form_and_nothing_extra_shown(client, outage_topic):
    client.post(
        URL,
        form_data(outage_topic, email="lena@example.com", full_name="Lena", phone="+1 555 0100"),
    )

    lena = User.objects.get(email="lena@example.com")
    assert (lena.full_name, lena.phone) == ("Lena", "+1 555 0100")
    assert Ticket.objects.get().given_details == []


def test_a_signed_in_user_files_as_themselves_whatever_address_is_sent(
    client, karen, ken, outage_topic
):
    client.force_login(karen)

    response = client.post(
        URL, form_data(outage_topic, email="ken@example.com", full_name="Ken Adams")
    )

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.requester == karen
    assert not Ticket.objects.filter(requester=ken).exists()
    ken.refresh_from_db()
    assert ken.full_name == "Ken Adams"


def test_a_signed_in_user_sees_their_own_name_and_email_read_only(client, karen, outage_topic):
    client.force_login(karen)

    form = client.get(URL).context["form"]

    assert form.fields["email"].disabled
    assert form.fields["full_name"].disabled
    assert form["email"].value() == "karen@example.com"
    assert form["full_name"].value() == "Karen Taylor"
    page = client.get(URL).content.decode()
    assert 'value="karen@example.com"' in page
    assert "disabled" in page


def test_a_signed_in_users_refused_form_still_shows_their_own_address(client, karen, outage_topic):
    client.force_login(karen)

    response = client.post(URL, form_data(outage_topic, email="ken@example.com", subject=""))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="karen@example.com"' in page
    assert "ken@example.com" not in page
