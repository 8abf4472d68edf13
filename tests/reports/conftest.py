"""The known set of tickets the report tests count: see `helpdesk_story`."""

import datetime

import pytest

from tests import factories
from tests.sla import conftest as sla
from tickets import services, sweep
from tickets.models import Priority
from tickets.status import Status

BERLIN = sla.BERLIN
# The SLA tests' hand-moved clock and business-hours plan, for these tests too.
clock = sla.clock
business_hours = sla.business_hours
sev_c_business = sla.sev_c_business


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BERLIN)


# Two weeks of December 2018 in Berlin: Mon 17 to Sun 30, with Christmas Eve (Mon 24) a
# holiday of the business-hours schedule; the report is read on Mon 31 at 10:00.
PERIOD_START = datetime.date(2018, 12, 17)
PERIOD_END = datetime.date(2018, 12, 30)
NOW = at(2018, 12, 31, 10, 0)


class Story:
    """The tickets, by letter, and the agents who worked them."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


@pytest.fixture
def helpdesk_story(clock, support, online_banking, sev_c_business, sev_a, john, jane, karen):
    """Support works on business hours (Sev-C business: first response 2 h, resolution 8 h);
    Online Banking around the clock (Sev-A: 15 min, 1 h). John works Support, Jane Online
    Banking. What happens, in Berlin time:

    G  Mon 10 Dec 10:00 created, 10:30 answered; resolved Fri 28 Dec 16:00 (110 working h).
    A  Mon 17 10:00 created, 13:00 answered (3 h, late), 14:00 awaiting the user, who
       replies Tue 18 11:00; resolved Tue 18 15:00: 8 working h with the pause left out,
       on time to the minute.
    F  Wed 19 08:00 created (Online Banking), 08:10 answered, 08:50 resolved; rated bad.
    B  Fri 21 16:30 created, answered Tue 25 10:00 (1.5 h: the weekend and Christmas Eve
       skipped), resolved Wed 26 12:00 (11.5 h, late); rated good.
    C  Sat 22 09:00 created, answered Tue 25 10:00 (1 h); High; marked overdue Wed 26 09:30
       by the sweep with B and G; still open.
    D  Thu 27 09:00 created, closed 10:00 without an answer, reopened Fri 28 09:00; open.
    E  Mon 31 09:00 created, after the period; open, unassigned.
    H  Mon 31 00:30 created: Sun 30 in UTC, Mon 31 in Berlin; open, unassigned.
    """
    support.sla_plan = sev_c_business
    support.save()
    for agent in (john, jane):
        agent.timezone = "Europe/Berlin"  # the dashboard's days are the viewer's
        agent.save()
    topic = factories.HelpTopicFactory(
        name="Personal Computer Issues", department=support, sla_plan=sev_c_business
    )
    banking = factories.HelpTopicFactory(
        name="Online Banking Access", department=online_banking, sla_plan=sev_a
    )

    def open_at(when, subject, help_topic=topic, assignee=john):
        clock.set(when)
        ticket, _ = services.open_ticket(
            email=karen.email,
            full_name=karen.full_name,
            help_topic=help_topic,
            subject=subject,
            body="Please help.",
        )
        if assignee is not None:
            ticket = services.assign_ticket(ticket, agent=assignee, by=assignee)
        return ticket

    def reply_at(when, ticket, by, **extra):
        clock.set(when)
        services.post_reply(ticket, by=by, body="On it.", **extra)
        ticket.refresh_from_db()

    def status_at(when, ticket, status, by):
        clock.set(when)
        services.change_status(ticket, status=status, by=by)
        ticket.refresh_from_db()

    g = open_at(at(2018, 12, 10, 10, 0), "G: shared drive slow")
    reply_at(at(2018, 12, 10, 10, 30), g, john)

    a = open_at(at(2018, 12, 17, 10, 0), "A: printer offline")
    reply_at(at(2018, 12, 17, 13, 0), a, john)
    status_at(at(2018, 12, 17, 14, 0), a, Status.AWAITING_USER, john)
    clock.set(at(2018, 12, 18, 11, 0))
    services.post_user_reply(a, by=karen, body="Here is the model number.")
    a.refresh_from_db()
    status_at(at(2018, 12, 18, 15, 0), a, Status.RESOLVED, john)

    f = open_at(at(2018, 12, 19, 8, 0), "F: cannot log in", help_topic=banking, assignee=jane)
    reply_at(at(2018, 12, 19, 8, 10), f, jane)
    status_at(at(2018, 12, 19, 8, 50), f, Status.RESOLVED, jane)
    clock.set(at(2018, 12, 19, 12, 0))
    services.rate(f, rating="bad", comment="Took too long")

    b = open_at(at(2018, 12, 21, 16, 30), "B: laptop will not start")
    c = open_at(at(2018, 12, 22, 9, 0), "C: monitor flickers")
    clock.set(at(2018, 12, 22, 9, 5))
    services.change_priority(c, priority=Priority.HIGH, by=john)
    reply_at(at(2018, 12, 25, 10, 0), b, john)
    reply_at(at(2018, 12, 25, 10, 0), c, john)
    clock.set(at(2018, 12, 26, 9, 30))
    sweep.sweep()
    status_at(at(2018, 12, 26, 12, 0), b, Status.RESOLVED, john)
    clock.set(at(2018, 12, 26, 13, 0))
    services.rate(b, rating="good", comment="Thanks, quick fix")

    d = open_at(at(2018, 12, 27, 9, 0), "D: keyboard missing keys")
    status_at(at(2018, 12, 27, 10, 0), d, Status.CLOSED, john)
    status_at(at(2018, 12, 28, 9, 0), d, Status.OPEN, john)
    status_at(at(2018, 12, 28, 16, 0), g, Status.RESOLVED, john)

    h = open_at(at(2018, 12, 31, 0, 30), "H: new starter", assignee=None)
    e = open_at(at(2018, 12, 31, 9, 0), "E: mouse broken", assignee=None)
    clock.set(NOW)
    return Story(
        a=a,
        b=b,
        c=c,
        d=d,
        e=e,
        f=f,
        g=g,
        h=h,
        john=john,
        jane=jane,
        topic=topic,
        banking=banking,
        plan=sev_c_business,
        sev_a=sev_a,
        support=support,
        online_banking=online_banking,
    )
