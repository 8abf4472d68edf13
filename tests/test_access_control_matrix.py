"""The access-control matrix: every staff URL, and the answer each kind of agent gets.

A staff URL added later must be added here too: test_every_staff_url_is_in_the_matrix
walks the URL configuration and fails on any /scp/ route without a row.
"""

from dataclasses import dataclass

import factory
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from api.models import ApiKey, Webhook, WebhookDelivery
from helpdesk.mail.models import BannedAddress, EmailTemplate, OutgoingMail
from tests import factories
from tickets.inbound.intake import store
from tickets.models import CannedResponse, InboundMail, Mailbox, SavedQueue

LOGIN = "login"  # expected answer: a redirect to /scp/login/

WHO = [
    "anonymous",
    "end_user",
    "no_access",
    "view_only",
    "full_primary",
    "full_extended",
    "limited_assigned",
    "limited_unassigned",
    "admin",
]
AGENTS = WHO[2:]


def answers(default, **overrides):
    return {who: overrides.get(who, default) for who in WHO}


# What everyone gets where the page is for any active agent.
ANY_AGENT = answers(200, anonymous=LOGIN, end_user=403)
# The admin panel: administrators only.
ADMIN_ONLY = answers(403, anonymous=LOGIN, admin=200)
ADMIN_ONLY_POST = answers(403, anonymous=LOGIN, admin=302)
# A page about the subject ticket (in Support): only those who may see it.
SEES_TICKET = answers(
    404,
    anonymous=LOGIN,
    end_user=403,
    view_only=200,
    full_primary=200,
    full_extended=200,
    limited_assigned=200,
)
# An action on the subject ticket, sent empty: those who may act get the form back with
# its errors (200); those who see the ticket read-only get 403; the rest cannot know it.
ACTS_ON_TICKET = {**SEES_TICKET, "view_only": 403}
PUBLIC = answers(200)
# An agent's own thing (full_primary's): anyone else's 404.
OWNER = answers(404, anonymous=LOGIN, end_user=403, full_primary=200)


@dataclass(frozen=True)
class Row:
    name: str
    expected: dict
    method: str = "get"
    kwargs: str = ""  # which object fills the URL's arguments (see the cast's objects)


