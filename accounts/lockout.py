"""Sign-in throttling for the staff panel, the portal and Django's admin, through django-axes.

Axes watches every sign-in (its backend comes first in AUTHENTICATION_BACKENDS and refuses a
locked-out one before any password is checked; Django's login signals tell it of failures
and successes). What it counts with is ours: `LockoutHandler` keeps the failures in Django's
cache through helpdesk.throttle, so every web process shares them and none keeps state of
its own, and it holds two limits at once, which axes' own handlers cannot: few failures per
account (HELPDESK_LOGIN_FAILURES_PER_ACCOUNT), more per client address
(HELPDESK_LOGIN_FAILURES_PER_ADDRESS, for an office behind one address), in a window of
HELPDESK_LOGIN_LOCKOUT_MINUTES.

The failure that reaches a limit, and every sign-in after it until the window closes (the
right password too), is answered by `lockout_response`: a 429 page in the layout of the page
the person was on, saying when to try again. A successful sign-in clears the account's
failures (not the address's: one good account must not wipe the slate for guesses at
others). The account counted is the address typed, whether or not it exists, so the
lockout says nothing about which accounts there are.
"""

from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.handlers.base import AbstractAxesHandler, AxesBaseHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render

from accounts.emails import normalise_or_none
from accounts.views.errors import too_many_requests
from helpdesk import throttle

ADMIN_PREFIX = "/django-admin/"


def typed_account(request, credentials=None) -> str:
    """The account a sign-in is for, as typed (any case, stray spaces): one address, one
    count."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username", "")
    typed = str(username or "").strip()
    # Every form of one address (case, unicode or punycode domain) is one account to count.
    return (normalise_or_none(typed) or typed).lower()


def _per_account() -> throttle.Limit:
    return throttle.per_minutes(
        "login-account",
        settings.HELPDESK_LOGIN_FAILURES_PER_ACCOUNT,
        settings.HELPDESK_LOGIN_LOCKOUT_MINUTES,
    )


def _per_address() -> throttle.Limit:
    return throttle.per_minutes(
        "login-address",
        settings.HELPDESK_LOGIN_FAILURES_PER_ADDRESS,
        settings.HELPDESK_LOGIN_LOCKOUT_MINUTES,
    )


def _limits(request, credentials) -> list[tuple[throttle.Limit, str]]:
    address = getattr(request, "axes_ip_address", None) or throttle.client_address(request)
    return [
        (_per_account(), typed_account(request, credentials)),
        (_per_address(), address),
    ]


def refusal(request, credentials=None) -> throttle.Throttled | None:
    """Why sign-in is refused for this request now, with the wait; None if it is not."""
    try:
        throttle.check(*_limits(request, credentials))
    except throttle.Throttled as refused:
        return refused
    return None


def failure_limit(request, credentials) -> int:
    """AXES_FAILURE_LIMIT, for what axes reports; the handler holds both limits itself."""
    return settings.HELPDESK_LOGIN_FAILURES_PER_ACCOUNT


def cool_off(request) -> timedelta:
    return timedelta(minutes=settings.HELPDESK_LOGIN_LOCKOUT_MINUTES)


class LockoutBackend(AxesStandaloneBackend):
    """Axes' gate, refusing a locked-out sign-in. A sign-in without a request (a management
    command, the test client's login()) is no web form anybody can hammer: it is let through
    to the next backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutHandler(AbstractAxesHandler, AxesBaseHandler):
    """Axes' handler: sign-in failures counted per account and per address in the cache."""

    def is_locked(self, request, credentials=None) -> bool:
        return refusal(request, credentials) is not None

    def get_failures(self, request, credentials=None) -> int:
        # Axes' reports only; is_locked above decides.
        return max(throttle.used(limit, key) for limit, key in _limits(request, credentials))

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is None or self.is_whitelisted(request, credentials):
            return
        if request.axes_locked_out:
            # Refused by the lockout before any password was checked: not a guess, not counted.
            request.axes_credentials = credentials
            return
        limits = _limits(request, credentials)
        for limit, key in limits:
            throttle.hit(limit, key)
        if self.is_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=typed_account(request, credentials),
                ip_address=request.axes_ip_address,
            )

    def user_logged_in(self, sender, request, user, **kwargs):
        throttle.clear(_per_account(), user.get_username().strip().lower())

    def user_logged_out(self, sender, request, user, **kwargs):
        pass

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False) -> int:
        """`manage.py axes_reset_ip` / `axes_reset_username`: lift a lockout by hand."""
        cleared = 0
        if username:
            throttle.clear(_per_account(), username.strip().lower())
            cleared += 1
        if ip_address:
            throttle.clear(_per_address(), ip_address)
            cleared += 1
        return cleared


HEADING = "Signing in is paused"
EXPLANATION = (
    "There were too many unsuccessful attempts to sign in to this account, or from your "
    "network, so signing in is paused for a while to protect the account. You were not "
    "signed in."
)
ADVICE = "If you have forgotten your password, you can set a new one by email meanwhile."


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the 429 page, in the layout of the sign-in page used."""
    refused = refusal(request, credentials) or throttle.Throttled(
        throttle.per_minutes("login", 1, settings.HELPDESK_LOGIN_LOCKOUT_MINUTES),
        settings.HELPDESK_LOGIN_LOCKOUT_MINUTES * 60,
    )
    if not request.path.startswith(ADMIN_PREFIX):
        return too_many_requests(
            request,
            refused,
            heading=HEADING,
            explanation=EXPLANATION,
            advice=ADVICE,
            reset_link=True,
        )
    context = {
        **admin.site.each_context(request),
        "title": HEADING,
        "explanation": EXPLANATION,
        "minutes": refused.minutes,
    }
    response = render(request, "admin/login_throttled.html", context, status=429)
    response["Retry-After"] = str(refused.retry_after)
    return response
