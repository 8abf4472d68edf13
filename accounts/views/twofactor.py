"""Two-factor sign-in for agents: the code step after the password, and setting it up or
turning it off from the agent's profile (accounts.twofactor does the work)."""

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import twofactor
from accounts.decorators import agent_required, current_agent, is_verified
from accounts.forms import TwoFactorCodeForm, TwoFactorOffForm


def _next_url(request) -> str:
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("staff:home")


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of the staff sign-in: the code from the agent's app, or a backup
    code. Only for a signed-in agent with two-factor on whose session has not given one."""
    if not request.user.is_authenticated:
        return redirect("staff:login")
    agent = current_agent(request)
    if agent is None or not agent.has_two_factor or is_verified(request):
        return redirect(_next_url(request))
    form = TwoFactorCodeForm(request.POST or None, backup_allowed=True)
    if request.method == "POST" and form.is_valid():
        try:
            device = twofactor.check_code(request.user, form.cleaned_data["code"])
        except twofactor.TwoFactorRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            # A new session key for the more trusted session, as at the password step.
            request.session.cycle_key()
            django_otp.login(request, device)
            if device.persistent_id.startswith("otp_static"):
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"You signed in with a backup code; {left} are left. "
                    "Each works once: set up your app again from My Profile if you lost it.",
                )
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@agent_required
def manage(request):
    """Whether two-factor is on; while it is off, the QR code and secret of a new app
    device and the field for its first code, which turns it on and shows backup codes."""
    if request.agent.has_two_factor:
        return render(request, "accounts/two_factor.html", {"is_on": True})
    device = twofactor.pending_device(request.user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.confirm_enrolment(request.user, code=form.cleaned_data["code"])
        except twofactor.TwoFactorRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            # The code just typed proves the phone: this session counts as verified.
            device.refresh_from_db()
            django_otp.login(request, device)
            return render(request, "accounts/two_factor_backup_codes.html", {"codes": codes})
    return render(
        request,
        "accounts/two_factor.html",
        {
            "is_on": False,
            "form": form,
            "qr_code": twofactor.qr_code_data_url(device),
            "secret": twofactor.secret_text(device),
            "issuer": settings.OTP_TOTP_ISSUER,
            "required": twofactor.is_required_for(request.agent),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@agent_required
def turn_off(request):
    """Turn two-factor off, with the password and a current code."""
    if not request.agent.has_two_factor:
        return redirect("staff:two-factor")
    form = TwoFactorOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            twofactor.turn_off(
                request.user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
            )
        except twofactor.TwoFactorRefused as refusal:
            form.add_error(refusal.field, str(refusal))
        else:
            messages.success(
                request, "Two-factor sign-in is off. You sign in with your password alone."
            )
            return redirect("staff:two-factor")
    return render(request, "accounts/two_factor_off.html", {"form": form})