MATRIX = [
    Row("staff:home", ANY_AGENT),
    Row("staff:queue", ANY_AGENT, kwargs="queue"),
    # An empty bulk form: every agent is sent back to the queue with a message.
    Row("staff:bulk", answers(302, anonymous=LOGIN, end_user=403), "post"),
    # Saving a search, sent empty: every agent gets the queue page back with the error.
    Row("staff:saved-queue-new", ANY_AGENT, "post"),
    # A saved search (full_primary's own): nobody else learns it exists.
    Row("staff:saved-queue", OWNER, kwargs="saved-queue"),
    Row("staff:saved-queue-rename", OWNER, "post", "saved-queue"),
    Row("staff:saved-queue-delete", {**OWNER, "full_primary": 302}, "post", "saved-queue"),
    # The dashboard counts the tickets each agent sees (tests/reports); the admin panel's
    # counts every ticket, for administrators only.
    Row("staff:dashboard", ANY_AGENT),
    Row("staff:dashboard-csv", ANY_AGENT, kwargs="dashboard-table"),
    Row("admin-panel:dashboard", ADMIN_ONLY),
    Row("admin-panel:dashboard-csv", ADMIN_ONLY, kwargs="dashboard-table"),
    Row("staff:ticket", SEES_TICKET, kwargs="ticket"),
    Row("staff:ticket-presence", SEES_TICKET, "post", "ticket"),
    # Revoking the ticket's access links asks first (this page); it needs `edit`.
    Row("staff:ticket-revoke-links", ACTS_ON_TICKET, kwargs="ticket"),
    # Every agent has their own profile and password.
    Row("staff:profile", ANY_AGENT),
    Row("staff:password-change", ANY_AGENT),
    # Two-factor sign-in: each agent's own settings; the code step sends a session that
    # owes no code (and anyone not signed in) on its way.
    Row("staff:two-factor", ANY_AGENT),
    Row("staff:two-factor-off", answers(302, anonymous=LOGIN, end_user=403)),
    Row("staff:two-factor-verify", answers(302, anonymous=LOGIN)),
    # A picture attached to an internal note: agents who see the ticket download it and see
    # its preview; nobody else learns it exists.
    Row("staff:ticket-attachment", SEES_TICKET, kwargs="attachment"),
    Row("staff:ticket-attachment-preview", SEES_TICKET, kwargs="attachment"),
    # Opening tickets for users needs `create` in some department: not for view-only roles.
    Row("staff:ticket-new", {**ANY_AGENT, "no_access": 403, "view_only": 403}),
    *[
        Row(f"staff:ticket-{action}", ACTS_ON_TICKET, "post", "ticket")
        for action in [
            "priority",
            "sla",
            "due",
            "topic",
            "assign",
            "transfer",
            "status",
            "reply",
            "note",
        ]
    ],
    Row("staff:login", PUBLIC),
    Row("staff:logout", answers(302), method="post"),
    Row("staff:password-reset", PUBLIC),
    Row("staff:password-reset-sent", PUBLIC),
    Row("staff:password-reset-done", PUBLIC),
    Row("staff:password-reset-confirm", PUBLIC, kwargs="reset"),
    Row("admin-panel:home", ADMIN_ONLY),
    # Health checks for load balancers: anyone, signed in or not (helpdesk.health).
    Row("healthz", PUBLIC),
    Row("readyz", PUBLIC),
    *[
        row
        for section in [
            "department",
            "team",
            "topic",
            "sla-plan",
            "schedule",
            "role",
            "agent",
            "user",
            "canned",
        ]
        for row in [
            Row(f"admin-panel:{section}-list", ADMIN_ONLY),
            Row(f"admin-panel:{section}-create", ADMIN_ONLY),
            Row(f"admin-panel:{section}-edit", ADMIN_ONLY, kwargs=section),
            Row(f"admin-panel:{section}-deactivate", ADMIN_ONLY_POST, "post", section),
            Row(f"admin-panel:{section}-reactivate", ADMIN_ONLY_POST, "post", section),
        ]
    ],
    Row("admin-panel:agent-send-reset", ADMIN_ONLY_POST, "post", "agent"),
    Row("admin-panel:agent-reset-two-factor", ADMIN_ONLY_POST, "post", "agent"),
    Row("admin-panel:user-detail", ADMIN_ONLY, kwargs="user"),
    *[
        row
        for section in ["banned-address", "mailbox"]
        for row in [
            Row(f"admin-panel:{section}-list", ADMIN_ONLY),
            Row(f"admin-panel:{section}-create", ADMIN_ONLY),
            Row(f"admin-panel:{section}-edit", ADMIN_ONLY, kwargs=section),
            Row(f"admin-panel:{section}-deactivate", ADMIN_ONLY_POST, "post", section),
            Row(f"admin-panel:{section}-reactivate", ADMIN_ONLY_POST, "post", section),
        ]
    ],
    # Notices are registered by the apps: reworded and switched off, never created.
    Row("admin-panel:email-template-list", ADMIN_ONLY),
    Row("admin-panel:email-template-edit", ADMIN_ONLY, kwargs="email-template"),
    Row("admin-panel:email-template-deactivate", ADMIN_ONLY_POST, "post", "email-template"),
    Row("admin-panel:email-template-reactivate", ADMIN_ONLY_POST, "post", "email-template"),
    # Every outgoing message, its content, and sending it again.
    Row("admin-panel:outgoing-mail-list", ADMIN_ONLY),
    Row("admin-panel:outgoing-mail-detail", ADMIN_ONLY, kwargs="outgoing-mail"),
    Row("admin-panel:outgoing-mail-retry", ADMIN_ONLY_POST, "post", "outgoing-mail"),
    Row("admin-panel:mailbox-fetch", ADMIN_ONLY_POST, "post", "mailbox"),
    # Every message received, its original, and what an administrator may do with it.
    Row("admin-panel:incoming-mail-list", ADMIN_ONLY),
    Row("admin-panel:incoming-mail-detail", ADMIN_ONLY, kwargs="incoming-mail"),
    Row("admin-panel:incoming-mail-raw", ADMIN_ONLY, kwargs="incoming-mail"),
    Row("admin-panel:incoming-mail-process", ADMIN_ONLY_POST, "post", "incoming-mail"),
    Row("admin-panel:incoming-mail-accept", ADMIN_ONLY_POST, "post", "incoming-mail"),
    Row("admin-panel:incoming-mail-discard", ADMIN_ONLY_POST, "post", "incoming-mail"),
    # Webhooks (api/webhooks_admin.py): the section's pages, a test ping, a new secret, each
    # webhook's delivery log, one delivery and sending it again.
    Row("admin-panel:webhook-list", ADMIN_ONLY),
    Row("admin-panel:webhook-create", ADMIN_ONLY),
    Row("admin-panel:webhook-edit", ADMIN_ONLY, kwargs="webhook"),
    Row("admin-panel:webhook-deactivate", ADMIN_ONLY_POST, "post", "webhook"),
    Row("admin-panel:webhook-reactivate", ADMIN_ONLY_POST, "post", "webhook"),
    Row("admin-panel:webhook-ping", ADMIN_ONLY_POST, "post", "webhook"),
    Row("admin-panel:webhook-new-secret", ADMIN_ONLY_POST, "post", "webhook"),
    Row("admin-panel:webhook-deliveries", ADMIN_ONLY, kwargs="webhook"),
    Row("admin-panel:webhook-delivery", ADMIN_ONLY, kwargs="webhook-delivery"),
    Row("admin-panel:webhook-delivery-retry", ADMIN_ONLY_POST, "post", "webhook-delivery"),
    # API keys: made (and shown once), edited, switched off and on.
    Row("admin-panel:api-key-list", ADMIN_ONLY),
    Row("admin-panel:api-key-create", ADMIN_ONLY),
    Row("admin-panel:api-key-created", ADMIN_ONLY, kwargs="api-key"),
    Row("admin-panel:api-key-edit", ADMIN_ONLY, kwargs="api-key"),
    Row("admin-panel:api-key-deactivate", ADMIN_ONLY_POST, "post", "api-key"),
    Row("admin-panel:api-key-reactivate", ADMIN_ONLY_POST, "post", "api-key"),
]


