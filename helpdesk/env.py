"""Read settings from environment variables, refusing malformed values.

A typo such as DEBUG=ture must stop the process at start-up with the variable's name,
not silently fall back to a default nobody chose.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int_list(name: str, default: list[int], *, minimum: int = 0) -> list[int]:
    """A comma-separated list of whole numbers, each at least `minimum`."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    try:
        values = [int(item) for item in raw.split(",") if item.strip()]
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a list of whole numbers") from None
    if any(value < minimum for value in values):
        raise ImproperlyConfigured(f"{name}={raw!r} has a number below {minimum}")
    return values


_CACHE_BACKENDS = {
    "redis": "django.core.cache.backends.redis.RedisCache",
    "rediss": "django.core.cache.backends.redis.RedisCache",
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
}


def env_cache(name: str) -> dict:
    """Django's CACHES["default"] from a URL: `redis://host:6379/0` (or `rediss://` for TLS),
    a cache shared by every process; `locmem://` or nothing, each process's own memory."""
    raw = os.environ.get(name, "").strip()
    scheme = raw.partition("://")[0].lower() if "://" in raw else raw.lower()
    if not raw or scheme == "locmem":
        return {"BACKEND": _CACHE_BACKENDS["locmem"]}
    if scheme not in _CACHE_BACKENDS:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a cache URL; use redis://host:6379/0, rediss://… or locmem://"
        )
    return {"BACKEND": _CACHE_BACKENDS[scheme], "LOCATION": raw}
