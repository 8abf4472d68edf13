"""A ticket's due times: from its plan and schedule, recomputed, paused, met, explained."""

import datetime
from decimal import Decimal

import pytest

from tests import factories
from tests.sla.conftest import BERLIN
from tickets import services, timing
from tickets.models import Event
from tickets.status import Status

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def topic(support, sev_c_business):
    return factories.HelpTopicFactory(
        name="Personal Computer Issues", department=support, sla_plan=sev_c_business
    )


def _open(topic, **extra):
    ticket, _ = services.open_ticket(
        email="karen@example.com",
        full_name="Karen Taylor",
        help_topic=topic,
        subject="Laptop will not start",
        body="It beeps three times.",
        **extra,
    )
    return ticket


def test_a_friday_afternoon_ticket_is_due_on_the_next_working_day_after_the_holiday(clock, topic):
    ticket = _open(topic)

    assert ticket.sla_plan.name == "Sev-C business"
    # 2 h first response: Fri 16:30–17:00, then Tue 09:00–10:30 (Mon is Christmas Eve).
    assert ticket.first_response_due_at == at(2018, 12, 25, 10, 30)
    assert ticket.resolution_due_at == at(2018, 12, 25, 16, 30)


def test_the_explanation_says_how_the_due_time_was_reached(clock, topic):
    ticket = _open(topic)

    resolution = timing.explain(ticket)[1]

    assert resolution.label == "Resolution due"
    assert " ".join(resolution.lines) == (
        "Created Fri 16:30 (Europe/Berlin). Sev-C business gives 8 working hours on Business "
        "hours (Mon–Fri 09:00–17:00). Counted Fri 16:30–17:00 (0.5 h); skipped the weekend "
        "and Mon 24 Dec (Christmas Eve); counted Tue 09:00–16:30 (7.5 h). Due Tue 16:30."
    )


def test_no_plan_anywhere_means_nothing_is_due_unless_a_default_is_set(clock, support, settings):
    bare = factories.HelpTopicFactory(name="Bare", department=support, sla_plan=None)
    support.sla_plan = None
    support.save()

    assert _open(bare).resolution_due_at is None

    factories.SLAPlanFactory(name="Default plan", resolution_hours=Decimal("3"))
    settings.HELPDESK_DEFAULT_SLA_PLAN = "default PLAN"
    ticket = _open(bare)

    assert ticket.sla_plan.name == "Default plan"
    assert ticket.resolution_due_at == clock.now + datetime.timedelta(hours=3)


def test_changing_the_plan_recomputes_from_creation_counting_working_time_used(
    clock, topic, john, sev_a
):
    ticket = _open(topic)
    clock.set(at(2018, 12, 27, 9, 0))  # Thursday: 6 working hours used already

    ticket = services.change_sla_plan(ticket, sla_plan=sev_a, by=john)

    # Sev-A is 24/7: one hour from creation, long past.
    assert ticket.resolution_due_at == at(2018, 12, 21, 17, 30)
    ticket.refresh_from_db()
    assert ticket.resolution_due_at == at(2018, 12, 21, 17, 30)
    assert ticket.events.filter(kind=Event.Kind.SLA_CHANGED).exists()


def test_a_help_topic_or_a_department_that_brings_a_plan_recomputes(
    clock, topic, john, outage_topic, sev_a, online_banking, support
):
    ticket = _open(topic)
    factories.DepartmentAccessFactory(agent=john, department=online_banking)

    ticket = services.change_help_topic(ticket, help_topic=outage_topic, by=john)
    assert ticket.sla_plan == sev_a
    assert ticket.resolution_due_at == at(2018, 12, 21, 17, 30)

    no_plan_topic = factories.HelpTopicFactory(name="No plan", department=support, sla_plan=None)
    ticket = services.change_help_topic(ticket, help_topic=no_plan_topic, by=john)
    assert ticket.sla_plan == support.sla_plan  # the department's, now that the topic has none

    ticket = services.transfer_ticket(ticket, department=online_banking, by=john)
    assert ticket.sla_plan == sev_a
    assert ticket.events.filter(kind=Event.Kind.SLA_CHANGED, data__by_department=True).exists()


def test_time_awaiting_the_user_is_not_counted_across_several_pauses(clock, topic, john):
    ticket = _open(topic)
    clock.set(at(2018, 12, 25, 10, 0))
    services.post_reply(ticket, body="Which model is it?", status=Status.AWAITING_USER, by=john)
    clock.set(at(2018, 12, 25, 12, 0))  # two working hours paused
    services.post_user_reply(ticket, by=ticket.requester, body="An X1.")
    clock.set(at(2018, 12, 25, 13, 0))
    services.change_status(ticket, status=Status.AWAITING_USER, by=john)
    clock.set(at(2018, 12, 25, 18, 0))  # 16:30 was due; 4 working hours paused in all
    ticket = services.change_status(ticket, status=Status.OPEN, by=john)

    ticket.refresh_from_db()
    assert ticket.sla_paused_work == datetime.timedelta(hours=6)
    assert ticket.sla_paused_since is None
    # Tue 16:30 + 6 working hours: Tue 16:30–17:00, Wed 09:00–14:30.
    assert ticket.resolution_due_at == at(2018, 12, 26, 14, 30)


