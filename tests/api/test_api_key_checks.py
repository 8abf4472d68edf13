"""The one gate of every API endpoint: which key, from where, for what, how often."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from api import keys
from api.models import ApiKey
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


def make_key(**fields) -> tuple[ApiKey, str]:
    key = ApiKey(name="Monitoring", **fields)
    plain = keys.issue(key)
    key.save()
    return key, plain


def request(key: str = "", address: str = "203.0.113.5", bearer: bool = False):
    headers = {}
    if key:
        headers = {"Authorization": f"Bearer {key}"} if bearer else {"X-API-Key": key}
    return RequestFactory().post("/api/tickets.json", REMOTE_ADDR=address, headers=headers)


def refusal(req, permission=keys.CREATE_TICKETS) -> keys.KeyRefused:
    with pytest.raises(keys.KeyRefused) as refused:
        keys.authenticate(req, permission)
    return refused.value


def test_a_good_key_passes_and_its_use_is_recorded():
    key, plain = make_key()

    assert keys.authenticate(request(plain), keys.CREATE_TICKETS) == key
    assert keys.authenticate(request(plain.lower(), bearer=True), keys.CREATE_TICKETS) == key

    key.refresh_from_db()
    assert key.use_count == 2
    assert key.last_used_from == "203.0.113.5"
    assert key.last_used_at is not None
    assert len(plain) == 32 and key.prefix == plain[:8]
    assert plain not in key.key_hash


def test_each_failed_check_is_named():
    key, plain = make_key(allowed_networks="198.51.100.0/24\n2001:db8::/32")

    assert "No API key" in refusal(request()).reason
    assert "not known" in refusal(request("0" * 32)).reason
    assert "may not be used from 203.0.113.5" in refusal(request(plain)).reason
    assert "may not run cron" in refusal(request(plain, "198.51.100.7"), keys.RUN_CRON).reason

    key.expires_at = timezone.now() - timedelta(minutes=1)
    key.save()
    assert "expired" in refusal(request(plain, "198.51.100.7")).reason
    key.is_active = False
    key.save()
    assert "not active" in refusal(request(plain, "198.51.100.7")).reason


@pytest.mark.parametrize(
    ("networks", "address", "allowed"),
    [
        ("", "203.0.113.5", True),
        ("203.0.113.5", "203.0.113.5", True),
        ("203.0.113.5", "203.0.113.6", False),
        ("192.168.1.7/24", "192.168.1.200", True),
        ("192.168.1.0/24, 10.0.0.0/8", "10.9.8.7", True),
        ("2001:db8::/32", "2001:db8:1::5", True),
        ("2001:db8::/32", "2001:db9::5", False),
        ("127.0.0.1", "::ffff:127.0.0.1", True),
        ("10.0.0.0/8", "not an address", False),
    ],
)
def test_addresses_and_ranges_bind_a_key(networks, address, allowed):
    assert ApiKey(allowed_networks=networks).allows_address(address) is allowed


def test_reading_needs_an_active_agent():
    agent = AgentFactory()
    key, plain = make_key(can_read=True, agent=agent)
    assert keys.authenticate(request(plain), keys.READ) == key

    agent.user.is_active = False
    agent.user.save()
    assert "agent" in refusal(request(plain), keys.READ).reason


def test_past_its_rate_a_key_is_answered_429():
    _key, plain = make_key(rate_per_minute=3)
    for _ in range(3):
        keys.authenticate(request(plain), keys.CREATE_TICKETS)

    refused = refusal(request(plain))

    assert refused.status == 429
    assert "at most 3 a minute" in refused.reason
    assert 0 < refused.retry_after <= 60
