"""The pages for a refused (403), missing (404) or failed (500) request.

Each is shown in the layout of the area its address belongs to: under /scp/ the staff
panel's (but the portal's for a signed-in end user, who never sees the staff panel),
elsewhere the portal's; each says what happened in plain words and links home.
The 500 page is made from the address alone, never from the session, the user or the
messages: whatever failed, the database included, must not also fail the page saying so.
"""

import sys

from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.csrf import requires_csrf_token

from accounts.decorators import current_agent
from accounts.views.auth import PORTAL, STAFF
from accounts.views.throttled import throttled_page
from helpdesk import outage
from helpdesk.throttle import Throttled

FORBIDDEN = {
    "heading": "You cannot do this",
    "explanation": "Your account does not allow this page or this action.",
}
NOT_FOUND = {
    "heading": "Page not found",
    "explanation": (
        "There is nothing at this address that you can see. The link may be mistyped or "
        "out of date."
    ),
}
SERVER_ERROR = {
    "heading": "Something went wrong on our side",
    "explanation": (
        "The helpdesk could not finish this request. This is our fault, not yours: please "
        "try again in a few minutes. If you were sending or saving something, check whether "
        "it went through before you try again."
    ),
}
DATABASE_AWAY = {"heading": outage.HEADING, "explanation": outage.EXPLANATION}
QUEUES = {"home_url_name": "staff:home", "home_label": "Back to the ticket queues"}
PORTAL_HOME = {"home_url_name": "portal:home", "home_label": "Go to the Support Center"}


def _in_staff_area(request) -> bool:
    return request.path.startswith(reverse("staff:home"))


def _area(request) -> dict:
    """The layout and the way home for a 403 or 404 page."""
    if not _in_staff_area(request):
        return {**PORTAL, **PORTAL_HOME}
    # The header shows the agent's menu only when it knows the agent; a missing address
    # never reached agent_required, which tells it.
    if not hasattr(request, "agent"):
        request.agent = current_agent(request) if hasattr(request, "user") else None
    user = getattr(request, "user", None)
    if request.agent is None and user is not None and user.is_authenticated:
        # An end user never sees the staff panel, not even its header; the queues would
        # only refuse them again.
        return {**PORTAL, **PORTAL_HOME}
    return {**STAFF, **QUEUES}


def _page(area: dict, words: dict, **extra) -> dict:
    return {**area, **words, "home_url": reverse(area["home_url_name"]), **extra}


def _reason(exception) -> str:
    """What a PermissionDenied says, if anything: this project writes those for people."""
    message = exception.args[0] if exception.args else ""
    return message if isinstance(message, str) else ""


@requires_csrf_token
def permission_denied(request, exception):
    context = _page(_area(request), FORBIDDEN, reason=_reason(exception))
    return render(request, "accounts/error.html", context, status=403)


@requires_csrf_token
def page_not_found(request, exception):
    # What an Http404 says is not shown: the resolver's lists the URL patterns it tried.
    return render(request, "accounts/error.html", _page(_area(request), NOT_FOUND), status=404)


def server_error(request):
    area = {**STAFF, **QUEUES} if _in_staff_area(request) else {**PORTAL, **PORTAL_HOME}
    # Django calls this handler while it handles the exception, which is how a database
    # that is away (a 503 to try again, not our bug) is told from any other failure.
    if outage.database_unavailable(sys.exc_info()[1]):
        return _database_away(request, area)
    # Without the request, so without context processors: no session, user or messages.
    body = loader.render_to_string("accounts/server_error.html", _page(area, SERVER_ERROR))
    return HttpResponseServerError(body)


def too_many_requests(request, refused: Throttled, *, reset_link: bool = False, **words):
    """The 429 page (accounts.views.throttled) in the layout of the area the request's
    address belongs to; `reset_link` offers to set a new password instead of the way home."""
    area = _area(request)
    way_out = (area["home_url_name"], area["home_label"])
    if reset_link:
        way_out = (area["reset_url_name"], "Set a new password by email")
    return throttled_page(request, refused, area=area, way_out=way_out, **words)


def _database_away(request, area: dict) -> HttpResponse:
    """503 in the format the address speaks: plain text for osTicket's API, a problem under
    /api/v1/ (which answers its own errors, api.rest.errors), a page elsewhere."""
    if request.path.startswith("/api/") and not request.path.startswith("/api/v1/"):
        response = HttpResponse(
            outage.API_DETAIL + "\n", status=503, content_type="text/plain; charset=utf-8"
        )
    else:
        body = loader.render_to_string("accounts/server_error.html", _page(area, DATABASE_AWAY))
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(outage.RETRY_AFTER_SECONDS)
    return response
