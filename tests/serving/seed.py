"""What the served tests' database starts with, and what they read back from it. Run inside
`manage.py shell` against that database (Deployment.run); each prints one line of JSON.

The accounts' passwords are hashed as production hashes them (the servers must check them),
not with the test suite's fast hasher.
"""

import json
from decimal import Decimal

from django.conf import settings

PASSWORD = "served-test-password-7"
AGENTS = ["ada@example.com", "john@example.com", "jane@example.com", "max@example.com"]
API_RATE = 6  # requests a minute for the seeded API key


def seed() -> None:
    from api import keys
    from api.models import ApiKey
    from tests import factories
    from tickets.models import Priority

    quick = factories.SLAPlanFactory(  # first response due 36 s after a ticket opens
        name="Minutes", first_response_hours=Decimal("0.01"), resolution_hours=Decimal("0.05")
    )
    everyday = factories.SLAPlanFactory(
        name="Everyday", first_response_hours=Decimal("8"), resolution_hours=Decimal("24")
    )
    support = factories.DepartmentFactory(name="Support", sla_plan=everyday)
    role = factories.RoleFactory(name="All Access", full=True)
    agents = [
        factories.AgentFactory(
            user__email=email,
            user__full_name=email.split("@")[0].title() + " Agent",
            user__password=PASSWORD,
            department=support,
            role=role,
            is_admin=(email == AGENTS[0]),
        )
        for email in AGENTS
    ]
    topics = {
        name: factories.HelpTopicFactory(
            name=name, department=support, priority=Priority.NORMAL, sla_plan=plan
        ).pk
        for name, plan in (("General", everyday), ("Outage", quick), ("Fax Machines", everyday))
    }
    key = ApiKey(name="Served test", agent=agents[1], can_read=True, rate_per_minute=API_RATE)
    plain = keys.issue(key)
    key.save()
    mail_key = ApiKey(name="Mail pipe", can_create_tickets=True, rate_per_minute=100_000)
    mail_plain = keys.issue(mail_key)
    mail_key.save()
    print(json.dumps({"topics": topics, "api_key": plain, "mail_key": mail_plain}))


def facts() -> None:
    """Everything the load and scale-out tests check afterwards."""
    from datetime import timedelta

    from django.utils import timezone

    from helpdesk.mail.models import OutgoingMail
    from tickets import status
    from tickets.models import Event, HelpTopic, SLAAlert, ThreadEntry, Ticket

    # Past due long enough that the sweep (every SLA_SWEEP_SECONDS) must have marked it.
    swept_by = timezone.now() - timedelta(seconds=settings.HELPDESK_SLA_SWEEP_SECONDS + 5)
    unanswered = Ticket.objects.filter(
        status__in=sorted(status.CLOCK_RUNNING_STATUSES), first_responded_at__isnull=True
    )

    print(
        json.dumps(
            {
                "tickets": list(Ticket.objects.values_list("subject", "number")),
                "due": [
                    {
                        "number": number,
                        "is_overdue": is_overdue,
                        "should_be_overdue": due is not None and due <= swept_by,
                        # Due within the next minutes (the load test's quick plan): a run
                        # waits for the sweep to reach it rather than stopping first.
                        "falls_due_soon": due is not None
                        and swept_by < due <= timezone.now() + timedelta(minutes=2),
                    }
                    for number, is_overdue, due in unanswered.values_list(
                        "number", "is_overdue", "first_response_due_at"
                    )
                ],
                "entries": list(ThreadEntry.objects.values_list("ticket__number", "kind", "body")),
                "overdue_events": list(
                    Event.objects.filter(kind=Event.Kind.OVERDUE).values_list(
                        "ticket__number", flat=True
                    )
                ),
                "overdue_alerts": list(
                    SLAAlert.objects.filter(kind=SLAAlert.Kind.OVERDUE).values_list(
                        "ticket__number", "recipient__user__email"
                    )
                ),
                "mail": list(
                    OutgoingMail.objects.values_list("message_id", "notice", "status", "to")
                ),
                "topics_active": dict(HelpTopic.objects.values_list("name", "is_active")),
            },
            default=str,
        )
    )
