"""Signing in and out, and password reset by email, for the staff panel and the portal.

The two areas share Django's views and one set of templates; they differ in the layout,
the URL names and who may sign in (agents only at /scp/login/).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse, reverse_lazy

from accounts import twofactor
from accounts.forms import OutboxPasswordResetForm, PortalLoginForm, StaffLoginForm
from accounts.views.throttled import throttled_page
from helpdesk import throttle


def _area(namespace: str, base_template: str) -> dict:
    return {
        "base_template": base_template,
        "login_url_name": f"{namespace}:login",
        "reset_url_name": f"{namespace}:password-reset",
    }


STAFF = _area("staff", "staff/base.html")
PORTAL = _area("portal", "portal/base.html")


class StaffLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = StaffLoginForm
    next_page = reverse_lazy("staff:home")
    extra_context = {**STAFF, "login_title": "Agent Log In", "login_button": "Log In"}

    def get_success_url(self):
        # With two-factor on, the password leads to the code step, not yet to the page.
        url = super().get_success_url()
        if twofactor.has_two_factor(self.request.user):
            return f"{reverse('staff:two-factor-verify')}?{urlencode({'next': url})}"
        return url


class PortalLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = PortalLoginForm
    next_page = reverse_lazy("portal:my-tickets")
    extra_context = {**PORTAL, "login_title": "Sign In", "login_button": "Sign In"}


class StaffLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("staff:login")


class PortalLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("portal:home")


def reset_limits(request, email: str) -> list[tuple[throttle.Limit, str]]:
    """Reset mail is limited per address typed (whether or not it has an account, so the
    answer never tells) and per client address."""
    minutes = settings.HELPDESK_PASSWORD_RESET_WINDOW_MINUTES
    per_email = settings.HELPDESK_PASSWORD_RESETS_PER_EMAIL
    per_address = settings.HELPDESK_PASSWORD_RESETS_PER_ADDRESS
    return [
        (throttle.per_minutes("reset-email", per_email, minutes), email.strip().lower()),
        (
            throttle.per_minutes("reset-address", per_address, minutes),
            throttle.client_address(request),
        ),
    ]


RESET_REFUSED = {
    "heading": "Too many password reset requests",
    "explanation": (
        "We have had too many requests to reset a password for this email address, or from "
        "your network, so no email was sent this time. An email we sent before may still be "
        "on its way: please check your inbox and your spam folder."
    ),
}


def _reset_views(namespace: str, area: dict):
    """The four password-reset views of one area, wired to that area's URL names."""

    class Request(auth_views.PasswordResetView):
        form_class = OutboxPasswordResetForm
        template_name = "accounts/password_reset.html"
        email_template_name = "emails/password_reset.txt"
        subject_template_name = "emails/password_reset_subject.txt"
        success_url = reverse_lazy(f"{namespace}:password-reset-sent")
        extra_email_context = {"confirm_url_name": f"{namespace}:password-reset-confirm"}
        extra_context = area

        def form_valid(self, form):
            try:
                throttle.count(*reset_limits(self.request, form.cleaned_data["email"]))
            except throttle.Throttled as refused:
                return throttled_page(
                    self.request,
                    refused,
                    area=area,
                    way_out=(area["login_url_name"], "Back to sign in"),
                    **RESET_REFUSED,
                )
            return super().form_valid(form)

    class Sent(auth_views.PasswordResetDoneView):
        template_name = "accounts/password_reset_sent.html"
        extra_context = area

    class Confirm(auth_views.PasswordResetConfirmView):
        template_name = "accounts/password_reset_confirm.html"
        success_url = reverse_lazy(f"{namespace}:password-reset-done")
        extra_context = area

    class Done(auth_views.PasswordResetCompleteView):
        template_name = "accounts/password_reset_done.html"
        extra_context = area

    return Request, Sent, Confirm, Done


def reset_urls(namespace: str):
    """URL patterns of the reset flow, to include in an area's urlpatterns."""
    from django.urls import path

    area = STAFF if namespace == "staff" else PORTAL
    request, sent, confirm, done = _reset_views(namespace, area)
    return [
        path("password-reset/", request.as_view(), name="password-reset"),
        path("password-reset/sent/", sent.as_view(), name="password-reset-sent"),
        path("password-reset/done/", done.as_view(), name="password-reset-done"),
        path("password-reset/<uidb64>/<token>/", confirm.as_view(), name="password-reset-confirm"),
    ]
