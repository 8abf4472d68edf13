"""What agents change on a ticket besides its status and thread: priority, plan, topic,
due time, assignment, department; and who is looking at it."""

from django.db import transaction
from django.utils import timezone

from accounts.models import Agent
from tickets import notifications, timing
from tickets.models import Event, HelpTopic, Ticket, TicketPresence
from tickets.services.base import TicketError, label, locked_for, save_change
from tickets.services.records import record_event


@transaction.atomic
def change_priority(ticket: Ticket, *, priority: int, by: Agent, revision: int | None = None):
    """Set the ticket's priority; needs `edit`."""
    ticket = locked_for(ticket, by=by, action="edit", revision=revision)
    if ticket.priority == priority:
        return ticket
    before = ticket.get_priority_display()
    ticket.priority = priority
    save_change(ticket, ["priority"])
    record_event(
        ticket,
        Event.Kind.PRIORITY_CHANGED,
        actor=by.user,
        **{"from": before, "to": ticket.get_priority_display()},
    )
    return ticket


@transaction.atomic
def change_sla_plan(ticket: Ticket, *, sla_plan, by: Agent, revision: int | None = None):
    """Set the ticket's SLA plan; needs `edit`."""
    ticket = locked_for(ticket, by=by, action="edit", revision=revision)
    if ticket.sla_plan_id == (sla_plan.pk if sla_plan else None):
        return ticket
    before = label(ticket.sla_plan)
    ticket.sla_plan = sla_plan
    save_change(ticket, ["sla_plan", *timing.on_plan_change(ticket)])
    record_event(
        ticket, Event.Kind.SLA_CHANGED, actor=by.user, **{"from": before, "to": label(sla_plan)}
    )
    return ticket


def _adopt_plan(ticket: Ticket, by: Agent, reason: str) -> list[str]:
    """After a help topic or department change: take the plan it brings, if it brings one."""
    plan = timing.plan_for(help_topic=ticket.help_topic, department=ticket.department)
    if plan is None or plan.pk == ticket.sla_plan_id:
        return []
    before = label(ticket.sla_plan)
    ticket.sla_plan = plan
    record_event(
        ticket,
        Event.Kind.SLA_CHANGED,
        actor=by.user,
        **{"from": before, "to": plan.name, reason: True},
    )
    return ["sla_plan", *timing.on_plan_change(ticket)]


@transaction.atomic
def change_help_topic(ticket: Ticket, *, help_topic: HelpTopic, by: Agent, revision=None):
    """Set the ticket's help topic (its department and plan stay as they are); needs `edit`."""
    ticket = locked_for(ticket, by=by, action="edit", revision=revision)
    if ticket.help_topic_id == help_topic.pk:
        return ticket
    before = label(ticket.help_topic)
    ticket.help_topic = help_topic
    record_event(
        ticket, Event.Kind.TOPIC_CHANGED, actor=by.user, **{"from": before, "to": help_topic.name}
    )
    save_change(ticket, ["help_topic", *_adopt_plan(ticket, by, "by_help_topic")])
    return ticket


@transaction.atomic
def assign_ticket(ticket: Ticket, *, agent=None, team=None, by: Agent, revision=None):
    """Give the ticket to an agent or a team (or to nobody); needs `assign`.

    Refuses an inactive agent or team: they could not work it.
    """
    ticket = locked_for(ticket, by=by, action="assign", revision=revision)
    if agent is not None and not agent.user.is_active:
        raise TicketError(f"{agent} is inactive and cannot be assigned tickets.")
    if team is not None and not team.is_active:
        raise TicketError(f"The team {team} is inactive and cannot be assigned tickets.")
    if (ticket.assignee_id, ticket.team_id) == (
        agent.pk if agent else None,
        team.pk if team else None,
    ):
        return ticket
    ticket.assignee, ticket.team = agent, team
    save_change(ticket, ["assignee", "team"])
    record_event(ticket, Event.Kind.ASSIGNED, actor=by.user, agent=label(agent), team=label(team))
    notifications.ticket_assigned(ticket, by=by)
    return ticket


@transaction.atomic
def transfer_ticket(ticket: Ticket, *, department, by: Agent, revision=None):
    """Move the ticket to another department; needs `transfer`.

    Agents without access to the new department lose sight of it (unless assigned).
    """
    ticket = locked_for(ticket, by=by, action="transfer", revision=revision)
    if ticket.department_id == department.pk:
        raise TicketError(f"The ticket is already in {department}.")
    before = ticket.department.name
    ticket.department = department
    record_event(
        ticket, Event.Kind.TRANSFERRED, actor=by.user, **{"from": before, "to": department.name}
    )
    save_change(ticket, ["department", *_adopt_plan(ticket, by, "by_department")])
    notifications.ticket_transferred(ticket, before=before, by=by)
    return ticket


@transaction.atomic
def set_due_time(ticket: Ticket, *, due_at, by: Agent, revision=None):
    """Set (or clear, with None) a resolution due time by hand; needs `edit`.

    Refuses a time in the past or more than a year ahead (timing.manual_due_problem).
    """
    ticket = locked_for(ticket, by=by, action="edit", revision=revision)
    problem = due_at and timing.manual_due_problem(due_at, timezone.now())
    if problem:
        raise TicketError(problem)
    if ticket.due_override_at == due_at:
        return ticket
    before = ticket.due_override_at
    save_change(ticket, timing.set_due_override(ticket, due_at))
    record_event(
        ticket,
        Event.Kind.DUE_CHANGED,
        actor=by.user,
        **{
            "from": before.isoformat() if before else None,
            "to": due_at.isoformat() if due_at else None,
        },
    )
    return ticket


def note_presence(ticket: Ticket, *, agent: Agent, is_replying: bool) -> None:
    """Record that the agent has the ticket open (and whether they are writing a reply)."""
    TicketPresence.objects.update_or_create(
        ticket=ticket,
        agent=agent,
        defaults={"is_replying": is_replying, "seen_at": timezone.now()},
    )
