"""What the fuzz tests share: Hypothesis profiles, a small world to aim at, and a client
that answers every request (a crash becomes a failed assertion naming the request).

Profiles (HYPOTHESIS_PROFILE): `fuzz`, the default, is small, derandomized and keeps no
example database, so `make test` runs the same examples every time within a few minutes;
`long` draws many more random examples for a search run (README, "Fuzzing").
They are registered here, not in tests/conftest.py, and applied only to these tests
(`FUZZ`), so the suite's other Hypothesis tests keep their own settings.
"""

import os
import traceback
import zlib
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, seed, settings

from api.models import ApiKey, Webhook, WebhookDelivery
from helpdesk.mail.models import BannedAddress, OutgoingMail
from tests import factories
from tickets.access import ticket_access_token
from tickets.inbound.intake import store
from tickets.models import CannedResponse, InboundMail, Mailbox, Priority

# No shrinking: a failure already names its request and traceback (Answer.describe), and
# shrinking a request that fails on PostgreSQL can take many minutes.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate]
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "10")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    phases=PHASES,
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    derandomize=False,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    phases=PHASES,
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "fuzz")
FUZZ = settings.get_profile(PROFILE)


def seeded(label: str):
    """In the small profile, a seed of this URL's or form's own: derandomize alone seeds by
    the test function, and every URL shares one, so all would draw the same examples.
    The long profile draws at random."""
    if PROFILE != "fuzz":
        return lambda test: test
    return seed(zlib.crc32(label.encode()))


# Rows that a refused request may legitimately leave behind: sign-in sessions, records of
# failed sign-ins and of API key use kept by throttles, Django admin's log.
NOT_CONTENT = {"sessions", "admin", "axes", "contenttypes", "auth"}


def content_counts() -> dict[str, int]:
    """How many rows each table of the helpdesk's own content holds."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in NOT_CONTENT and not model._meta.proxy
    }


@dataclass
class Answer:
    method: str
    path: str
    status: int
    content: bytes
    problem: str = ""
    headers: dict = field(default_factory=dict)

    def describe(self) -> str:
        return f"{self.method} {self.path[:300]} -> {self.status}\n{self.problem}"


class FuzzClient:
    """Django's test client that never raises: each request runs in a savepoint rolled back
    afterwards (one example never sees the last one's rows, and a database error cannot
    poison the test's transaction), and a crash is reported with its traceback."""

    def __init__(self, user=None):
        self.client = Client(raise_request_exception=False)
        if user is not None:
            self.client.force_login(user)

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = "", **extra):
        with transaction.atomic():
            response = self.client.generic(
                method,
                path,
                body,
                content_type=content_type or "application/x-www-form-urlencoded",
                **extra,
            )
            transaction.set_rollback(True)
        problem = ""
        if response.status_code >= 500 and getattr(response, "exc_info", None):
            problem = "".join(traceback.format_exception(*response.exc_info))
        return Answer(method, path, response.status_code, _content(response), problem)

    def get(self, path: str, **extra):
        return self.request("GET", path, **extra)

    def keep(self, method: str, path: str, body: bytes = b"", content_type: str = "", **extra):
        """A request whose rows are kept (no savepoint rolled back), to count them."""
        response = self.client.generic(
            method,
            path,
            body,
            content_type=content_type or "application/x-www-form-urlencoded",
            **extra,
        )
        problem = ""
        if response.status_code >= 500 and getattr(response, "exc_info", None):
            problem = "".join(traceback.format_exception(*response.exc_info))
        return Answer(method, path, response.status_code, _content(response), problem)


def _content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def form_body(data: dict) -> bytes:
    """A urlencoded body whose values may hold lone surrogates: sent as the invalid UTF-8
    bytes they encode to, as a hostile client would."""
    pairs = []
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        for one in values:
            if one is None:
                continue
            key = quote(str(name).encode("utf-8", "surrogatepass"), safe="")
            pairs.append(f"{key}={quote(str(one).encode('utf-8', 'surrogatepass'), safe='')}")
    return "&".join(pairs).encode("ascii")


def never_5xx(answer: Answer):
    assert answer.status < 500, answer.describe()


@pytest.fixture
def world(support, john, admin_agent, karens_ticket, jane, karen, inquiry_topic, private_topic):
    """Something of each kind for the path values to name: a ticket with an attachment and
    a note, a saved search, a superuser for Django's admin; and who signs in where."""
    superuser = factories.UserFactory(
        email="root@example.com", full_name="Root", is_staff=True, is_superuser=True
    )
    entry = karens_ticket.thread.first()
    attachment = factories.AttachmentFactory(entry=entry)
    factories.ThreadEntryFactory(ticket=karens_ticket, author=john.user, body="A note")
    other = factories.TicketFactory(
        requester=karen, help_topic=inquiry_topic, priority=Priority.NORMAL
    )
    saved = john.saved_queues.create(name="Mine", queue="open", query="q=printer")
    others = _one_of_each(topic=inquiry_topic)
    return World(
        anonymous=None,
        end_user=karen,
        agent=john.user,
        admin=admin_agent.user,
        superuser=superuser,
        ticket=karens_ticket,
        known=[
            karens_ticket.number,
            other.number,
            str(attachment.pk),
            str(saved.pk),
            str(john.pk),
            str(karen.pk),
            str(karens_ticket.department_id),
            ticket_access_token(karens_ticket),
            "open",
            "closed",
            "json",
            "xml",
            "email",
            "tickets",
            "1",
            *(str(pk) for pk in others),
        ],
    )


def _one_of_each(*, topic) -> list[int]:
    """A row of each thing the admin panel edits that the cast does not have; their pks."""
    factories.HolidayFactory(schedule=factories.ScheduleFactory(name="Office hours"))
    webhook = Webhook.objects.create(
        name="Fuzz", url="https://93.184.215.14/hook", events=["ticket.created"]
    )
    rows = [
        factories.TeamFactory(),
        CannedResponse.objects.create(title="Hello", body="Hello {{ ticket.number }}!"),
        BannedAddress.objects.create(pattern="@spam.example"),
        Mailbox.objects.create(
            name="Support",
            address="support@helpdesk.example",
            host="127.0.0.1",
            port=9,  # discard: nothing answers, so "Fetch Now" fails at once
            security=Mailbox.Security.NONE,
            username="support",
            password="secret",
            help_topic=topic,
        ),
        store(
            b"From: someone@example.com\r\nSubject: Hello\r\n\r\nHello!\r\n",
            source=InboundMail.Source.PIPE,
        )[0],
        ApiKey.objects.create(name="Fuzz", key_hash="0" * 64),
        OutgoingMail.objects.create(
            notice="ticket.response",
            to=["karen@example.com"],
            subject="Hello",
            text_body="Hello!",
            message_id="fuzz@example.com",
            next_attempt_at=timezone.now(),
            status=OutgoingMail.Status.FAILED,
        ),
        webhook,
        WebhookDelivery.objects.create(
            webhook=webhook,
            event="ticket.created",
            body="{}",
            next_attempt_at=timezone.now(),
            status=WebhookDelivery.Status.GIVEN_UP,
        ),
    ]
    return [row.pk for row in rows]


@dataclass
class World:
    anonymous: object
    end_user: object
    agent: object
    admin: object
    superuser: object
    ticket: object
    known: list
