"""Send the heavy read pages' queries to a read replica (DATABASE_REPLICA_URL), and nothing else.

The rule is opt-in: a query goes to the "replica" alias only while code runs inside
`reading_replica()` (the `replica_reads` view decorator enters it for the queue pages, search,
the dashboard and its CSV exports), and even then not

- when no replica is configured;
- inside a transaction on the primary (a service that reads, then writes, reads what it
  locks and writes on the primary);
- for a write: writes always go to the primary, also for a row that was read from the replica;
- for a person who has just changed something (read-your-writes): any POST, PUT, PATCH or
  DELETE sets a short-lived cookie (REPLICA_PIN_SECONDS), and while it is there their pages
  read the primary, so the page they are sent to after a change shows it.

The whole page reads one alias: the list and the visibility rule (`visible_to`) that filters it
run against the same copy, so a lagging replica shows an older picture, never a mixed one.
"""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import StreamingHttpResponse

REPLICA_DB_ALIAS = "replica"
# Set on any response to a request that may have changed something; while the browser sends
# it back, its pages read the primary.
PIN_COOKIE = "hd_read_primary"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_reading_replica = contextvars.ContextVar("reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA_DB_ALIAS in settings.DATABASES


@contextmanager
def reading_replica() -> Iterator[None]:
    """Within this block, reads outside a transaction go to the replica (if there is one)."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def _stream_reading_replica(chunks):
    # A streamed export is produced after the view has returned: read it from the replica too.
    with reading_replica():
        yield from chunks


def replica_reads(view):
    """Mark a read-only page whose queries may go to the replica (see the module's rule).

    The page's person is loaded before, from the primary: signing in must not wait for the
    replica to catch up.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            not replica_configured()
            or request.method not in _SAFE_METHODS
            or PIN_COOKIE in request.COOKIES
        ):
            return view(request, *args, **kwargs)
        with reading_replica():
            response = view(request, *args, **kwargs)
        if isinstance(response, StreamingHttpResponse):
            response.streaming_content = _stream_reading_replica(response.streaming_content)
        return response

    return wrapper


class ReplicaPinMiddleware:
    """After a request that may have written, pin the person's reads to the primary for
    REPLICA_PIN_SECONDS, so that they see their own change wherever they go next."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in _SAFE_METHODS and replica_configured():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.HELPDESK_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


class ReplicaRouter:
    """DATABASE_ROUTERS entry: the replica for reads inside `reading_replica()`, else no say."""

    def db_for_read(self, model, **hints):
        if not (_reading_replica.get() and replica_configured()):
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA_DB_ALIAS

    def db_for_write(self, model, **hints):
        # Also for an object that was read from the replica.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: a row read from one may refer to a row of the
        # other.
        aliases = {DEFAULT_DB_ALIAS, REPLICA_DB_ALIAS}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None
