"""Two-factor sign-in for agents: set up from the profile with an authenticator app, then the
staff login asks for a code after the password; a code works once, backup codes once each,
and until a code is given no staff page opens."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from tests.accounts.twofactor_helpers import code_for, code_for_secret, turn_on

PASSWORD = "correct horse battery staple"
LOGIN = reverse("staff:login")
VERIFY = reverse("staff:two-factor-verify")
HOME = reverse("staff:home")


@pytest.fixture
def no_slow_down(settings):
    """Wrong codes do not slow the next try, for tests that type a wrong code first (the
    slow-down has its own test)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def sign_in(client, email="john@example.com", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def give_code(client, code, next_url=HOME):
    return client.post(VERIFY, {"code": code, "next": next_url})


def errors_beside_the_code(response) -> str:
    """The message about the code field: the field names it as its description (the
    house's error summary, linked to the field; templates/_partials/error_summary.html)."""
    page = response.content.decode()
    if 'aria-describedby="id_code_helptext id_code_error"' not in page:
        return ""
    match = re.search(r'<span id="id_code_error">(.*?)</span>', page, re.S)
    return match.group(1) if match else ""


# Setting it up ----------------------------------------------------------------------------


def test_the_profile_page_shows_a_qr_code_and_the_secret_to_type(client, john):
    client.force_login(john.user)

    page = client.get(reverse("staff:two-factor")).content.decode()

    device = TOTPDevice.objects.get(user=john.user)
    assert not device.confirmed
    assert 'src="data:image/svg+xml;base64,' in page
    assert twofactor.secret_text(device) in page
    assert "Turn On Two-Factor" in page
    assert "Two-factor sign-in</a>: off" in client.get(reverse("staff:profile")).content.decode()


def test_the_qr_code_holds_the_apps_otpauth_address(john):
    device = twofactor.pending_device(john.user)

    assert device.config_url.startswith("otpauth://totp/Helpdesk%3Ajohn%40example.com?secret=")
    assert twofactor.qr_code_data_url(device).startswith("data:image/svg+xml;base64,")


def test_a_code_from_the_app_turns_it_on_and_shows_backup_codes_once(client, john):
    client.force_login(john.user)
    page = client.get(reverse("staff:two-factor")).content.decode()
    secret = re.search(r'data-testid="two-factor-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1)

    response = client.post(reverse("staff:two-factor"), {"code": code_for_secret(secret)})

    assert response.status_code == 200
    text = response.content.decode()
    assert "Two-factor sign-in is on" in text
    codes = StaticToken.objects.filter(device__user=john.user).values_list("token", flat=True)
    assert len(codes) == twofactor.BACKUP_CODES
    for code in codes:
        assert code in text
    assert twofactor.has_two_factor(john.user)
    # Shown once: the page afterwards says it is on, and lists no code.
    again = client.get(reverse("staff:two-factor")).content.decode()
    assert "You sign in with your password and a code" in again
    assert not any(code in again for code in codes)


def test_a_wrong_code_at_set_up_is_said_beside_the_field_and_leaves_it_off(client, john):
    client.force_login(john.user)
    client.get(reverse("staff:two-factor"))

    response = client.post(reverse("staff:two-factor"), {"code": "000000"})

    assert response.status_code == 200
    assert "That code is not right" in errors_beside_the_code(response)
    assert not twofactor.has_two_factor(john.user)
    assert not StaticToken.objects.exists()


def test_an_empty_code_at_set_up_is_asked_for(client, john):
    client.force_login(john.user)
    client.get(reverse("staff:two-factor"))

    response = client.post(reverse("staff:two-factor"), {"code": ""})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not twofactor.has_two_factor(john.user)


# Signing in -------------------------------------------------------------------------------


def test_without_two_factor_the_password_is_enough(client, john):
    response = sign_in(client)

    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_with_two_factor_the_password_leads_to_the_code_step(client, john):
    turn_on(john.user)

    response = sign_in(client, next="/scp/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fscp%2Fdashboard%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Enter your code" in page
    assert 'autocomplete="one-time-code"' in page


def test_the_password_alone_opens_no_staff_page(client, john, karens_ticket):
    turn_on(john.user)
    sign_in(client)

    for url in [
        HOME,
        reverse("staff:profile"),
        reverse("staff:two-factor"),
        reverse("staff:dashboard"),
        reverse("staff:ticket", kwargs={"number": karens_ticket.number}),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{VERIFY}?next="), url
    posted = client.post(
        reverse("staff:ticket-note", kwargs={"number": karens_ticket.number}), {"body": "x"}
    )
    assert posted.status_code == 302
    assert posted["Location"].startswith(VERIFY)
    assert karens_ticket.thread.filter(kind="note").count() == 0


def test_the_right_code_opens_the_staff_panel(client, john):
    device, _ = turn_on(john.user)
    sign_in(client)

    response = give_code(client, code_for(device, steps_ahead=1), next_url="/scp/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == "/scp/dashboard/"
    assert client.get(HOME).status_code == 200


def test_the_code_step_goes_nowhere_outside_the_site(client, john):
    device, _ = turn_on(john.user)
    sign_in(client)

    response = give_code(client, code_for(device, steps_ahead=1), next_url="https://evil.example/")

    assert response["Location"] == HOME


def test_a_wrong_code_is_said_beside_the_field_and_opens_nothing(client, john):
    turn_on(john.user)
    sign_in(client)

    response = give_code(client, "123456")

    assert response.status_code == 200
    assert "That code is not right" in errors_beside_the_code(response)
    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_garbage_in_the_code_field_is_refused_with_a_message(client, john):
    turn_on(john.user)
    sign_in(client)

    for garbage in ["abc\x00def", "9" * 32, "１２３４５６", "' OR 1=1 --"]:
        response = give_code(client, garbage)
        assert response.status_code == 200, garbage
        assert errors_beside_the_code(response) or "Ensure this value" in response.content.decode()
    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_a_code_works_once(john):
    device, _ = turn_on(john.user)
    code = code_for(device, steps_ahead=1)
    first, second = Client(), Client()
    sign_in(first)
    sign_in(second)

    assert give_code(first, code)["Location"] == HOME
    replayed = give_code(second, code)

    assert replayed.status_code == 200
    assert "That code is not right" in errors_beside_the_code(replayed)
    assert second.get(HOME)["Location"].startswith(VERIFY)


def test_the_code_used_to_set_it_up_cannot_sign_in(client, john):
    device = twofactor.pending_device(john.user)
    code = code_for(device)
    twofactor.confirm_enrolment(john.user, code=code)
    sign_in(client)

    response = give_code(client, code)

    assert "That code is not right" in errors_beside_the_code(response)


def test_a_backup_code_signs_in_once(no_slow_down, john):
    _, codes = turn_on(john.user)
    first, second = Client(), Client()
    sign_in(first)
    sign_in(second)

    used = give_code(first, codes[0].upper())
    again = give_code(second, codes[0])

    assert used["Location"] == HOME
    assert first.get(HOME).status_code == 200
    assert "That code is not right" in errors_beside_the_code(again)
    assert second.get(HOME)["Location"].startswith(VERIFY)
    assert StaticToken.objects.filter(device__user=john.user).count() == len(codes) - 1
    # The others still work.
    assert give_code(second, codes[1])["Location"] == HOME


def test_wrong_codes_in_a_row_slow_the_next_try(client, john):
    device, _ = turn_on(john.user)
    sign_in(client)
    give_code(client, "111111")

    response = give_code(client, code_for(device, steps_ahead=1))

    assert "Too many wrong codes in a row. Wait" in errors_beside_the_code(response)
    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_the_code_step_sends_away_a_session_that_owes_no_code(client, john):
    client.force_login(john.user)

    assert client.get(VERIFY)["Location"] == HOME


def test_the_code_step_sends_anonymous_visitors_to_the_login(client, db):
    assert client.get(VERIFY)["Location"] == LOGIN


def test_another_users_device_in_the_session_verifies_nothing(client, john, jane):
    janes_device, _ = turn_on(jane.user)
    turn_on(john.user)
    sign_in(client)
    session = client.session
    session["otp_device_id"] = janes_device.persistent_id
    session.save()

    assert client.get(HOME)["Location"].startswith(VERIFY)


# Turning it off ---------------------------------------------------------------------------


def signed_in_with_code(client, device):
    sign_in(client)
    give_code(client, code_for(device, steps_ahead=1))


def test_turning_it_off_needs_the_password(no_slow_down, client, john):
    device, _ = turn_on(john.user)
    signed_in_with_code(client, device)

    response = client.post(
        reverse("staff:two-factor-off"), {"password": "wrong", "code": code_for(device)}
    )

    assert response.status_code == 200
    assert '<span id="id_password_error">That password is not right.</span>' in (
        response.content.decode()
    )
    assert twofactor.has_two_factor(john.user)


def test_turning_it_off_needs_a_current_code(no_slow_down, client, john):
    device, _ = turn_on(john.user)
    signed_in_with_code(client, device)

    response = client.post(
        reverse("staff:two-factor-off"), {"password": PASSWORD, "code": "000000"}
    )

    assert "That code is not right" in errors_beside_the_code(response)
    assert twofactor.has_two_factor(john.user)


def test_turning_it_off_with_password_and_code_lets_the_password_sign_in_alone(client, john):
    device, backup = turn_on(john.user)
    sign_in(client)
    give_code(client, backup[0])

    response = client.post(
        reverse("staff:two-factor-off"),
        {"password": PASSWORD, "code": code_for(device, steps_ahead=1)},
    )

    assert response["Location"] == reverse("staff:two-factor")
    assert not twofactor.has_two_factor(john.user)
    assert not StaticToken.objects.exists()
    fresh = Client()
    assert sign_in(fresh)["Location"] == HOME
    assert fresh.get(HOME).status_code == 200


def test_the_off_page_needs_a_verified_session(client, john):
    turn_on(john.user)
    sign_in(client)

    response = client.post(
        reverse("staff:two-factor-off"), {"password": PASSWORD, "code": "000000"}
    )

    assert response["Location"].startswith(VERIFY)
    assert twofactor.has_two_factor(john.user)
