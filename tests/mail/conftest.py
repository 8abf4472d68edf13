"""Real mail servers for the mail tests, never mocks (see tests/mailservers.py).

Dovecot is required: if it is not installed or does not start, the tests that need it
fail with the reason instead of being skipped, so a green run always means they ran.
"""

import itertools
import secrets

import pytest

from tests.mailservers import Dovecot, DovecotError, SMTPSink

_user_numbers = itertools.count(1)


@pytest.fixture
def smtp_sink():
    """An SMTP server for this test alone: what is sent to it lands in `.messages`."""
    with SMTPSink() as sink:
        yield sink


@pytest.fixture(scope="session")
def dovecot():
    """One private Dovecot (IMAP, POP3, both with TLS) for the run; see `mailbox`."""
    server = Dovecot()
    problem = None
    try:
        server.start()
    except DovecotError as error:
        problem = str(error)  # failed outside the except block, to show this line alone
    if problem:
        pytest.fail(problem, pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def mailbox(dovecot):
    """A mail account of this test's own on the shared Dovecot: (user, password)."""
    user = f"support{next(_user_numbers)}@example.test"
    password = secrets.token_urlsafe(12)
    dovecot.add_user(user, password)
    return user, password


@pytest.fixture
def smtp_mailer(settings, smtp_sink):
    """The helpdesk's mail goes to this test's SMTP server (not Django's test outbox)."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": smtp_sink.host, "port": smtp_sink.port, "timeout": 5},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <help@helpdesk.example>"
    return smtp_sink