@pytest.fixture
def cast(db, support, online_banking, all_access, view_only, karen):
    """One person of each kind, and the Support ticket the matrix asks about."""
    no_view = factories.RoleFactory(name="No view", view=False, reply=True)
    ticket = factories.TicketFactory(department=support, requester=karen)
    limited_assigned = factories.AgentFactory(
        department=support, role=all_access, is_limited_access=True
    )
    ticket.assignee = limited_assigned
    ticket.save()
    picture = factories.AttachmentFactory(
        entry=factories.ThreadEntryFactory(ticket=ticket, kind="note"),
        filename="screen.png",
        content_type="image/png",
        file=factory.django.FileField(data=factories.png_bytes(), filename="screen.png"),
    )
    full_extended = factories.AgentFactory(department=online_banking, role=view_only)
    factories.DepartmentAccessFactory(agent=full_extended, department=support, role=all_access)
    people = {
        "anonymous": None,
        "end_user": karen,
        "no_access": factories.AgentFactory(department=support, role=no_view).user,
        "view_only": factories.AgentFactory(department=support, role=view_only).user,
        "full_primary": factories.AgentFactory(department=support, role=all_access).user,
        "full_extended": full_extended.user,
        "limited_assigned": limited_assigned.user,
        "limited_unassigned": factories.AgentFactory(
            department=support, role=all_access, is_limited_access=True
        ).user,
        "admin": factories.AgentFactory(
            department=online_banking, role=all_access, is_admin=True
        ).user,
    }
    objects = {
        "ticket": {"number": ticket.number},
        "attachment": {"number": ticket.number, "pk": picture.pk},
        "queue": {"queue": "closed"},
        "dashboard-table": {"table": "agents"},
        "saved-queue": {
            "pk": SavedQueue.objects.create(
                agent=people["full_primary"].agent, name="Printers", queue="open", query="q=x"
            ).pk
        },
        "reset": {"uidb64": "MQ", "token": "set-password"},
        "department": {"pk": support.pk},
        "team": {"pk": factories.TeamFactory().pk},
        "topic": {"pk": factories.HelpTopicFactory(department=support).pk},
        "sla-plan": {"pk": support.sla_plan.pk},
        "schedule": {"pk": factories.ScheduleFactory().pk},
        "role": {"pk": view_only.pk},
        "agent": {"pk": people["view_only"].agent.pk},
        "user": {"pk": karen.pk},
        "canned": {"pk": CannedResponse.objects.create(title="Hello", body="Hello!").pk},
        "banned-address": {"pk": BannedAddress.objects.create(pattern="@spam.example").pk},
        "mailbox": {
            "pk": Mailbox.objects.create(
                name="Support",
                address="support@helpdesk.example",
                host="127.0.0.1",
                port=9,  # discard: nothing answers, so "Fetch Now" fails at once
                security=Mailbox.Security.NONE,
                username="support",
                password="secret",
                help_topic=factories.HelpTopicFactory(department=support),
            ).pk
        },
        "incoming-mail": {
            "pk": store(
                b"From: someone@example.com\r\nSubject: Hello\r\n\r\nHello!\r\n",
                source=InboundMail.Source.PIPE,
            )[0].pk
        },
        "email-template": {"pk": EmailTemplate.objects.get(key="ticket.autoresponse").pk},
        "api-key": {"pk": ApiKey.objects.create(name="Matrix", key_hash="0" * 64).pk},
        "outgoing-mail": {
            "pk": OutgoingMail.objects.create(
                notice="ticket.response",
                to=["karen@example.com"],
                subject="Hello",
                text_body="Hello!",
                message_id="matrix@example.com",
                next_attempt_at=timezone.now(),
                status=OutgoingMail.Status.FAILED,
            ).pk
        },
    }
    webhook = Webhook.objects.create(
        name="Matrix", url="https://93.184.215.14/hook", events=["ticket.created"]
    )
    objects["webhook"] = {"pk": webhook.pk}
    objects["webhook-delivery"] = {
        "pk": WebhookDelivery.objects.create(
            webhook=webhook,
            event="ticket.created",
            body="{}",
            next_attempt_at=timezone.now(),
            status=WebhookDelivery.Status.GIVEN_UP,
        ).pk
    }
    return people, objects


def answer(client, row, person, objects):
    if person is not None:
        client.force_login(person)
    url = reverse(row.name, kwargs=objects.get(row.kwargs, {}))
    response = getattr(client, row.method)(url)
    if response.status_code == 302 and response["Location"].startswith(reverse("staff:login")):
        return LOGIN if row.expected["anonymous"] == LOGIN else 302
    return response.status_code


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: f"{row.method.upper()} {row.name}")
def test_each_kind_of_agent_gets_the_expected_answer(client, cast, row):
    people, objects = cast
    got = {}
    for who in WHO:
        client.logout()
        got[who] = answer(client, row, people[who], objects)

    assert got == row.expected


def _staff_routes(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _staff_routes(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if route.startswith("scp/"):
                yield f"{namespace}{entry.name}", route


def test_every_staff_url_is_in_the_matrix():
    in_matrix = {row.name for row in MATRIX}
    missing = sorted(
        f"{name} ({route})" for name, route in _staff_routes() if name not in in_matrix
    )

    assert missing == []
    assert len(in_matrix) == len(MATRIX), "one row per URL name"


def test_the_matrix_covers_every_kind_of_agent():
    for row in MATRIX:
        assert set(row.expected) == set(WHO), row.name
