"""Codes of an authenticator app, computed as the app does (RFC 6238), for the tests."""

import base64
import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor


def code_for_secret(secret: str, *, steps_ahead: int = 0) -> str:
    """The code an app shows for this base32 secret (as the page shows it), now or in a
    later 30-second step (the server accepts the next step too, for a slow clock)."""
    secret = secret.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    return code_for_secret(twofactor.secret_text(device), steps_ahead=steps_ahead)


def turn_on(user) -> tuple[TOTPDevice, list[str]]:
    """Two-factor on for this user, as the profile page does it: the device and the
    backup codes. The code used to confirm is spent, so tests sign in with a later one."""
    device = twofactor.pending_device(user)
    codes = twofactor.confirm_enrolment(user, code=code_for(device))
    device.refresh_from_db()
    return device, codes
