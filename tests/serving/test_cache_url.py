"""CACHE_URL picks Django's cache: Redis, shared by every process, or each process's own
memory. What one process keeps in a Redis cache, another reads."""

import os
import subprocess
import sys
import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured

from helpdesk.env import env_cache
from tests.serving.stack import REDIS_URL, ROOT


def in_a_process(code: str, cache_url: str) -> str:
    """Run `code` in `manage.py shell` of its own, with this CACHE_URL; what it printed."""
    env = {**os.environ, "CACHE_URL": cache_url}
    done = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "shell", "--no-startup", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_a_redis_url_picks_djangos_redis_cache(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "redis://cache.internal:6379/2")

    assert env_cache("CACHE_URL") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
    }


@pytest.mark.parametrize("value", ["", "locmem://"])
def test_without_a_shared_cache_each_process_keeps_its_own(monkeypatch, value):
    monkeypatch.setenv("CACHE_URL", value)

    assert env_cache("CACHE_URL") == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


def test_a_cache_url_of_another_kind_stops_start_up_with_its_name(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "memcached://127.0.0.1:11211")

    with pytest.raises(ImproperlyConfigured, match="CACHE_URL='memcached://"):
        env_cache("CACHE_URL")


def test_a_value_kept_by_one_process_is_read_by_another_through_redis():
    key = f"served-test:{uuid.uuid4().hex}"
    setter = f"from django.core.cache import cache; cache.set({key!r}, 'kept', 60); print('ok')"
    getter = (
        "from django.conf import settings; from django.core.cache import cache; "
        f"print(settings.CACHES['default']['BACKEND'], cache.get({key!r}))"
    )

    assert in_a_process(setter, REDIS_URL) == "ok"
    assert in_a_process(getter, REDIS_URL) == ("django.core.cache.backends.redis.RedisCache kept")
    # Each process's own memory: the second process has never seen it.
    in_a_process(setter, "locmem://")
    assert in_a_process(getter, "locmem://").endswith("LocMemCache None")
