"""`manage.py load_demo`: the demo data of `make run`, loaded once and never into a real set-up."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Agent, Permission, Role, User
from helpdesk.mail.models import OutgoingMail
from sla.models import SLAPlan
from tickets.models import Department, Event, HelpTopic, Priority, Source, ThreadEntry, Ticket
from tickets.queues import queue_counts

DEMO_EMAILS = [
    "admin@example.com",
    "john@example.com",
    "jane@example.com",
    "karen@example.com",
    "ken@example.com",
]


KAREN = "karen@example.com"


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return {
        model.__name__: sorted(str(row) for row in model.objects.values())
        for model in (User, Agent, SLAPlan, Department, HelpTopic, Ticket, ThreadEntry, Event)
    } | {"OutgoingMail": OutgoingMail.objects.count()}


def agent(email):
    return Agent.objects.get(user__email=email)


def demo_ticket(subject_start):
    return Ticket.objects.select_related("department", "assignee__user", "sla_plan").get(
        subject__startswith=subject_start
    )


def kinds(ticket):
    return [entry.kind for entry in ThreadEntry.objects.filter(ticket=ticket).order_by("pk")]


def test_the_demo_has_the_seed_departments_plans_and_topics(db):
    load_demo()

    assert set(Department.objects.values_list("name", flat=True)) == {
        "Support",
        "System Administrators",
        "Online Banking",
    }
    plans = {p.name: p.resolution_hours for p in SLAPlan.objects.all()}
    assert plans == {"Sev-A": 1, "Sev-B": 4, "Sev-C": 8}
    topics = {t.name: t for t in HelpTopic.objects.select_related("department", "sla_plan")}
    assert set(topics) == {
        "Business Critical Outage",
        "Password Reset",
        "Personal Computer Issues",
        "Equipment Request",
        "General Inquiry",
    }
    assert {t.department.name for t in topics.values()} == {"Support"}
    assert topics["Business Critical Outage"].sla_plan.name == "Sev-A"
    assert topics["Business Critical Outage"].priority == Priority.HIGH
    assert all(t.is_public and t.is_active for t in topics.values())


def test_the_demo_plans_run_on_24_7_or_business_hours(db):
    load_demo()

    schedules = {p.name: p.schedule.to_clock() for p in SLAPlan.objects.select_related("schedule")}
    assert schedules["Sev-A"].describe() == "24/7"
    assert schedules["Sev-B"].describe() == "24/7"
    business = schedules["Sev-C"]
    assert business.describe() == "Business hours (Mon–Fri 09:00–17:00)"
    assert business.timezone == "Europe/Berlin"
    assert datetime.date(2026, 12, 24) in business.holidays
    assert {p.warning_percent for p in SLAPlan.objects.all()} == {75}


def test_the_demo_accounts_sign_in_with_the_demo_password(db):
    load_demo()

    for email in DEMO_EMAILS:
        assert authenticate(username=email, password="helpdesk-demo") is not None, email
    assert set(Agent.objects.values_list("user__email", flat=True)) == {
        "admin@example.com",
        "john@example.com",
        "jane@example.com",
    }
    assert Agent.objects.get(is_admin=True).user.email == "admin@example.com"
    assert not User.objects.get(email="karen@example.com").is_agent


def test_demo_password_can_be_set_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-pass")

    out = load_demo()

    assert authenticate(username="john@example.com", password="another-demo-pass")
    assert "another-demo-pass" in out


def test_the_command_prints_the_demo_logins(db):
    out = load_demo()

    for email in DEMO_EMAILS:
        assert email in out
    assert "helpdesk-demo" in out


def test_a_second_run_changes_nothing(db):
    load_demo()
    first = snapshot()

    out = load_demo()

    assert snapshot() == first
    assert "already loaded, nothing changed" in out


def test_portal_end_users_do_not_stop_a_second_run(db, client):
    load_demo()
    User.objects.create_user("walk-in@example.net")  # made by the ticket form, no password

    assert "nothing changed" in load_demo()


def test_demo_data_is_refused_where_real_accounts_exist(db):
    User.objects.create_user("ops@company.example", "a-real-password-123")

    with pytest.raises(CommandError, match="only loaded into a database without real accounts"):
        load_demo()
    assert not User.objects.filter(email="admin@example.com").exists()
    assert not Ticket.objects.exists()
    assert not OutgoingMail.objects.exists()


def test_migrations_alone_create_no_accounts(db):
    assert not User.objects.exists()
    assert not Department.objects.exists()


def test_the_demo_has_the_seed_roles_and_agents_access(db):
    load_demo()

    roles = {role.name: set(role.permissions) for role in Role.objects.all()}
    assert set(roles) == {"All Access", "Expanded Access", "Limited Access", "View only"}
    assert roles["View only"] == {"view"}
    assert roles["All Access"] == {p.value for p in Permission}
    john = Agent.objects.get(user__email="john@example.com")
    assert (john.department.name, john.role.name) == ("Support", "All Access")
    jane = Agent.objects.get(user__email="jane@example.com")
    assert (jane.department.name, jane.role.name) == ("Online Banking", "All Access")
    assert [(a.department.name, a.role.name) for a in jane.extended_access.all()] == [
        ("Support", "Expanded Access")
    ]


def test_the_demo_tickets_fill_each_agents_queues(db):
    load_demo()

    john, jane = agent("john@example.com"), agent("jane@example.com")
    seen_by_john = Ticket.objects.visible_to(john)
    assert Counter(seen_by_john.values_list("status", flat=True)) == {
        "open": 3,
        "awaiting_user": 1,
        "resolved": 2,
        "closed": 1,
    }
    assert set(seen_by_john.values_list("department__name", flat=True)) == {"Support"}
    # Jane works Online Banking and helps out in Support: she sees all ten.
    seen_by_jane = Ticket.objects.visible_to(jane)
    assert Counter(seen_by_jane.values_list("status", flat=True)) == {
        "open": 4,
        "awaiting_user": 2,
        "resolved": 3,
        "closed": 1,
    }
    assert Counter(seen_by_jane.values_list("department__name", flat=True)) == {
        "Support": 7,
        "Online Banking": 3,
    }
    johns = queue_counts(john)
    assert (johns["open"], johns["answered"], johns["mine"]) == (3, 1, 2)
    assert (johns["unassigned"], johns["overdue"], johns["closed"]) == (2, 1, 3)
    janes = queue_counts(jane)
    assert (janes["open"], janes["answered"], janes["mine"]) == (3, 3, 2)
    assert (janes["unassigned"], janes["overdue"], janes["closed"]) == (2, 1, 4)


def test_the_ticket_nobody_answered_was_marked_overdue_by_the_sweep(db):
    load_demo()

    overdue = Ticket.objects.get(is_overdue=True)
    assert overdue.subject == "Password reset email never arrives"
    assert overdue.status == "open"
    assert overdue.sla_plan.name == "Sev-B"
    assert overdue.first_responded_at is None
    assert overdue.first_response_due_at < overdue.overdue_at <= timezone.now()
    assert overdue.created_at < timezone.now() - datetime.timedelta(hours=4)
    event = Event.objects.get(ticket=overdue, kind=Event.Kind.OVERDUE)
    assert event.actor is None  # the sweep, not a person
    assert event.data["target"] == "first_response"
    assert kinds(overdue) == ["message", "note"]


def test_the_outage_went_to_jane_in_online_banking_and_was_resolved_on_time(db):
    load_demo()

    outage = demo_ticket("Mobile banking app")
    assert outage.requester.email == "karen@example.com"
    assert outage.help_topic.name == "Business Critical Outage"
    assert (outage.sla_plan.name, outage.priority) == ("Sev-A", Priority.HIGH)
    assert outage.department.name == "Online Banking"
    assert outage.assignee.user.email == "jane@example.com"
    assert outage.status == "resolved"
    assert outage.first_response_on_time and outage.resolution_on_time
    assert kinds(outage) == ["message", "response", "note", "message", "response"]
    note = ThreadEntry.objects.get(ticket=outage, kind="note")
    assert note.author.email == "jane@example.com"
    assert "certificate" in note.body
    events = set(Event.objects.filter(ticket=outage).values_list("kind", flat=True))
    assert {"created", "assigned", "transferred", "status_changed"} <= events


def test_the_password_reset_was_opened_and_resolved_during_the_call(db):
    load_demo()

    reset = demo_ticket("Locked out after holiday")
    assert reset.source == Source.PHONE
    assert reset.status == "resolved"
    assert reset.assignee.user.email == "john@example.com"
    created = Event.objects.get(ticket=reset, kind=Event.Kind.CREATED)
    assert created.actor.email == "john@example.com"
    assert created.data["on_behalf_of"] == "tom.becker@example.com"
    assert reset.resolved_at - reset.created_at < datetime.timedelta(minutes=10)


def test_the_printer_ticket_waits_for_kens_printer_model(db):
    load_demo()

    printer = demo_ticket("Printer on the 2nd floor")
    assert printer.requester.email == "ken@example.com"
    assert (printer.sla_plan.name, printer.status) == ("Sev-C", "awaiting_user")
    assert printer.sla_plan.schedule.name == "Business hours"
    assert printer.sla_paused_since is not None
    response = ThreadEntry.objects.get(ticket=printer, kind="response")
    assert "model" in response.body


def test_the_laptop_request_is_open_and_unassigned(db):
    load_demo()

    laptop = demo_ticket("Laptop for a new colleague")
    assert laptop.help_topic.name == "Equipment Request"
    assert laptop.status == "open"
    assert laptop.assignee is None and laptop.team is None
    assert laptop.due_override_at > timezone.now()


def test_end_users_replied_on_some_demo_tickets(db):
    load_demo()

    first_entries = {
        ticket.pk: min(ThreadEntry.objects.filter(ticket=ticket).values_list("pk", flat=True))
        for ticket in Ticket.objects.all()
    }
    replies = ThreadEntry.objects.filter(kind="message").exclude(pk__in=first_entries.values())
    assert set(replies.values_list("author__email", flat=True)) == {
        "karen@example.com",
        "ken@example.com",
    }


def test_the_demo_tickets_happened_over_the_last_days(db):
    load_demo()

    now = timezone.now()
    updates = list(Ticket.objects.values_list("updated_at", flat=True))
    assert len(updates) == 10
    assert len(set(updates)) == len(updates)
    assert all(now - datetime.timedelta(days=7) < update < now for update in updates)
    assert max(now - update for update in updates) > datetime.timedelta(days=2)


def test_the_demo_tickets_mail_went_to_the_outbox(db):
    load_demo()

    subjects_to_karen = [m.subject for m in OutgoingMail.objects.all() if KAREN in m.to]
    assert any("Mobile banking app" in subject for subject in subjects_to_karen)