def test_a_paused_ticket_is_never_marked_overdue(clock, topic, john):
    ticket = _open(topic)
    services.post_reply(ticket, body="Which model?", status=Status.AWAITING_USER, by=john)
    clock.set(at(2019, 1, 15, 9, 0))

    assert services_sweep().overdue == 0


def services_sweep():
    from tickets.sweep import sweep

    return sweep()


def test_first_response_and_resolution_are_stored_with_whether_they_were_on_time(
    clock, topic, john
):
    ticket = _open(topic)
    clock.set(at(2018, 12, 25, 11, 0))  # half an hour late
    services.post_reply(ticket, body="Looking into it.", by=john)
    clock.set(at(2018, 12, 25, 15, 0))
    services.change_status(ticket, status=Status.RESOLVED, by=john)

    ticket.refresh_from_db()
    assert ticket.first_responded_at == at(2018, 12, 25, 11, 0)
    assert ticket.first_response_on_time is False
    assert ticket.resolved_at == at(2018, 12, 25, 15, 0)
    assert ticket.resolution_on_time is True


def test_a_manual_due_time_overrides_the_plan_until_cleared(clock, topic, john):
    ticket = _open(topic)
    mine = at(2019, 1, 4, 12, 0)

    ticket = services.set_due_time(ticket, due_at=mine, by=john)
    assert ticket.resolution_due_at == mine
    assert "Set by hand" in timing.explain(ticket)[1].lines[0]
    assert ticket.events.filter(kind=Event.Kind.DUE_CHANGED).count() == 1

    ticket = services.set_due_time(ticket, due_at=None, by=john)
    assert ticket.resolution_due_at == at(2018, 12, 25, 16, 30)


def test_a_manual_due_time_needs_edit(clock, topic, john, view_only):
    ticket = _open(topic)
    john.role = view_only
    john.save()

    with pytest.raises(services.ActionRefused):
        services.set_due_time(ticket, due_at=at(2019, 1, 4, 12, 0), by=john)


HOURS = datetime.timedelta(hours=1)


def test_the_working_time_each_target_took_is_stored_when_it_is_met(clock, topic, john):
    ticket = _open(topic)  # Fri 21 Dec 2018, 16:30
    clock.set(at(2018, 12, 25, 11, 0))
    services.post_reply(ticket, body="Looking into it.", by=john)
    clock.set(at(2018, 12, 25, 15, 0))
    services.change_status(ticket, status=Status.RESOLVED, by=john)

    ticket.refresh_from_db()
    # Fri 16:30–17:00, the weekend and Christmas Eve off, Tue 09:00–11:00.
    assert ticket.first_response_work == 2.5 * HOURS
    # ... and on to Tue 15:00.
    assert ticket.resolution_work == 6.5 * HOURS


def test_time_awaiting_the_user_is_left_out_of_the_stored_working_time(clock, topic, john):
    ticket = _open(topic)
    clock.set(at(2018, 12, 25, 10, 0))
    services.post_reply(ticket, body="Which model?", status=Status.AWAITING_USER, by=john)
    clock.set(at(2018, 12, 25, 12, 0))
    services.post_user_reply(ticket, by=ticket.requester, body="An X1.")
    clock.set(at(2018, 12, 25, 13, 0))
    services.change_status(ticket, status=Status.AWAITING_USER, by=john)
    clock.set(at(2018, 12, 25, 15, 0))
    # Resolved while awaiting the user: the pause under way is left out too.
    services.change_status(ticket, status=Status.RESOLVED, by=john)

    ticket.refresh_from_db()
    assert ticket.first_response_work == 1.5 * HOURS
    # 6.5 working hours since Friday, less 2 + 2 awaiting the user.
    assert ticket.resolution_work == 2.5 * HOURS


def test_a_reopened_ticket_counts_its_resolution_again(clock, topic, john):
    ticket = _open(topic)
    clock.set(at(2018, 12, 25, 10, 0))
    services.change_status(ticket, status=Status.RESOLVED, by=john)
    clock.set(at(2018, 12, 25, 11, 0))
    services.change_status(ticket, status=Status.OPEN, by=john)

    ticket.refresh_from_db()
    assert ticket.resolution_work is None

    clock.set(at(2018, 12, 27, 9, 30))
    services.change_status(ticket, status=Status.RESOLVED, by=john)

    ticket.refresh_from_db()
    # Fri 0.5 + Tue 8 + Wed 8 (Boxing Day is a working day on this schedule) + Thu 0.5.
    assert ticket.resolution_work == 17 * HOURS
    assert ticket.first_response_work is None  # no agent response yet


def test_without_a_plan_no_working_time_is_stored(clock, topic, john):
    ticket = _open(topic)
    type(ticket).objects.filter(pk=ticket.pk).update(sla_plan=None)
    ticket.refresh_from_db()
    clock.set(at(2018, 12, 25, 10, 0))
    services.post_reply(ticket, body="Hello.", by=john)

    ticket.refresh_from_db()
    assert ticket.first_responded_at is not None
    assert ticket.first_response_work is None
