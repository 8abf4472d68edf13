"""factory_boy factories for the domain; the named cast in conftest.py is built from these."""

import datetime
import io
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Agent, DepartmentAccess, Permission, Role, Team, User
from sla.models import Holiday, Schedule, SLAPlan, WorkingHours
from tickets.models import (
    Attachment,
    Department,
    Event,
    HelpTopic,
    Priority,
    ThreadEntry,
    Ticket,
)
from tickets.services import new_ticket_number
from tickets.status import Status


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password("correct horse battery staple")


ALL_PERMISSIONS = {p.value: True for p in Permission}


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Role {n}")
    view = True

    class Params:
        full = factory.Trait(**ALL_PERMISSIONS)


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent

    user = factory.SubFactory(UserFactory)
    is_admin = False
    department = factory.SubFactory("tests.factories.DepartmentFactory")
    role = factory.SubFactory(RoleFactory, name="All Access", full=True)


class DepartmentAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DepartmentAccess

    agent = factory.SubFactory(AgentFactory)
    department = factory.SubFactory("tests.factories.DepartmentFactory")
    role = factory.SubFactory(RoleFactory, name="All Access", full=True)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


def always_schedule() -> Schedule:
    """The built-in "24/7" schedule (its migration makes it; a flushed database may not have it)."""
    return Schedule.objects.get_or_create(
        name="24/7", defaults={"is_always": True, "timezone": "UTC"}
    )[0]


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Schedule {n}")
    timezone = "Europe/Berlin"


class WorkingHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingHours

    schedule = factory.SubFactory(ScheduleFactory)
    weekday = 0
    start = datetime.time(9)
    end = datetime.time(17)


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holiday

    schedule = factory.SubFactory(ScheduleFactory)
    date = datetime.date(2026, 12, 25)
    name = "Christmas Day"


class SLAPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SLAPlan
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Plan {n}")
    schedule = factory.LazyFunction(always_schedule)
    first_response_hours = Decimal("1")
    resolution_hours = Decimal("4")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Department {n}")
    sla_plan = factory.SubFactory(SLAPlanFactory)


class HelpTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpTopic
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    department = factory.SubFactory(DepartmentFactory)
    priority = Priority.NORMAL
    sla_plan = factory.SubFactory(SLAPlanFactory)


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    number = factory.LazyFunction(new_ticket_number)
    subject = factory.Faker("sentence", nb_words=5)
    requester = factory.SubFactory(UserFactory)
    help_topic = factory.SubFactory(HelpTopicFactory)
    department = factory.SelfAttribute("help_topic.department")
    priority = factory.SelfAttribute("help_topic.priority")
    sla_plan = factory.SelfAttribute("help_topic.sla_plan")
    status = Status.OPEN


class ThreadEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThreadEntry

    ticket = factory.SubFactory(TicketFactory)
    kind = ThreadEntry.Kind.MESSAGE
    author = factory.SelfAttribute("ticket.requester")
    author_name = factory.SelfAttribute("author.full_name")
    body = factory.Faker("paragraph")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    ticket = factory.SubFactory(TicketFactory)
    kind = Event.Kind.CREATED


def png_bytes(width: int = 40, height: int = 30, colour=(200, 30, 30)) -> bytes:
    """A real PNG image, for attachments that must decode."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    entry = factory.SubFactory(ThreadEntryFactory)
    filename = factory.Sequence(lambda n: f"file-{n}.txt")
    content_type = "text/plain"
    file = factory.django.FileField(data=b"attached text\n")
    size = 14
    created_at = factory.LazyFunction(timezone.now)
