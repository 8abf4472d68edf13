"""What the API tests share: a webhook receiver of their own."""

import pytest

from tests.api.receivers import WebhookReceiver


@pytest.fixture
def receiver():
    """An HTTP server on 127.0.0.1 that takes webhook deliveries, stopped after the test."""
    server = WebhookReceiver()
    yield server
    server.stop()
