"""Two-factor sign-in for agents: a TOTP authenticator app (RFC 6238) and backup codes.

django-otp keeps the devices: a TOTPDevice for the app (it remembers the last time step
used, so a code works once) and a StaticDevice holding the one-time backup codes. Both slow
down repeated wrong codes. A session is verified once a code was accepted in it
(django_otp.login); until then the staff gates (accounts.decorators) send it to the code
step, so a password alone opens no staff page.

An agent "has two-factor" when they hold a confirmed TOTP device; backup codes come with it
and go with it.
"""

from __future__ import annotations

import base64
import io
import re

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Agent, User
from helpdesk.errors import Refused

BACKUP_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"

WRONG_CODE = "That code is not right. Check the time on your phone and type the newest code."
WRONG_CODE_OR_BACKUP = (
    "That code is not right. Type the newest 6-digit code from your authenticator app, "
    "or one of your unused backup codes."
)
NO_CODE = "Type the 6-digit code from your authenticator app."


class TwoFactorRefused(Refused):
    """A code or a change of two-factor refused; the message says what to do next, and
    `field` which field of the form it is about."""

    def __init__(self, message: str, field: str = "code"):
        super().__init__(message)
        self.field = field


def confirmed_app_devices():
    return TOTPDevice.objects.filter(confirmed=True)


def has_two_factor_filter(user_ref: str = "pk"):
    """An Exists() that is true for users with two-factor on, to annotate a query with
    (the staff gates read it with the agent, in the same query)."""
    return Exists(confirmed_app_devices().filter(user=OuterRef(user_ref)))


def has_two_factor(user: User) -> bool:
    """Whether the user signs in with a code besides their password."""
    return confirmed_app_devices().filter(user=user).exists()


def is_required_for(agent: Agent) -> bool:
    """Whether this agent must turn two-factor on before using the admin panel."""
    return settings.HELPDESK_ADMINS_REQUIRE_2FA and agent.is_admin


def is_required_for_django_admin(user: User) -> bool:
    return settings.HELPDESK_ADMINS_REQUIRE_2FA and user.is_staff


def _normalised(code: str) -> str:
    # People type codes with spaces or dashes, as apps and our backup list show them.
    return re.sub(r"[\s-]", "", code or "").lower()


def _too_many(device) -> TwoFactorRefused | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    until = (info or {}).get("locked_until")
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 60
    return TwoFactorRefused(
        f"Too many wrong codes in a row. Wait {seconds} second{'s' if seconds != 1 else ''}, "
        "then type the newest code."
    )


def _check_app_code(device: TOTPDevice, code: str) -> bool:
    """The code against the app device, the row locked: two requests with the same code at
    once cannot both pass the last-used step."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if (refusal := _too_many(locked)) is not None:
            raise refusal
        return locked.verify_token(code)


def _use_backup_code(device: StaticDevice, code: str) -> bool:
    """Spend a backup code: one DELETE, so that a code pressed twice at once is used once."""
    with transaction.atomic():
        locked = StaticDevice.objects.select_for_update().get(pk=device.pk)
        if (refusal := _too_many(locked)) is not None:
            raise refusal
        used = StaticToken.objects.filter(device=locked, token=code).delete()[0] == 1
        if used:
            locked.throttle_reset(commit=False)
            locked.set_last_used_timestamp(commit=False)
            locked.save()
        else:
            locked.throttle_increment(commit=True)
        return used


def check_code(user: User, code: str):
    """The device that accepts this code at sign-in: a current app code (never one already
    used) or an unused backup code, which is then spent. Refuses a wrong code, and any code
    while too many wrong ones were typed lately."""
    code = _normalised(code)
    if not code:
        raise TwoFactorRefused(NO_CODE)
    if code.isdigit() and len(code) == 6:
        for device in confirmed_app_devices().filter(user=user):
            if _check_app_code(device, code):
                return device
    else:
        for device in StaticDevice.objects.filter(user=user, confirmed=True):
            if _use_backup_code(device, code):
                return device
    raise TwoFactorRefused(WRONG_CODE_OR_BACKUP)


def pending_device(user: User) -> TOTPDevice:
    """The app device being set up for this user (made on first ask, the same one after)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it typed: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_url(device: TOTPDevice) -> str:
    """The device's otpauth:// address drawn as an SVG QR code, as a data: URL for an <img>
    (the CSP allows data: images and no inline markup)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def confirm_enrolment(user: User, *, code: str) -> list[str]:
    """Turn two-factor on with a code from the app just set up; returns the backup codes,
    which are shown once. Refuses a wrong code; keeps the device pending for another try."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        raise TwoFactorRefused("Start again: the set-up of your authenticator app was lost.")
    code = _normalised(code)
    if not code:
        raise TwoFactorRefused(NO_CODE)
    # Outside the transaction below: a wrong code counts towards the slow-down.
    if not _check_app_code(device, code):
        raise TwoFactorRefused(WRONG_CODE)
    with transaction.atomic():
        _remove_devices(user, keep=device)
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        backup = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=backup, token=c) for c in codes)
    return codes


def _remove_devices(user: User, keep=None) -> None:
    app = TOTPDevice.objects.filter(user=user)
    if keep is not None:
        app = app.exclude(pk=keep.pk)
    app.delete()
    StaticDevice.objects.filter(user=user).delete()


def turn_off(user: User, *, password: str, code: str) -> None:
    """Turn the user's two-factor off; needs their password and a current code (or an
    unused backup code)."""
    if not user.check_password(password):
        raise TwoFactorRefused("That password is not right.", field="password")
    check_code(user, code)
    with transaction.atomic():
        _remove_devices(user)


@transaction.atomic
def reset_two_factor(agent: Agent, *, by: Agent) -> bool:
    """An administrator's remedy for a lost phone: the agent's two-factor is turned off and
    they sign in with their password alone until they set it up again. Returns whether it
    was on."""
    if not by.is_admin:
        raise TwoFactorRefused("Only administrators can reset an agent's two-factor sign-in.")
    was_on = has_two_factor(agent.user)
    _remove_devices(agent.user)
    return was_on
