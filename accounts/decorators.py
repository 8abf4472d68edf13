"""Gates for the staff panel and the admin panel.

Anonymous visitors are sent to /scp/login/; a signed-in person who is not an active agent
(or, for the admin panel, not an admin) gets 403 and never a staff page.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agent


def current_agent(request):
    """The signed-in active agent, or None."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return None
    # With its role: every staff page asks what the agent may do.
    agent = Agent.objects.select_related("role").filter(user=user).first()
    if agent is not None:
        agent.user = user
    return agent


def agent_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("staff:login"))
        agent = current_agent(request)
        if agent is None:
            raise PermissionDenied("The staff panel is for agents.")
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
        return view(request, *args, **kwargs)

    return wrapper
