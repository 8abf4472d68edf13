"""Demo data for `make run`: the departments, plans, topics and people of the seed scenarios.

Loading is idempotent (a second run changes nothing) and refuses a database that holds
accounts other than the demo ones, so known passwords never reach a real installation.
"""

import os
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.db.models import Q

from accounts.models import Agent, DepartmentAccess, Permission, Role, User
from sla.models import Holiday, Schedule, SLAPlan, WorkingHours
from tickets.models import Department, HelpTopic, Priority

DEFAULT_PASSWORD = "helpdesk-demo"  # noqa: S105 -- published demo login, refused on real set-ups

# The seeds give one number per plan ("Sev-B: 4 hours, 24/7"): it is the resolution target.
# First responses are due in a quarter of it; every plan warns at 75 % of a target.
ALWAYS = "24/7"
BUSINESS_HOURS = "Business hours"
SLA_PLANS = [
    ("Sev-A", Decimal("0.25"), Decimal("1"), ALWAYS),
    ("Sev-B", Decimal("1"), Decimal("4"), ALWAYS),
    ("Sev-C", Decimal("2"), Decimal("8"), BUSINESS_HOURS),
]
WARNING_PERCENT = 75
DEMO_TIMEZONE = "Europe/Berlin"
WORKDAY = (time(9), time(17))
HOLIDAYS = [
    (date(2026, 12, 24), "Christmas Eve"),
    (date(2026, 12, 25), "Christmas Day"),
    (date(2026, 12, 31), "New Year's Eve"),
    (date(2027, 1, 1), "New Year's Day"),
    (date(2027, 3, 26), "Good Friday"),
    (date(2027, 3, 29), "Easter Monday"),
    (date(2027, 12, 24), "Christmas Eve"),
]

DEPARTMENTS = [
    ("Support", "Sev-B"),
    ("System Administrators", "Sev-B"),
    ("Online Banking", "Sev-A"),
]

# Support is the front line: it triages every topic and routes onwards.
HELP_TOPICS = [
    ("Business Critical Outage", Priority.HIGH, "Sev-A"),
    ("Password Reset", Priority.NORMAL, "Sev-B"),
    ("Personal Computer Issues", Priority.NORMAL, "Sev-C"),
    ("Equipment Request", Priority.LOW, "Sev-C"),
    ("General Inquiry", Priority.LOW, "Sev-C"),
]


_ALL = [p.value for p in Permission]
ROLES = {
    "All Access": _ALL,
    "Expanded Access": [p for p in _ALL if p not in ("delete", "merge")],
    "Limited Access": ["view", "reply", "note", "create"],
    "View only": ["view"],
}


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    kind: str  # "admin", "agent" or "end user"
    department: str = ""
    role: str = ""
    extended: tuple[tuple[str, str], ...] = ()


PEOPLE = [
    DemoPerson("admin@example.com", "Alex Admin", "admin", "Support", "All Access"),
    DemoPerson("john@example.com", "John Miller", "agent", "Support", "All Access"),
    DemoPerson(
        "jane@example.com",
        "Jane Cooper",
        "agent",
        "Online Banking",
        "All Access",
        extended=(("Support", "Expanded Access"),),
    ),
    DemoPerson("karen@example.com", "Karen Taylor", "end user"),
    DemoPerson("ken@example.com", "Ken Adams", "end user"),
]


class DemoRefused(Exception):
    pass


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


def _check_database_is_demo_only() -> None:
    # End users who only submitted tickets cannot sign in; anyone else means a real set-up.
    demo_emails = [person.email for person in PEOPLE]
    others = User.objects.exclude(email__in=demo_emails).filter(
        Q(agent__isnull=False) | ~Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    )
    if others.exists():
        raise DemoRefused(
            f"This database already has {others.count()} account(s) that can sign in and are "
            "not demo accounts; demo data (with known passwords) is only loaded into a "
            "database without real accounts."
        )


@transaction.atomic
def load_demo() -> list[str]:
    """Create what is missing of the demo data; return a line per thing created."""
    _check_database_is_demo_only()
    created = []
    schedules = {
        ALWAYS: Schedule.objects.get_or_create(
            name=ALWAYS, defaults={"is_always": True, "timezone": "UTC"}
        )[0]
    }
    schedules[BUSINESS_HOURS], new = Schedule.objects.get_or_create(
        name=BUSINESS_HOURS, defaults={"timezone": DEMO_TIMEZONE}
    )
    if new:
        created.append(f"schedule {BUSINESS_HOURS} (Mon–Fri 09:00–17:00, {DEMO_TIMEZONE})")
        WorkingHours.objects.bulk_create(
            WorkingHours(schedule=schedules[BUSINESS_HOURS], weekday=day, start=a, end=b)
            for day in range(5)
            for a, b in [WORKDAY]
        )
        Holiday.objects.bulk_create(
            Holiday(schedule=schedules[BUSINESS_HOURS], date=day, name=name)
            for day, name in HOLIDAYS
        )
    plans = {}
    for name, first_response, resolution, schedule in SLA_PLANS:
        plans[name], new = SLAPlan.objects.get_or_create(
            name=name,
            defaults={
                "first_response_hours": first_response,
                "resolution_hours": resolution,
                "schedule": schedules[schedule],
                "warning_percent": WARNING_PERCENT,
            },
        )
        if new:
            created.append(f"SLA plan {name}")
    departments = {}
    for name, plan in DEPARTMENTS:
        departments[name], new = Department.objects.get_or_create(
            name=name, defaults={"sla_plan": plans[plan]}
        )
        if new:
            created.append(f"department {name}")
    for name, priority, plan in HELP_TOPICS:
        _, new = HelpTopic.objects.get_or_create(
            name=name,
            defaults={
                "department": departments["Support"],
                "priority": priority,
                "sla_plan": plans[plan],
            },
        )
        if new:
            created.append(f"help topic {name}")
    roles = {}
    for name, permissions in ROLES.items():
        roles[name], new = Role.objects.get_or_create(
            name=name, defaults={p: True for p in permissions}
        )
        if new:
            created.append(f"role {name}")
    password = demo_password()
    for person in PEOPLE:
        user = User.objects.filter(email__iexact=person.email).first()
        if user is None:
            user = User.objects.create_user(
                person.email,
                password,
                full_name=person.full_name,
                is_staff=person.kind == "admin",
                is_superuser=person.kind == "admin",
            )
            created.append(f"{person.kind} {person.email}")
        if person.kind in ("admin", "agent"):
            agent, new = Agent.objects.get_or_create(
                user=user,
                defaults={
                    "is_admin": person.kind == "admin",
                    "department": departments[person.department],
                    "role": roles[person.role],
                },
            )
            if new:
                created.append(f"agent profile for {person.email}")
            for department, role in person.extended:
                _, new = DepartmentAccess.objects.get_or_create(
                    agent=agent,
                    department=departments[department],
                    defaults={"role": roles[role]},
                )
                if new:
                    created.append(f"{person.email}: extended access to {department}")
    return created


def login_lines() -> list[str]:
    password = demo_password()
    return [f"  {person.kind:<9} {person.email:<20} {password}" for person in PEOPLE]
