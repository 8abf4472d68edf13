"""Gates for the staff panel and the admin panel.

Anonymous visitors are sent to /scp/login/; a signed-in person who is not an active agent
(or, for the admin panel, not an admin) gets 403 and never a staff page.

Two-factor sign-in is decided here too, for every staff and admin-panel page: an agent with
two-factor on whose session has not yet given a code is sent to the code step, and where
HELPDESK_ADMINS_REQUIRE_2FA is on an administrator without it is sent to set it up before
any admin-panel page opens. Django's admin asks the same questions (accounts.admin_site).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from accounts import twofactor
from accounts.models import Agent

MUST_ENROL = (
    "Administrators must sign in with two-factor. Set it up here to continue to the admin panel."
)


def current_agent(request):
    """The signed-in active agent, or None; `has_two_factor` says whether they sign in
    with a code (read in the same query)."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return None
    # With its role: every staff page asks what the agent may do.
    agent = (
        Agent.objects.select_related("role")
        .annotate(has_two_factor=twofactor.has_two_factor_filter("user"))
        .filter(user=user)
        .first()
    )
    if agent is not None:
        agent.user = user
    return agent


def is_verified(request) -> bool:
    """Whether a code was accepted in this session (django-otp's OTPMiddleware says)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def code_step(request):
    """The redirect to the code step, coming back here afterwards."""
    return redirect_to_login(request.get_full_path(), reverse("staff:two-factor-verify"))


def enrol_step(request):
    messages.info(request, MUST_ENROL)
    return redirect("staff:two-factor")


def agent_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("staff:login"))
        agent = current_agent(request)
        if agent is None:
            raise PermissionDenied("The staff panel is for agents.")
        if agent.has_two_factor and not is_verified(request):
            # The password alone opens nothing: the code comes first.
            return code_step(request)
        request.agent = agent
        # Every time on a staff page is shown in the agent's own zone.
        timezone.activate(agent.timezone)
        try:
            return view(request, *args, **kwargs)
        finally:
            timezone.deactivate()

    return wrapper


def admin_required(view):
    @agent_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.agent.is_admin:
            raise PermissionDenied("The admin panel is for administrators.")
        if not request.agent.has_two_factor and twofactor.is_required_for(request.agent):
            return enrol_step(request)
        return view(request, *args, **kwargs)

    return wrapper
