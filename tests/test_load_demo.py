"""`manage.py load_demo`: the demo data of `make run`, loaded once and never into a real set-up."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from accounts.models import Agent, Permission, Role, User
from sla.models import SLAPlan
from tickets.models import Department, HelpTopic, Priority

DEMO_EMAILS = [
    "admin@example.com",
    "john@example.com",
    "jane@example.com",
    "karen@example.com",
    "ken@example.com",
]


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return {
        model.__name__: sorted(str(row) for row in model.objects.values())
        for model in (User, Agent, SLAPlan, Department, HelpTopic)
    }


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
