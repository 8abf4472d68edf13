"""Administrators and two-factor: ADMINS_REQUIRE_2FA sends an admin without it to set it up
before any admin-panel or Django admin page opens; an admin resets an agent's two-factor;
a session that gave only a password opens no page of either."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from accounts.decorators import MUST_ENROL
from tests import factories
from tests.accounts.twofactor_helpers import code_for, turn_on

# The matrix's cast of agents and objects, as a fixture of this module too.
from tests.test_access_control_matrix import MATRIX, PUBLIC, cast  # noqa: F401

PASSWORD = "correct horse battery staple"
ENROL = reverse("staff:two-factor")
VERIFY = reverse("staff:two-factor-verify")
ADMIN_PANEL = reverse("admin-panel:home")
DJANGO_ADMIN = reverse("admin:index")


@pytest.fixture
def required(settings):
    settings.HELPDESK_ADMINS_REQUIRE_2FA = True


@pytest.fixture
def superuser_admin(admin_agent):
    """The administrator, also allowed into Django's admin."""
    admin_agent.user.is_staff = True
    admin_agent.user.is_superuser = True
    admin_agent.user.save()
    return admin_agent


def sign_in_with_code(client, agent, device):
    client.post(reverse("staff:login"), {"username": agent.user.email, "password": PASSWORD})
    response = client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
    assert response.status_code == 302
    return client


# Required for administrators --------------------------------------------------------------


def test_when_required_an_admin_without_it_is_sent_to_set_it_up(required, client, superuser_admin):
    client.force_login(superuser_admin.user)

    for url in [ADMIN_PANEL, reverse("admin-panel:agent-list"), DJANGO_ADMIN]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == ENROL, url
    page = client.get(ENROL).content.decode()
    assert "Administrators must sign in with two-factor." in page
    assert "Turn On Two-Factor" in page


def test_when_required_an_admins_post_is_refused_too(required, client, admin_agent, john):
    client.force_login(admin_agent.user)

    response = client.post(reverse("admin-panel:agent-deactivate", kwargs={"pk": john.pk}))

    assert response["Location"] == ENROL
    john.user.refresh_from_db()
    assert john.user.is_active


def test_when_required_the_staff_pages_still_open_for_an_admin(required, client, admin_agent):
    client.force_login(admin_agent.user)

    assert client.get(reverse("staff:home")).status_code == 200


def test_when_required_agents_who_are_not_admins_are_unaffected(required, client, john):
    client.force_login(john.user)

    assert client.get(reverse("staff:home")).status_code == 200
    assert client.get(ENROL).status_code == 200
    assert "Administrators must" not in client.get(ENROL).content.decode()


def test_when_required_an_admin_with_it_uses_the_admin_panel(required, superuser_admin):
    device, _ = turn_on(superuser_admin.user)
    client = sign_in_with_code(Client(), superuser_admin, device)

    assert client.get(ADMIN_PANEL).status_code == 200
    assert client.get(DJANGO_ADMIN).status_code == 200


def test_when_not_required_an_admin_without_it_uses_the_admin_panel(client, superuser_admin):
    client.force_login(superuser_admin.user)

    assert client.get(ADMIN_PANEL).status_code == 200
    assert client.get(DJANGO_ADMIN).status_code == 200


@pytest.mark.parametrize(("value", "expected"), [(None, "False"), ("1", "True"), ("off", "False")])
def test_the_setting_comes_from_the_environment_and_is_off_by_default(value, expected):
    env = {k: v for k, v in os.environ.items() if k != "ADMINS_REQUIRE_2FA"}
    if value is not None:
        env["ADMINS_REQUIRE_2FA"] = value
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.HELPDESK_ADMINS_REQUIRE_2FA)",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "helpdesk.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )

    assert shown.stdout.strip() == expected


