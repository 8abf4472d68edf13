"""helpdesk.throttle: limits counted in Django's cache, and whose address a request is."""

import time

import pytest
from django.test import RequestFactory

from helpdesk import throttle

LIMIT = throttle.per_minutes("test", 3, 10)


@pytest.fixture
def clock(monkeypatch):
    """time.time(), which the throttle and the local-memory cache both read, under the
    test's control."""
    now = [1_800_000_000.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


def test_the_limit_th_event_is_the_last_allowed(clock):
    for _ in range(3):
        throttle.count((LIMIT, "198.51.100.7"))

    with pytest.raises(throttle.Throttled) as refused:
        throttle.count((LIMIT, "198.51.100.7"))

    assert refused.value.retry_after == 600
    assert refused.value.minutes == 10


def test_the_wait_runs_from_the_first_event_and_is_rounded_up_to_minutes(clock):
    throttle.count((LIMIT, "k"))
    clock[0] += 250
    throttle.count((LIMIT, "k"))
    throttle.count((LIMIT, "k"))

    with pytest.raises(throttle.Throttled) as refused:
        throttle.check((LIMIT, "k"))

    assert refused.value.retry_after == 350
    assert refused.value.minutes == 6


def test_when_the_window_closes_the_count_starts_again(clock):
    for _ in range(3):
        throttle.count((LIMIT, "k"))
    clock[0] += 601

    throttle.count((LIMIT, "k"))

    assert throttle.used(LIMIT, "k") == 1


def test_keys_and_scopes_are_counted_apart(clock):
    other_scope = throttle.per_minutes("other", 3, 10)
    for _ in range(3):
        throttle.count((LIMIT, "a"))

    throttle.check((LIMIT, "b"), (other_scope, "a"))
    with pytest.raises(throttle.Throttled):
        throttle.check((LIMIT, "a"), (other_scope, "a"))


def test_a_limit_of_zero_is_no_limit(clock):
    off = throttle.per_minutes("off", 0, 10)

    for _ in range(100):
        throttle.count((off, "k"))

    assert throttle.used(off, "k") == 0


def request_from(remote, forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def test_without_trusted_proxies_a_forwarded_for_header_is_ignored(settings):
    settings.HELPDESK_TRUSTED_PROXIES = 0

    address = throttle.client_address(request_from("198.51.100.7", "10.0.0.1"))

    assert address == "198.51.100.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # One proxy: the address it saw is the last one; what the client wrote before it
        # proves nothing.
        (1, "203.0.113.50", "203.0.113.50"),
        (1, "10.9.9.9, 203.0.113.50", "203.0.113.50"),
        # Two proxies: the outer one's view is second from the right.
        (2, "10.9.9.9, 203.0.113.50, 192.0.2.1", "203.0.113.50"),
        # Garbage in the trusted position: the proxy's own address, never the garbage.
        (1, "not-an-address", "192.0.2.10"),
    ],
)
def test_behind_trusted_proxies_the_outermost_ones_view_is_the_client(
    settings, proxies, forwarded, expected
):
    settings.HELPDESK_TRUSTED_PROXIES = proxies

    assert throttle.client_address(request_from("192.0.2.10", forwarded)) == expected
