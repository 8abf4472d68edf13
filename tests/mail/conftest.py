"""Real mail servers for the mail tests, never mocks (see tests/mailservers.py)."""

import pytest

from tests.mailservers import SMTPSink


@pytest.fixture
def smtp_sink():
    """An SMTP server for this test alone: what is sent to it lands in `.messages`."""
    with SMTPSink() as sink:
        yield sink
