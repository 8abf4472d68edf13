"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

_PROCESS_LOCAL = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Production runs several processes (make serve's gunicorn workers, the worker): rate
    counts and throttles kept in each process's own memory would each allow the full rate."""
    if settings.CACHES["default"]["BACKEND"] not in _PROCESS_LOCAL:
        return []
    return [
        Warning(
            "Each process keeps its own cache, so rate limits and throttles count per process "
            "and several web processes together allow several times each limit.",
            hint="Set CACHE_URL to a Redis every process reaches, e.g. redis://127.0.0.1:6379/0.",
            id="helpdesk.W001",
        )
    ]
