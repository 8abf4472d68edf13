"""A receiver can tell a delivery is ours and fresh: the README's own check accepts a real
delivery, and refuses it altered, signed with another secret, or replayed later."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings

from api import signing, webhooks
from api.models import Webhook, WebhookEvent
from api.webhooks import send_delivery

pytestmark = pytest.mark.django_db


def readme_check():
    """The verification function the README shows receivers, as written there."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("## Webhooks", 1)[1]
    [code] = re.findall(r"```python\n(.*?)```", section.split("\n## ", 1)[0], re.S)
    namespace = {}
    exec(code, namespace)  # noqa: S102 - our own README's example, run as a receiver would
    return namespace["is_from_helpdesk"]


@pytest.fixture
def delivered(receiver):
    """A test ping, really sent to the receiver: (the webhook, what the receiver got)."""
    hook = Webhook.objects.create(
        name="Receiver",
        url=receiver.url,
        events=[WebhookEvent.TICKET_CREATED],
        allow_private_targets=True,
    )
    delivery = webhooks.ping(hook)
    assert send_delivery.call(delivery.pk) == "sent"
    [received] = receiver.received
    return hook, received


def test_the_readmes_check_accepts_a_real_delivery(delivered):
    hook, received = delivered

    assert readme_check()(hook.secret, received.headers, received.body)
    assert received.json["event"] == "ping"


def test_an_altered_body_is_refused(delivered):
    hook, received = delivered
    altered = received.body.replace(b'"ping"', b'"pong"')

    assert not readme_check()(hook.secret, received.headers, altered)
    assert not signing.verify(
        hook.secret,
        timestamp=received.headers["X-Helpdesk-Timestamp"],
        body=altered,
        signature_header=received.headers["X-Helpdesk-Signature"],
    )


def test_another_secret_does_not_verify(delivered):
    _hook, received = delivered

    assert not readme_check()("whsec_somebody_else", received.headers, received.body)


def test_a_replayed_delivery_is_refused_once_its_timestamp_is_stale(delivered, monkeypatch):
    hook, received = delivered
    later = time.time() + 600
    monkeypatch.setattr(time, "time", lambda: later)  # ten minutes on, at the receiver

    assert not readme_check()(hook.secret, received.headers, received.body)
    assert not signing.verify(
        hook.secret,
        timestamp=received.headers["X-Helpdesk-Timestamp"],
        body=received.body,
        signature_header=received.headers["X-Helpdesk-Signature"],
    )


def test_a_changed_timestamp_breaks_the_signature(delivered):
    hook, received = delivered
    moved = {**received.headers, "X-Helpdesk-Timestamp": str(int(time.time()) + 1)}

    assert not readme_check()(hook.secret, moved, received.body)


def test_the_scheme_is_hmac_sha256_of_timestamp_dot_body():
    # Computed independently: echo -n '1700000000.{"event":"ping"}' |
    # openssl dgst -sha256 -hmac whsec_test
    assert signing.signature("whsec_test", 1700000000, b'{"event":"ping"}') == (
        "sha256=aa8efe37b751e71157c508c5ac4acb1e9fe5225db98355dfc00f4b680afbc447"
    )


def test_each_webhook_gets_its_own_secret():
    first = Webhook.objects.create(name="A", url="https://1.1.1.1/", events=["ticket.created"])
    second = Webhook.objects.create(name="B", url="https://1.1.1.1/", events=["ticket.created"])

    assert first.secret != second.secret
    assert re.fullmatch(r"whsec_[0-9a-f]{64}", first.secret)
