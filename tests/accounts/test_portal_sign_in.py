"""End users with a password sign in on the portal, see their tickets, and reset it by email."""

import re

from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests import factories
from tests.links import opened_by
from tests.worker import send_queued_mail
from tickets.access import TicketAccess

PASSWORD = "correct horse battery staple"


def test_an_end_user_signs_in_and_sees_only_their_own_tickets(client, karens_ticket, ken):
    kens = factories.TicketFactory(requester=ken, subject="Ken's laptop")

    response = client.post(
        reverse("portal:login"), {"username": "Karen@example.com", "password": PASSWORD}
    )

    assert response["Location"] == reverse("portal:my-tickets")
    listing = client.get(reverse("portal:my-tickets"))
    page = listing.content.decode()
    assert karens_ticket.subject in page
    [(_, link, _)] = listing.context["tickets"]
    assert f'href="{link}"' in page
    assert opened_by(link) == TicketAccess(karens_ticket, karens_ticket.requester)
    assert kens.subject not in page
    assert "Sign Out" in page


def test_my_tickets_needs_a_sign_in(client, db):
    response = client.get(reverse("portal:my-tickets"))

    assert response["Location"] == f"{reverse('portal:login')}?next=/tickets/"


def test_my_tickets_runs_a_constant_number_of_queries(
    client, karen, outage_topic, django_assert_max_num_queries
):
    client.force_login(karen)
    factories.TicketFactory(requester=karen, help_topic=outage_topic)
    with django_assert_max_num_queries(4) as few:
        client.get(reverse("portal:my-tickets"))
    for _ in range(10):
        factories.TicketFactory(requester=karen)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("portal:my-tickets"))


def test_a_wrong_password_is_refused_on_the_portal(client, karen):
    response = client.post(reverse("portal:login"), {"username": karen.email, "password": "x"})

    assert "Please enter a correct email address and password." in response.content.decode()


def test_an_end_user_who_never_set_a_password_gets_no_reset_mail(client, db):
    User.objects.create_user("walkin@example.com")  # as the ticket form makes them

    client.post(reverse("portal:password-reset"), {"email": "walkin@example.com"})
    send_queued_mail()

    assert mail.outbox == []


def test_an_end_user_resets_their_password_by_email(client, karen):
    response = client.post(reverse("portal:password-reset"), {"email": "karen@example.com"})
    send_queued_mail()

    assert response["Location"] == reverse("portal:password-reset-sent")
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", message.body).group(1)
    page = client.get(link, follow=True)
    set_url = page.redirect_chain[-1][0]
    client.post(
        set_url, {"new_password1": "new portal pass 42", "new_password2": "new portal pass 42"}
    )
    assert client.login(username="karen@example.com", password="new portal pass 42")


def test_signing_out_of_the_portal_needs_a_post(client, karen):
    client.force_login(karen)

    assert client.get(reverse("portal:logout")).status_code == 405
    assert client.post(reverse("portal:logout"))["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:my-tickets")).status_code == 302
