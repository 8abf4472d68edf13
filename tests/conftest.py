"""The named cast of the test suite, and settings every test shares."""

import itertools
import secrets
from decimal import Decimal

import pytest
from django.core.cache import cache

from helpdesk import memo
from tests import factories
from tests.mailservers import Dovecot, DovecotError, SMTPSink
from tickets.models import Priority


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    # Uploaded files go to a per-test folder, never into var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_configuration_copies():
    # Tests change configuration rows with .update() too, which sends no signal: each test
    # starts without the previous one's short-lived copies (helpdesk.memo).
    memo.forget()


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    # Nothing kept in Django's cache (dashboard figures, rate counts) passes from one test to
    # the next; and the dashboard works its figures out on every view unless a test keeps
    # them (tests/reports/test_dashboard_figures_are_kept.py).
    cache.clear()
    settings.HELPDESK_DASHBOARD_SECONDS = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sev_a(db):
    """The plan for business-critical outages."""
    return factories.SLAPlanFactory(
        name="Sev-A", first_response_hours=Decimal("0.25"), resolution_hours=Decimal("1")
    )


@pytest.fixture
def sev_c(db):
    """The plan for everyday requests."""
    return factories.SLAPlanFactory(
        name="Sev-C", first_response_hours=Decimal("2"), resolution_hours=Decimal("8")
    )


@pytest.fixture
def support(db, sev_c):
    """The front-line department every public topic routes to."""
    return factories.DepartmentFactory(name="Support", sla_plan=sev_c)


@pytest.fixture
def online_banking(db, sev_a):
    """A second department, for tickets that are not Support's."""
    return factories.DepartmentFactory(name="Online Banking", sla_plan=sev_a)


@pytest.fixture
def outage_topic(support, sev_a):
    """A public topic with its own priority and plan, distinct from its department's."""
    return factories.HelpTopicFactory(
        name="Business Critical Outage", department=support, priority=Priority.HIGH, sla_plan=sev_a
    )


@pytest.fixture
def inquiry_topic(support):
    """A public topic without a plan of its own: its tickets take the department's."""
    return factories.HelpTopicFactory(
        name="General Inquiry", department=support, priority=Priority.LOW, sla_plan=None
    )


@pytest.fixture
def private_topic(support):
    """A topic agents use but end users must not be able to pick."""
    return factories.HelpTopicFactory(
        name="Internal Escalation", department=support, is_public=False
    )


@pytest.fixture
def retired_topic(support):
    """A public topic that has been switched off."""
    return factories.HelpTopicFactory(name="Fax Machines", department=support, is_active=False)


@pytest.fixture
def karen(db):
    """An end user who opens tickets from the portal."""
    return factories.UserFactory(email="karen@example.com", full_name="Karen Taylor")


@pytest.fixture
def ken(db):
    """Another end user, who must never see Karen's tickets."""
    return factories.UserFactory(email="ken@example.com", full_name="Ken Adams")


@pytest.fixture
def all_access(db):
    """The role with every permission."""
    return factories.RoleFactory(name="All Access", full=True)


@pytest.fixture
def view_only(db):
    """The role that shows tickets read-only."""
    return factories.RoleFactory(name="View only", view=True)


@pytest.fixture
def john(support, all_access):
    """A full-access agent of Support, the front line."""
    return factories.AgentFactory(
        user__email="john@example.com",
        user__full_name="John Miller",
        department=support,
        role=all_access,
    )


@pytest.fixture
def jane(online_banking, all_access):
    """A full-access agent of Online Banking; her responses appear in end users' threads."""
    return factories.AgentFactory(
        user__email="jane@example.com",
        user__full_name="Jane Cooper",
        department=online_banking,
        role=all_access,
    )


@pytest.fixture
def karens_ticket(karen, outage_topic):
    """An open ticket of Karen's with her first message in the thread."""
    ticket = factories.TicketFactory(
        requester=karen, help_topic=outage_topic, subject="Entire mobile online banking is down"
    )
    factories.ThreadEntryFactory(ticket=ticket, body="The app shows an error for everyone.")
    return ticket


@pytest.fixture
def admin_agent(support, all_access):
    """An administrator: an agent of Support who may use the admin panel."""
    return factories.AgentFactory(
        user__email="ada@example.com",
        user__full_name="Ada Lovelace",
        is_admin=True,
        department=support,
        role=all_access,
    )


@pytest.fixture
def as_admin(client, admin_agent):
    """The test client, signed in as the administrator."""
    client.force_login(admin_agent.user)
    return client


# The real mail servers (tests/mailservers.py): never mocks. Dovecot is required: if it is
# not installed or does not start, the tests that need it fail with the reason, not skip.
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
