"""What agents do to a ticket: each action, who may take it, and what it records."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tickets import services
from tickets.models import Event, Priority, ThreadEntry
from tickets.status import Status


@pytest.fixture
def ticket(support, karen, outage_topic):
    """An open, unassigned ticket in Support that john (All Access there) works."""
    ticket = factories.TicketFactory(department=support, requester=karen, help_topic=outage_topic)
    factories.ThreadEntryFactory(ticket=ticket)
    return ticket


@pytest.fixture
def reader(support, view_only):
    """An agent of Support whose role only views."""
    return factories.AgentFactory(department=support, role=view_only)


def events(ticket, kind):
    return list(ticket.events.filter(kind=kind).values_list("data", flat=True))


def test_changing_the_priority_records_who_and_what(ticket, john):
    services.change_priority(ticket, priority=Priority.EMERGENCY, by=john)

    ticket.refresh_from_db()
    assert ticket.priority == Priority.EMERGENCY
    event = ticket.events.get(kind=Event.Kind.PRIORITY_CHANGED)
    assert event.actor == john.user
    assert event.data == {"from": "High", "to": "Emergency"}


def test_a_view_only_agent_can_change_nothing(ticket, reader, sev_c, online_banking, jane):
    attempts = [
        lambda: services.change_priority(ticket, priority=Priority.LOW, by=reader),
        lambda: services.change_sla_plan(ticket, sla_plan=sev_c, by=reader),
        lambda: services.assign_ticket(ticket, agent=jane, by=reader),
        lambda: services.transfer_ticket(ticket, department=online_banking, by=reader),
        lambda: services.post_reply(ticket, by=reader, body="Hi"),
        lambda: services.post_note(ticket, by=reader, body="Hm"),
        lambda: services.change_status(ticket, status=Status.RESOLVED, by=reader),
    ]
    for attempt in attempts:
        with pytest.raises(services.ActionRefused):
            attempt()

    ticket.refresh_from_db()
    assert ticket.revision == 0
    assert not ticket.events.exists()
    assert ticket.thread.count() == 1


def test_setting_the_sla_plan_and_help_topic_records_events(ticket, john, sev_c, inquiry_topic):
    services.change_sla_plan(ticket, sla_plan=sev_c, by=john)
    services.change_help_topic(ticket, help_topic=inquiry_topic, by=john)

    ticket.refresh_from_db()
    assert (ticket.sla_plan, ticket.help_topic) == (sev_c, inquiry_topic)
    assert events(ticket, Event.Kind.SLA_CHANGED) == [{"from": "Sev-A", "to": "Sev-C"}]
    assert events(ticket, Event.Kind.TOPIC_CHANGED) == [
        {"from": "Business Critical Outage", "to": "General Inquiry"}
    ]


def test_assigning_to_an_agent_or_a_team(ticket, john, jane):
    team = factories.TeamFactory(name="Level 2")

    services.assign_ticket(ticket, agent=jane, by=john)
    services.assign_ticket(ticket, team=team, by=john)

    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.team) == (None, team)
    assert events(ticket, Event.Kind.ASSIGNED) == [
        {"agent": "Jane Cooper", "team": None},
        {"agent": None, "team": "Level 2"},
    ]


def test_an_inactive_agent_cannot_be_assigned(ticket, john, jane):
    jane.user.is_active = False
    jane.user.save()

    with pytest.raises(services.TicketError, match="inactive"):
        services.assign_ticket(ticket, agent=jane, by=john)


def test_a_transfer_moves_the_ticket_out_of_the_agents_sight(ticket, john, online_banking):
    services.transfer_ticket(ticket, department=online_banking, by=john)

    ticket.refresh_from_db()
    assert ticket.department == online_banking
    assert events(ticket, Event.Kind.TRANSFERRED) == [{"from": "Support", "to": "Online Banking"}]
    from tickets.models import Ticket
    from tickets.permissions import forget_access

    forget_access(john)
    assert ticket not in Ticket.objects.visible_to(john)


def test_a_reply_marks_the_ticket_answered_and_stamps_the_first_response(ticket, john):
    entry = services.post_reply(ticket, by=john, body="We are looking into it.")

    ticket.refresh_from_db()
    assert entry.kind == ThreadEntry.Kind.RESPONSE
    assert entry.author == john.user
    assert ticket.is_answered
    assert ticket.first_responded_at is not None
    first = ticket.first_responded_at
    services.post_reply(ticket, by=john, body="Still on it.")
    ticket.refresh_from_db()
    assert ticket.first_responded_at == first


def test_replying_to_an_unassigned_ticket_makes_the_agent_its_assignee(ticket, john):
    services.post_reply(ticket, by=john, body="Mine now.")

    ticket.refresh_from_db()
    assert ticket.assignee == john
    assert events(ticket, Event.Kind.ASSIGNED) == [
        {"agent": "John Miller", "team": None, "on_reply": True}
    ]


def test_a_department_can_turn_assign_on_reply_off(ticket, john, support):
    support.assign_on_reply = False
    support.save()

    services.post_reply(ticket, by=john, body="Not mine.")

    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_a_reply_does_not_take_a_ticket_from_its_assignee(ticket, john, jane):
    ticket.assignee = jane
    ticket.save()

    services.post_reply(ticket, by=john, body="Helping out.")

    ticket.refresh_from_db()
    assert ticket.assignee == jane


def test_a_reply_can_resolve_the_ticket_in_the_same_step(ticket, john):
    services.post_reply(ticket, by=john, body="Fixed.", status=Status.RESOLVED)

    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert ticket.resolved_at is not None
    assert events(ticket, Event.Kind.STATUS_CHANGED) == [{"from": "open", "to": "resolved"}]
    from tickets.models import Ticket

    assert ticket in Ticket.objects.closed()


def test_resolving_needs_the_close_permission(ticket, support):
    replier = factories.AgentFactory(
        department=support, role=factories.RoleFactory(name="Replier", reply=True)
    )

    with pytest.raises(services.ActionRefused, match="lacks 'close'"):
        services.post_reply(ticket, by=replier, body="Done?", status=Status.RESOLVED)

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.thread.count() == 1, "nothing of the refused step is kept"


def test_a_reply_asking_the_user_something_pauses_as_awaiting_user(ticket, john):
    services.post_reply(ticket, by=john, body="Which app version?", status=Status.AWAITING_USER)

    ticket.refresh_from_db()
    assert ticket.status == Status.AWAITING_USER


def test_an_illegal_transition_is_refused_with_a_clear_message(ticket, john):
    services.change_status(ticket, status=Status.CLOSED, by=john)

    with pytest.raises(services.TicketError, match="cannot go from closed to resolved"):
        services.change_status(ticket, status=Status.RESOLVED, by=john)


def test_an_agent_reopens_a_closed_ticket_with_a_reopened_event(ticket, john):
    services.change_status(ticket, status=Status.CLOSED, by=john)
    services.change_status(ticket, status=Status.OPEN, by=john)

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.closed_at is None
    assert events(ticket, Event.Kind.REOPENED) == [{"from": "closed", "to": "open"}]


def test_a_note_is_internal_and_changes_no_status(ticket, john):
    entry = services.post_note(ticket, by=john, body="Check the load balancer.")

    ticket.refresh_from_db()
    assert entry.kind == ThreadEntry.Kind.NOTE
    assert ticket.status == Status.OPEN
    assert not ticket.is_answered


def test_a_form_loaded_before_another_change_is_refused(ticket, john, jane):
    loaded_at = ticket.revision
    services.change_priority(ticket, priority=Priority.LOW, by=john, revision=loaded_at)

    with pytest.raises(services.StaleTicket, match="changed after you opened it"):
        services.post_reply(ticket, by=john, body="Typed meanwhile", revision=loaded_at)

    assert not ticket.thread.filter(body="Typed meanwhile").exists()


def test_an_end_user_reply_makes_an_agents_open_form_stale(ticket, john, karen):
    loaded_at = ticket.revision
    services.post_user_reply(ticket, by=karen, body="More details")

    with pytest.raises(services.StaleTicket):
        services.post_reply(ticket, by=john, body="Answer", revision=loaded_at)


def test_resolved_tickets_close_by_themselves_after_the_configured_days(ticket, john, settings):
    settings.HELPDESK_AUTO_CLOSE_DAYS = 3
    services.change_status(ticket, status=Status.RESOLVED, by=john)
    fresh = factories.TicketFactory(requester=ticket.requester, department=ticket.department)
    services.change_status(fresh, status=Status.RESOLVED, by=john)

    assert services.close_resolved_tickets(timezone.now() + timedelta(days=2)) == 0
    assert services.close_resolved_tickets(timezone.now() + timedelta(days=3, minutes=1)) == 2
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert ticket.events.filter(kind=Event.Kind.STATUS_CHANGED, actor=None).exists()
    assert services.close_resolved_tickets(timezone.now() + timedelta(days=9)) == 0


def test_an_end_user_marks_their_own_ticket_resolved(ticket, karen, ken, settings):
    with pytest.raises(services.TicketError, match="Only the person who opened"):
        services.resolve_by_user(ticket, by=ken)

    services.resolve_by_user(ticket, by=karen)

    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    settings.HELPDESK_USERS_CAN_RESOLVE = False
    with pytest.raises(services.TicketError, match="resolved by our agents"):
        services.resolve_by_user(ticket, by=karen)
