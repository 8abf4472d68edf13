"""Counting requests against limits, in Django's cache, so that every web process counts
together (with a shared cache backend such as Redis) and no process keeps any state.

A limit allows `count` events per key in a window of `seconds` that opens with the key's
first event; past it, `Throttled` says how long until the window closes. The cache's atomic
`add` and `incr` do the counting, so two requests at once are both counted. Used for
sign-in failures (accounts.lockout, through django-axes), password-reset mail, the status
lookup, the portal's ticket form and the API.

`client_address(request)` is the one answer to "where did this come from": REMOTE_ADDR,
or, only when HELPDESK_TRUSTED_PROXIES says how many proxies in front add to
X-Forwarded-For, the address the outermost of them saw. A header the client sends itself
is never believed, so it cannot reset a limit.
"""

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

_PREFIX = "throttle"


@dataclass(frozen=True)
class Limit:
    """At most `count` events per key in `seconds`; a count of 0 means no limit."""

    scope: str
    count: int
    seconds: int


@dataclass
class Throttled(Exception):
    """A limit was reached: the request is refused for `retry_after` more seconds."""

    limit: Limit
    retry_after: int

    @property
    def minutes(self) -> int:
        """The wait in whole minutes, rounded up, as a page tells a person."""
        return max(1, math.ceil(self.retry_after / 60))

    def __str__(self):
        return f"{self.limit.scope}: try again in {self.retry_after} s"


def client_address(request) -> str:
    """The address the request came from (see the module's docstring); "" if unknown."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.HELPDESK_TRUSTED_PROXIES
    if not proxies:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if not hops:
        return remote
    # Each trusted proxy appends the address it was reached from; anything to the left of
    # what the outermost one added was written by the client and proves nothing.
    candidate = hops[max(0, len(hops) - proxies)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _keys(limit: Limit, key: str) -> tuple[str, str]:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    base = f"{_PREFIX}:{limit.scope}:{digest}"
    return base, base + ":since"


def _retry_after(limit: Limit, since: float | None, now: float) -> int:
    if since is None:
        return limit.seconds
    return max(1, math.ceil(since + limit.seconds - now))


def peek(limit: Limit, key: str) -> None:
    """Raise Throttled if `key` has already used up `limit`; count nothing."""
    if not limit.count or not key:
        return
    counter, since_key = _keys(limit, key)
    found = cache.get_many([counter, since_key])
    if found.get(counter, 0) >= limit.count:
        raise Throttled(limit, _retry_after(limit, found.get(since_key), time.time()))


def used(limit: Limit, key: str) -> int:
    """How many events `key` has had in its current window."""
    return cache.get(_keys(limit, key)[0], 0) if limit.count and key else 0


def hit(limit: Limit, key: str) -> int:
    """Count one event for `key`; returns how many there were in the window, this one too."""
    if not limit.count or not key:
        return 0
    counter, since_key = _keys(limit, key)
    cache.add(since_key, time.time(), timeout=limit.seconds)
    cache.add(counter, 0, timeout=limit.seconds)
    try:
        return cache.incr(counter)
    except ValueError:  # the window closed between add and incr
        cache.set(counter, 1, timeout=limit.seconds)
        return 1


def check(*pairs: tuple[Limit, str]) -> None:
    """Raise Throttled (the longest wait) if any (limit, key) has already reached its limit."""
    refusals = []
    for limit, key in pairs:
        try:
            peek(limit, key)
        except Throttled as refusal:
            refusals.append(refusal)
    if refusals:
        raise max(refusals, key=lambda refusal: refusal.retry_after)


def count(*pairs: tuple[Limit, str]) -> None:
    """Count one event against each (limit, key); raise Throttled if any is now past its
    limit (the limit-th event is the last one allowed), with the longest wait."""
    over = [(limit, key) for limit, key in pairs if limit.count and hit(limit, key) > limit.count]
    if over:
        check(*over)


def clear(limit: Limit, key: str) -> None:
    """Forget `key`'s events against `limit` (a success that wipes the slate)."""
    cache.delete_many(list(_keys(limit, key)))


def per_minutes(scope: str, count: int, minutes: int) -> Limit:
    """A limit of `count` events per `minutes`."""
    return Limit(scope, count, minutes * 60)
