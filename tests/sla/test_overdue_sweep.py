"""The overdue sweep marks once, alerts the right people, and warns once before a breach."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests import factories
from tests.sla.conftest import BERLIN
from tickets import services
from tickets.models import Event, SLAAlert
from tickets.sweep import sweep

pytestmark = pytest.mark.django_db


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def ticket(clock, support, sev_c_business, karen):
    topic = factories.HelpTopicFactory(
        name="Personal Computer Issues", department=support, sla_plan=sev_c_business
    )
    ticket, _ = services.open_ticket(
        email=karen.email,
        full_name=karen.full_name,
        help_topic=topic,
        subject="Laptop will not start",
        body="It beeps.",
    )
    return ticket  # first response due Tue 25 Dec 10:30, resolution Tue 16:30


def _alerts(kind):
    return sorted((a.recipient.user.email, a.target) for a in SLAAlert.objects.filter(kind=kind))


def test_a_ticket_past_due_is_marked_overdue_exactly_once(clock, ticket, john):
    services.assign_ticket(ticket, agent=john, by=john)
    clock.set(at(2018, 12, 25, 10, 31))

    first = sweep()
    second = sweep()

    assert (first.overdue, second.overdue) == (1, 0)
    ticket.refresh_from_db()
    assert ticket.is_overdue
    assert ticket.overdue_at == at(2018, 12, 25, 10, 31)
    [event] = ticket.events.filter(kind=Event.Kind.OVERDUE)
    assert event.data["target"] == "first_response"
    assert _alerts(SLAAlert.Kind.OVERDUE) == [("john@example.com", "first_response")]


def test_nothing_is_marked_before_the_due_minute(clock, ticket):
    clock.set(at(2018, 12, 25, 10, 29))

    assert sweep().overdue == 0


def test_an_unassigned_ticket_alerts_the_departments_manager_and_members(
    clock, ticket, support, online_banking, john, jane, all_access
):
    boss = factories.AgentFactory(
        user__email="boss@example.com", department=support, role=all_access
    )
    support.manager = boss
    support.save()
    factories.DepartmentAccessFactory(agent=jane, department=support)
    factories.AgentFactory(  # Online Banking only: never hears of a Support ticket
        user__email="outsider@example.com", department=online_banking, role=all_access
    )
    clock.set(at(2018, 12, 25, 11, 0))

    sweep()

    assert [email for email, _ in _alerts(SLAAlert.Kind.OVERDUE)] == [
        "boss@example.com",  # the manager
        "jane@example.com",  # a member through extended access
        "john@example.com",  # a member through his primary department
    ]


def test_a_manager_who_cannot_see_the_ticket_is_not_alerted(
    clock, ticket, support, online_banking, john, all_access
):
    support.manager = factories.AgentFactory(
        user__email="elsewhere@example.com", department=online_banking, role=all_access
    )
    support.save()
    clock.set(at(2018, 12, 25, 11, 0))

    sweep()

    assert [email for email, _ in _alerts(SLAAlert.Kind.OVERDUE)] == ["john@example.com"]


def test_the_warning_alerts_once_before_the_breach_then_the_next_target_is_warned(
    clock, ticket, john
):
    services.assign_ticket(ticket, agent=john, by=john)
    # 75 % of the 2 h first response: 1.5 working hours, Tue 10:00.
    clock.set(at(2018, 12, 25, 9, 59))
    assert sweep().warned == 0
    clock.set(at(2018, 12, 25, 10, 0))

    assert sweep().warned == 1
    assert sweep().warned == 0
    assert _alerts(SLAAlert.Kind.WARNING) == [("john@example.com", "first_response")]

    services.post_reply(ticket, body="On it.", by=john)
    # 75 % of 8 h is 6 h: Fri 16:30–17:00 and Tue 09:00–14:30.
    clock.set(at(2018, 12, 25, 14, 30))
    assert sweep().warned == 1
    assert _alerts(SLAAlert.Kind.WARNING) == [
        ("john@example.com", "first_response"),
        ("john@example.com", "resolution"),
    ]
    clock.set(at(2018, 12, 25, 16, 30))
    result = sweep()
    assert (result.overdue, result.warned) == (1, 0)


def test_a_new_plan_that_moves_the_due_time_later_clears_the_overdue_mark(
    clock, ticket, john, sev_a
):
    clock.set(at(2018, 12, 25, 11, 0))
    sweep()
    late_plan = factories.SLAPlanFactory(
        name="Relaxed", first_response_hours=100, resolution_hours=200
    )

    ticket = services.change_sla_plan(ticket, sla_plan=late_plan, by=john)

    assert not ticket.is_overdue


def test_the_command_and_the_overdue_queue(clock, ticket, client, john):
    clock.set(at(2018, 12, 25, 17, 0))

    call_command("sla_sweep")

    client.force_login(john.user)
    listing = client.get(reverse("staff:queue", kwargs={"queue": "overdue"})).context["listing"]
    assert [row.ticket.number for row in listing.rows] == [ticket.number]
