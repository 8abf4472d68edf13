"""Signing in to the staff panel at /scp/login/, signing out, and resetting a password."""

import re

from django.core import mail
from django.urls import reverse

from tests import factories
from tests.worker import send_queued_mail

LOGIN = reverse("staff:login")
PASSWORD = "correct horse battery staple"


def sign_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def test_the_login_page_asks_for_email_address_and_password(client, db):
    page = client.get(LOGIN).content.decode()

    assert "Email Address" in page
    assert "Password" in page
    assert "Forgot my password" in page


def test_an_agent_signs_in_with_email_in_any_case_and_lands_on_the_staff_panel(client, john):
    response = sign_in(client, "JOHN@example.com")

    assert response.status_code == 302
    assert response["Location"] == reverse("staff:home")
    assert client.get(reverse("staff:home")).status_code == 200


def test_sign_in_returns_to_the_page_asked_for(client, john):
    response = client.post(
        LOGIN, {"username": "john@example.com", "password": PASSWORD, "next": "/scp/tickets/1/"}
    )

    assert response["Location"] == "/scp/tickets/1/"


def test_a_wrong_password_is_refused_and_the_email_kept(client, john):
    response = sign_in(client, "john@example.com", "wrong")

    assert response.status_code == 200
    assert "Please enter a correct email address and password." in response.content.decode()
    assert 'value="john@example.com"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_end_user_is_refused_with_a_clear_message(client, karen):
    response = sign_in(client, "karen@example.com")

    assert "This account is not an agent account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_inactive_agent_is_told_the_account_is_inactive(client, john):
    john.user.is_active = False
    john.user.save()

    response = sign_in(client, "john@example.com")

    assert "This agent account is inactive" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_inactive_agent_with_a_wrong_password_learns_nothing_more(client, john):
    john.user.is_active = False
    john.user.save()

    response = sign_in(client, "john@example.com", "wrong")

    assert "inactive" not in response.content.decode()
    assert "Please enter a correct email address and password." in response.content.decode()


def test_staff_pages_send_anonymous_visitors_to_the_login(client, db):
    response = client.get(reverse("staff:home"))

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/scp/"


def test_a_signed_in_end_user_never_sees_a_staff_page(client, karen):
    client.force_login(karen)

    response = client.get(reverse("staff:home"))

    assert response.status_code == 403
    assert "Staff Control Panel" not in response.content.decode()


def test_an_agent_deactivated_while_signed_in_is_locked_out(client, john):
    client.force_login(john.user)
    john.user.is_active = False
    john.user.save()

    response = client.get(reverse("staff:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_logging_out_ends_the_session_and_needs_a_post(client, john):
    client.force_login(john.user)

    assert client.get(reverse("staff:logout")).status_code == 405
    response = client.post(reverse("staff:logout"))

    assert response["Location"] == LOGIN
    assert client.get(reverse("staff:home")).status_code == 302


def test_an_agent_resets_a_forgotten_password_by_email(client, john):
    response = client.post(reverse("staff:password-reset"), {"email": "john@example.com"})
    send_queued_mail()

    assert response["Location"] == reverse("staff:password-reset-sent")
    (message,) = mail.outbox
    assert message.to == ["john@example.com"]
    link = re.search(r"http://testserver(/scp/password-reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Set a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "a new long passphrase", "new_password2": "a new long passphrase"},
    )
    assert done["Location"] == reverse("staff:password-reset-done")
    assert sign_in(client, "john@example.com", "a new long passphrase").status_code == 302


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post(reverse("staff:password-reset"), {"email": "nobody@example.com"})
    send_queued_mail()

    assert response["Location"] == reverse("staff:password-reset-sent")
    assert mail.outbox == []


def test_a_used_reset_link_is_refused(client, john):
    client.post(reverse("staff:password-reset"), {"email": "john@example.com"})
    send_queued_mail()
    link = re.search(r"http://testserver(/scp/password-reset/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    set_url = page.redirect_chain[-1][0]
    client.post(
        set_url, {"new_password1": "another passphrase 1", "new_password2": "another passphrase 1"}
    )

    again = client.get(link, follow=True)

    assert "This link is invalid or has already been used." in again.content.decode()


def test_djangos_own_admin_is_for_superusers_only(client, john):
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)

    client.force_login(john.user)
    assert client.get("/django-admin/").status_code == 302
    assert client.get("/admin/").status_code == 404
    client.force_login(superuser)
    assert client.get("/django-admin/").status_code == 200