def test_the_message_tells_the_admin_why(required, client, admin_agent):
    client.force_login(admin_agent.user)

    page = client.get(ADMIN_PANEL, follow=True).content.decode()

    assert MUST_ENROL.split(".")[0] in page


# The code step guards Django's admin as well ----------------------------------------------


def test_django_admin_asks_for_the_code_after_its_own_password_login(superuser_admin):
    device, _ = turn_on(superuser_admin.user)
    client = Client()
    client.post(
        reverse("admin:login"), {"username": superuser_admin.user.email, "password": PASSWORD}
    )

    response = client.get(DJANGO_ADMIN)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{VERIFY}?next=")
    client.post(VERIFY, {"code": code_for(device, steps_ahead=1), "next": DJANGO_ADMIN})
    assert client.get(DJANGO_ADMIN).status_code == 200


# A password alone opens no staff page at all ----------------------------------------------


@pytest.mark.parametrize(
    "row",
    [
        row
        for row in MATRIX
        if row.expected != PUBLIC
        # Signing out, and the code step itself, are what such a session may do.
        and row.name not in {"staff:logout", "staff:two-factor-verify"}
    ],
    ids=lambda row: f"{row.method.upper()} {row.name}",
)
def test_a_password_without_the_code_opens_no_staff_page(client, cast, row):  # noqa: F811
    people, objects = cast
    admin = people["admin"]
    turn_on(admin)
    client.post(reverse("staff:login"), {"username": admin.email, "password": PASSWORD})
    assert "_auth_user_id" in client.session

    url = reverse(row.name, kwargs=objects.get(row.kwargs, {}))
    response = getattr(client, row.method)(url)

    assert response.status_code == 302, row.name
    assert response["Location"].startswith(f"{VERIFY}?next="), row.name


# An administrator resets an agent's two-factor --------------------------------------------


def test_an_admin_resets_an_agents_two_factor(as_admin, john):
    turn_on(john.user)
    agent_page = reverse("admin-panel:agent-edit", kwargs={"pk": john.pk})
    assert "Reset Two-Factor Sign-In" in as_admin.get(agent_page).content.decode()

    response = as_admin.post(reverse("admin-panel:agent-reset-two-factor", kwargs={"pk": john.pk}))

    assert response["Location"] == agent_page
    assert not twofactor.has_two_factor(john.user)
    assert not TOTPDevice.objects.filter(user=john.user).exists()
    assert not StaticDevice.objects.filter(user=john.user).exists()
    page = as_admin.get(agent_page).content.decode()
    assert "is reset" in page
    assert "Reset Two-Factor Sign-In" not in page
    # John signs in with his password alone again.
    johns = Client()
    johns.post(reverse("staff:login"), {"username": "john@example.com", "password": PASSWORD})
    assert johns.get(reverse("staff:home")).status_code == 200


def test_a_reset_ends_the_need_for_a_code_in_sessions_already_waiting_for_one(as_admin, john):
    turn_on(john.user)
    johns = Client()
    johns.post(reverse("staff:login"), {"username": "john@example.com", "password": PASSWORD})
    assert johns.get(reverse("staff:home"))["Location"].startswith(VERIFY)

    as_admin.post(reverse("admin-panel:agent-reset-two-factor", kwargs={"pk": john.pk}))

    assert johns.get(reverse("staff:home")).status_code == 200


def test_an_agent_who_is_not_an_admin_cannot_reset(client, john, support, all_access):
    other = factories.AgentFactory(department=support, role=all_access)
    turn_on(other.user)
    client.force_login(john.user)

    response = client.post(reverse("admin-panel:agent-reset-two-factor", kwargs={"pk": other.pk}))

    assert response.status_code == 403
    assert twofactor.has_two_factor(other.user)


def test_the_reset_service_refuses_a_non_admin(john, jane):
    turn_on(jane.user)

    with pytest.raises(twofactor.TwoFactorRefused):
        twofactor.reset_two_factor(jane, by=john)
    assert twofactor.has_two_factor(jane.user)
