"""Guessing passwords is throttled on every sign-in page: the staff panel's, the portal's and
Django's admin, per account and per client address (django-axes, counting in the cache).

Failures are counted, successes are not: the suite signs in a great deal.
"""

import io
import time

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests import factories

PASSWORD = "correct horse battery staple"
STAFF = reverse("staff:login")
PORTAL = reverse("portal:login")
ADMIN = reverse("admin:login")


def sign_in(client, url, email, password=PASSWORD):
    return client.post(url, {"username": email, "password": password})


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def superuser(db):
    """A superuser of Django's own admin."""
    return factories.UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    ("url", "who", "layout"),
    [
        (STAFF, "john", "Staff Control Panel"),
        (PORTAL, "karen", "Support Center"),
        (ADMIN, "superuser", "Django administration"),
    ],
)
def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in(
    client, request, url, who, layout
):
    person = request.getfixturevalue(who)
    email = person.email if who != "john" else person.user.email

    for _ in range(30):
        sign_in(client, url, email, "wrong guess")
    response = sign_in(client, url, email)

    assert not is_signed_in(client)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Please try again in 15 minutes." in page
    assert layout in page
    assert 0 < int(response["Retry-After"]) <= 15 * 60


def test_the_failure_that_reaches_the_limit_shows_the_lockout_page(client, john):
    for _ in range(4):
        response = sign_in(client, STAFF, "john@example.com", "wrong")
        assert response.status_code == 200
        assert "Please enter a correct email address and password." in response.content.decode()

    response = sign_in(client, STAFF, "john@example.com", "wrong")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Signing in is paused" in page
    assert "too many unsuccessful attempts" in page
    assert reverse("staff:password-reset") in page


def test_the_account_is_counted_whatever_the_case_typed(client, karen):
    for email in [
        "KAREN@example.com",
        " karen@example.com",
        "Karen@Example.com",
        "karen@example.com",
    ]:
        sign_in(client, PORTAL, email, "wrong")
    response = sign_in(client, PORTAL, "karen@EXAMPLE.com", "wrong")

    assert response.status_code == 429


def test_every_form_of_one_address_is_one_account_to_count(client, db):
    """Guesses spread over an address's unicode and punycode domain and full-width forms
    (NFKC) are counted as one account, as they sign in as one person."""
    factories.UserFactory(email="anna@xn--mnchen-3ya.example")
    for email in [
        "anna@münchen.example",
        "ANNA@XN--MNCHEN-3YA.EXAMPLE",
        "ａｎｎａ@münchen.example",
        "anna@MÜNCHEN.example",
    ]:
        sign_in(client, PORTAL, email, "wrong")
    response = sign_in(client, PORTAL, "anna@xn--mnchen-3ya.example", "wrong")

    assert response.status_code == 429


def test_a_locked_account_stays_locked_from_another_address(karen):
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        sign_in(attacker, PORTAL, "karen@example.com", "wrong")
    elsewhere = Client(REMOTE_ADDR="203.0.113.20")

    response = sign_in(elsewhere, PORTAL, "karen@example.com")

    assert response.status_code == 429
    assert not is_signed_in(elsewhere)


def test_guesses_at_many_accounts_lock_the_address_not_the_accounts(karen, ken):
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(20):
        sign_in(attacker, PORTAL, f"nobody{number}@example.com", "wrong")

    from_attacker = sign_in(attacker, PORTAL, "ken@example.com")
    elsewhere = Client(REMOTE_ADDR="203.0.113.20")
    from_elsewhere = sign_in(elsewhere, PORTAL, "ken@example.com")

    assert from_attacker.status_code == 429
    assert not is_signed_in(attacker)
    assert from_elsewhere.status_code == 302
    assert is_signed_in(elsewhere)


def test_a_forged_forwarded_for_header_does_not_escape_the_address_limit(karen):
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(20):
        attacker.post(
            PORTAL,
            {"username": f"nobody{number}@example.com", "password": "wrong"},
            headers={"X-Forwarded-For": f"10.0.0.{number}"},
        )

    response = attacker.post(
        PORTAL,
        {"username": "karen@example.com", "password": PASSWORD},
        headers={"X-Forwarded-For": "10.9.9.9"},
    )

    assert response.status_code == 429


def test_a_successful_sign_in_clears_the_accounts_failures(client, karen):
    for _ in range(4):
        sign_in(client, PORTAL, "karen@example.com", "wrong")
    assert sign_in(client, PORTAL, "karen@example.com").status_code == 302
    client.logout()

    for _ in range(4):
        sign_in(client, PORTAL, "karen@example.com", "wrong")
    response = sign_in(client, PORTAL, "karen@example.com")

    assert response.status_code == 302
    assert is_signed_in(client)


def test_the_limits_and_the_wait_are_settings(client, karen, settings):
    settings.HELPDESK_LOGIN_FAILURES_PER_ACCOUNT = 2
    settings.HELPDESK_LOGIN_LOCKOUT_MINUTES = 90

    sign_in(client, PORTAL, "karen@example.com", "wrong")
    response = sign_in(client, PORTAL, "karen@example.com", "wrong")

    assert response.status_code == 429
    assert "Please try again in 90 minutes." in response.content.decode()


def test_an_end_user_locked_out_at_the_staff_login_sees_the_staff_layout(client, karen):
    for _ in range(5):
        response = sign_in(client, STAFF, "karen@example.com", "wrong")

    assert response.status_code == 429
    assert "Staff Control Panel" in response.content.decode()


def test_the_lockout_ends_when_the_page_said_and_refusals_meanwhile_do_not_extend_it(
    client, karen, monkeypatch
):
    now = [1_800_000_000.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    for _ in range(5):
        sign_in(client, PORTAL, "karen@example.com", "wrong")
    now[0] += 14 * 60
    assert sign_in(client, PORTAL, "karen@example.com").status_code == 429

    now[0] += 60 + 1
    response = sign_in(client, PORTAL, "karen@example.com")

    assert response.status_code == 302
    assert is_signed_in(client)


def test_an_administrator_lifts_a_lockout_by_hand(client, karen):
    for _ in range(5):
        sign_in(client, PORTAL, "karen@example.com", "wrong")

    call_command("axes_reset_username", "Karen@example.com", stdout=io.StringIO())

    assert sign_in(client, PORTAL, "karen@example.com").status_code == 302


def test_one_account_is_locked_on_every_sign_in_page(client, john):
    # Staff and portal share one User model: guesses on one page count on the others.
    for url in [PORTAL, PORTAL, ADMIN, ADMIN, PORTAL]:
        sign_in(client, url, "john@example.com", "wrong")

    response = sign_in(client, STAFF, "john@example.com")

    assert response.status_code == 429
    assert not is_signed_in(client)
