"""The page for a request refused by a limit (helpdesk.throttle): 429, in its area's layout.

It says what happened, that nothing was done, and in how many minutes (rounded up) to try
again; the Retry-After header says the same in seconds.
"""

from django.shortcuts import render
from django.urls import reverse

from helpdesk.throttle import Throttled


def throttled_page(
    request,
    refused: Throttled,
    *,
    area: dict,
    heading: str,
    explanation: str,
    advice: str = "",
    way_out: tuple[str, str],
):
    """`area` is STAFF or PORTAL (accounts.views.auth); `way_out` the URL name and label of
    the link the page offers."""
    url_name, label = way_out
    context = {
        **area,
        "heading": heading,
        "explanation": explanation,
        "advice": advice,
        "minutes": refused.minutes,
        "home_url": reverse(url_name),
        "home_label": label,
    }
    response = render(request, "accounts/throttled.html", context, status=429)
    response["Retry-After"] = str(refused.retry_after)
    return response
