"""Every status move is declared in tickets.status, with who may make it; the services allow
exactly the declared moves and refuse every other, and the staff forms offer only those."""

import datetime
import itertools

import pytest
from django.utils import timezone

from tests import factories
from tickets import services, staff_forms
from tickets import status as machine
from tickets.models import Event, Ticket
from tickets.status import Actor, Status

PAIRS = [(a, b) for a, b in itertools.product(Status, Status) if a != b]


def declared(actor: Actor) -> set[tuple[Status, Status]]:
    return {(m.source, m.target) for m in machine.MOVES if m.actor == actor}


@pytest.fixture
def ticket_in(karen, outage_topic):
    def make(status: Status) -> Ticket:
        ended = timezone.now() - datetime.timedelta(days=1)
        return factories.TicketFactory(
            requester=karen,
            help_topic=outage_topic,
            status=status,
            resolved_at=ended if status in machine.CLOSED_STATUSES else None,
            closed_at=ended if status == Status.CLOSED else None,
        )

    return make


def last_event(ticket: Ticket) -> Event:
    return ticket.events.order_by("-pk").first()


def test_every_status_can_be_left_by_an_agent_and_the_system_only_closes():
    for status in Status:
        assert machine.targets_from(status, actor=Actor.AGENT)
    assert declared(Actor.SYSTEM) == {(Status.RESOLVED, Status.CLOSED)}


@pytest.mark.parametrize(("source", "target"), PAIRS, ids=lambda s: s.value)
def test_an_agent_makes_exactly_the_declared_moves(ticket_in, john, source, target):
    ticket = ticket_in(source)

    if (source, target) in declared(Actor.AGENT):
        services.change_status(ticket, status=target, by=john)
        ticket.refresh_from_db()
        assert ticket.status == target
        event = last_event(ticket)
        reopens = source in machine.CLOSED_STATUSES and target in machine.OPEN_STATUSES
        assert event.kind == (Event.Kind.REOPENED if reopens else Event.Kind.STATUS_CHANGED)
        assert event.data["from"] == source
        assert event.actor == john.user
    else:
        with pytest.raises(services.TicketError, match="cannot go from"):
            services.change_status(ticket, status=target, by=john)
        ticket.refresh_from_db()
        assert ticket.status == source


@pytest.mark.parametrize("move", [m for m in machine.MOVES if m.actor == Actor.AGENT], ids=str)
def test_an_agent_whose_role_lacks_the_moves_permission_is_refused(ticket_in, support, move):
    role = factories.RoleFactory(name=f"Without {move.permission}", **{move.permission: False})
    agent = factories.AgentFactory(department=support, role=role)
    ticket = ticket_in(move.source)

    with pytest.raises(services.ActionRefused, match=f"lacks '{move.permission}'"):
        services.change_status(ticket, status=move.target, by=agent)
    ticket.refresh_from_db()
    assert ticket.status == move.source


@pytest.mark.parametrize("source", list(Status), ids=lambda s: s.value)
def test_the_requesters_reply_makes_only_declared_moves(ticket_in, karen, source):
    ticket = ticket_in(source)

    services.post_user_reply(ticket, by=karen, body="Any news?")

    ticket.refresh_from_db()
    if source == Status.OPEN:
        assert ticket.status == Status.OPEN
        assert not ticket.events.exists()
    else:
        assert (source, ticket.status) in declared(Actor.REQUESTER)
        assert last_event(ticket).actor == karen


@pytest.mark.parametrize("source", list(Status), ids=lambda s: s.value)
def test_the_requester_marks_resolved_only_where_declared(ticket_in, karen, source):
    ticket = ticket_in(source)

    if (source, Status.RESOLVED) in declared(Actor.REQUESTER):
        services.resolve_by_user(ticket, by=karen)
        ticket.refresh_from_db()
        assert ticket.status == Status.RESOLVED
        assert last_event(ticket).data == {"from": source, "to": "resolved", "by_requester": True}
    else:
        with pytest.raises(services.TicketError, match="already resolved or closed"):
            services.resolve_by_user(ticket, by=karen)


def test_the_system_closes_only_resolved_tickets(ticket_in, settings):
    settings.HELPDESK_AUTO_CLOSE_DAYS = 0
    tickets = {status: ticket_in(status) for status in Status}

    assert services.close_resolved_tickets() == 1

    for status, ticket in tickets.items():
        ticket.refresh_from_db()
        expected = Status.CLOSED if status == Status.RESOLVED else status
        assert ticket.status == expected
    closing = last_event(tickets[Status.RESOLVED])
    assert closing.actor is None
    assert closing.data == {"from": "resolved", "to": "closed", "automatic": True}


@pytest.mark.parametrize("source", list(Status), ids=lambda s: s.value)
def test_the_staff_forms_offer_only_the_moves_an_agent_may_make(ticket_in, source):
    ticket = ticket_in(source)
    allowed = {target.value for target in machine.targets_from(source, actor=Actor.AGENT)}

    status_choices = {
        value for value, _ in staff_forms.StatusForm(ticket=ticket).fields["status"].choices
    }
    reply_choices = {
        value for value, _ in staff_forms.ResponseForm(ticket=ticket).fields["status"].choices
    }

    assert status_choices == allowed | {source.value}
    assert reply_choices == allowed | {""}


def test_a_status_the_form_does_not_offer_is_refused_as_an_invalid_choice(ticket_in):
    ticket = ticket_in(Status.CLOSED)

    form = staff_forms.StatusForm(
        {"status-status": Status.RESOLVED, "status-revision": ticket.revision}, ticket=ticket
    )

    assert not form.is_valid()
    assert "status" in form.errors
