"""Making API keys and checking the one a request carries.

`authenticate(request, permission)` is the one gate of every API endpoint: it counts the
request against its client address's rate first (so that guessing keys is limited too),
finds the key (`X-API-Key`, as osTicket's clients send it, or `Authorization: Bearer`),
checks it is active, unexpired, used from an allowed address, allowed this kind of request
and within its rate, records the use, and returns the key — or raises KeyRefused saying
which check failed.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from api.models import ApiKey
from helpdesk import throttle

# What a key may be used for; each is one of ApiKey's flags.
CREATE_TICKETS = "can_create_tickets"
RUN_CRON = "can_run_cron"
READ = "can_read"
WRITE = "can_write"

_PERMISSION_WORDS = {
    CREATE_TICKETS: "create tickets",
    RUN_CRON: "run cron",
    READ: "read tickets",
    WRITE: "change tickets",
}


@dataclass
class KeyRefused(Exception):
    """The request's key was refused; `reason` says which check failed, for the client."""

    reason: str
    status: int = 401
    retry_after: int | None = None

    def __str__(self):
        return self.reason


def hash_key(key: str) -> str:
    return hashlib.sha256(key.strip().upper().encode()).hexdigest()


def new_key() -> str:
    """A fresh key: 32 hexadecimal characters (128 random bits), as osTicket's keys look."""
    return secrets.token_hex(16).upper()


def issue(key: ApiKey) -> str:
    """Give an unsaved (or re-keyed) ApiKey a fresh key; returns the key, shown only now."""
    plain = new_key()
    key.key_hash = hash_key(plain)
    key.prefix = plain[:8]
    return plain


def client_address(request) -> str | None:
    """The address the request came from (helpdesk.throttle.client_address: REMOTE_ADDR,
    or X-Forwarded-For as far as HELPDESK_TRUSTED_PROXIES trusts it)."""
    return throttle.client_address(request) or None


def key_of(request) -> str:
    """The key the request carries, or ""."""
    key = request.headers.get("X-API-Key", "")
    if not key:
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            key = value
    return key.strip()[:200]


def authenticate(request, permission: str) -> ApiKey:
    """The request's key, if it may do `permission` from here now; else KeyRefused."""
    _count_against_address(request)
    sent = key_of(request)
    if not sent:
        raise KeyRefused(
            "No API key was sent: put it in the X-API-Key header, or send "
            "Authorization: Bearer <key>."
        )
    key = ApiKey.objects.select_related("agent__user").filter(key_hash=hash_key(sent)).first()
    if key is None:
        raise KeyRefused("This API key is not known.")
    if not key.is_active:
        raise KeyRefused("This API key is not active.")
    now = timezone.now()
    if key.is_expired(now):
        raise KeyRefused("This API key has expired.")
    address = client_address(request)
    if not key.allows_address(address):
        raise KeyRefused(f"This API key may not be used from {address or 'an unknown address'}.")
    if not getattr(key, permission):
        raise KeyRefused(f"This API key may not {_PERMISSION_WORDS[permission]}.")
    if (permission in (READ, WRITE)) and (key.agent is None or not key.agent.user.is_active):
        raise KeyRefused("The agent this API key acts as is not active.")
    _count_against_rate(key, now)
    ApiKey.objects.filter(pk=key.pk).update(
        last_used_at=now, last_used_from=address, use_count=F("use_count") + 1
    )
    return key


def _count_against_address(request) -> None:
    """One more request this minute from the client's address, whatever key it carries (or
    none); KeyRefused (429) past HELPDESK_API_REQUESTS_PER_ADDRESS."""
    per_minute = settings.HELPDESK_API_REQUESTS_PER_ADDRESS
    limit = throttle.per_minutes("api-address", per_minute, 1)
    try:
        throttle.count((limit, throttle.client_address(request)))
    except throttle.Throttled as refused:
        raise KeyRefused(
            f"Too many API requests from your address: at most {per_minute} a minute. "
            f"Try again in {refused.retry_after} seconds.",
            status=429,
            retry_after=refused.retry_after,
        ) from None


def _count_against_rate(key: ApiKey, now) -> None:
    """One more request this minute for `key`; KeyRefused (429) past its rate.

    Counted in Django's cache, so a shared cache backend counts across web processes.
    """
    minute = int(now.timestamp()) // 60
    slot = f"api-rate:{key.key_hash[:20]}:{minute}"
    cache.add(slot, 0, timeout=120)
    try:
        used = cache.incr(slot)
    except ValueError:  # the slot expired between add and incr
        cache.set(slot, 1, timeout=120)
        used = 1
    if used > key.rate_per_minute:
        raise KeyRefused(
            f"Too many requests with this API key: at most {key.rate_per_minute} a minute. "
            "Try again in a minute.",
            status=429,
            retry_after=60 - int(now.timestamp()) % 60,
        )
