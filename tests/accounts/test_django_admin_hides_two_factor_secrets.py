"""Django's admin never shows an agent's TOTP secret: django-otp's configuration and QR code
pages answer 403 for any device, and a device id that does not exist is no 500 (the fuzzer
found django-otp's pages looking the device up without a 404)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories


@pytest.fixture
def root_client(client, db):
    root = factories.UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    client.force_login(root)
    return client


@pytest.mark.parametrize("page", ["config", "qrcode"])
def test_a_devices_secret_is_never_shown(root_client, john, page):
    device = TOTPDevice.objects.create(user=john.user, name="phone", confirmed=True)

    response = root_client.get(f"/django-admin/otp_totp/totpdevice/{device.pk}/{page}/")

    assert response.status_code == 403
    assert device.key not in response.content.decode()


@pytest.mark.parametrize("page", ["config", "qrcode"])
def test_a_device_that_does_not_exist_is_no_server_error(root_client, page):
    response = root_client.get(f"/django-admin/otp_totp/totpdevice/923962/{page}/")

    assert response.status_code == 403
