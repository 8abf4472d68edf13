"""When the database is away: how to recognise it, and the words that say so.

A database that is restarting, unreachable or (on SQLite) cannot be opened raises
OperationalError or InterfaceError from wherever the request happened to touch it. Those are
not bugs of ours and nothing the person sent was saved (every change runs in one
transaction), so they are answered 503 with Retry-After, in the area's own format: an HTML
page (accounts.views.errors.server_error), a plain-text line for osTicket's API, an RFC 9457
problem under /api/v1/. Django reconnects by itself once the database is back
(conn_health_checks), so nothing needs restarting.
"""

from django.db import InterfaceError, OperationalError

# Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30

HEADING = "The helpdesk cannot reach its database just now"
EXPLANATION = (
    "Nothing you sent was saved. This is on our side and usually passes in a minute: please "
    "try again shortly."
)
# One line, for clients of the API.
API_DETAIL = (
    "The helpdesk cannot reach its database just now; nothing was saved. Try again in a minute."
)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether this error (or one it was raised from or while handling) says the database
    could not be reached or used, rather than that our code is wrong."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False
