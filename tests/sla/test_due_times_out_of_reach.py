"""No due time, however far off, takes a ticket's page or its queue down.

An agent once saved a manual due time in the year 9999: every page listing the ticket
answered 500, and years 3000–5000 made them take tens of seconds. Manual due times are now
kept within a year, and the clock refuses (at once) what it cannot count, so a stored value
that got there some other way shows as such and the rest of the page works.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from sla import clock, targets
from tests import factories
from tickets import services, sweep
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

FAR_OFF = datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.UTC)


@pytest.fixture
def ticket(support, sev_c, karen):
    topic = factories.HelpTopicFactory(name="Printers", department=support, sla_plan=sev_c)
    ticket, _ = services.open_ticket(
        email=karen.email,
        full_name=karen.full_name,
        help_topic=topic,
        subject="Printer jam",
        body="It jams.",
    )
    return ticket


def _post_due(client, ticket, value):
    ticket.refresh_from_db()
    url = reverse("staff:ticket-due", kwargs={"number": ticket.number})
    return client.post(url, {"due-revision": ticket.revision, "due-due_at": value})


def test_a_manual_due_time_in_the_year_9999_is_refused_beside_the_field(client, john, ticket):
    client.force_login(john.user)

    response = _post_due(client, ticket, "9999-12-31T23:59")

    assert response.status_code == 200
    form = response.context["forms"]["due"]
    assert form.errors["due_at"][0].startswith("The due time must be within a year from now")
    page = response.content.decode()
    assert page.count("The due time must be within a year from now") == 1
    assert 'value="9999-12-31T23:59"' in page
    ticket.refresh_from_db()
    assert ticket.due_override_at is None


def test_a_manual_due_time_within_a_year_is_taken_and_one_beyond_is_not(client, john, ticket):
    client.force_login(john.user)
    now = timezone.now()
    beyond = (now + datetime.timedelta(days=367)).strftime("%Y-%m-%dT%H:%M")
    within = (now + datetime.timedelta(days=360)).replace(second=0, microsecond=0)

    assert _post_due(client, ticket, beyond).status_code == 200
    ticket.refresh_from_db()
    assert ticket.due_override_at is None

    assert _post_due(client, ticket, within.strftime("%Y-%m-%dT%H:%M")).status_code == 302
    ticket.refresh_from_db()
    assert ticket.due_override_at == within


def test_the_service_refuses_a_manual_due_time_beyond_a_year(john, ticket):
    with pytest.raises(services.TicketError, match="within a year"):
        services.set_due_time(ticket, due_at=FAR_OFF, by=john)

    ticket.refresh_from_db()
    assert ticket.due_override_at is None


@pytest.mark.parametrize("year", [3000, 9999])
def test_a_stored_far_off_due_time_leaves_the_ticket_page_and_queue_working(
    client, john, ticket, support, karen, year
):
    far = FAR_OFF.replace(year=year)
    Ticket.objects.filter(pk=ticket.pk).update(
        due_override_at=far, resolution_due_at=far, first_responded_at=timezone.now()
    )
    neighbour = factories.TicketFactory(department=support, requester=karen, subject="Neighbour")
    client.force_login(john.user)

    page = client.get(reverse("staff:ticket", kwargs={"number": ticket.number}))
    queue = client.get(reverse("staff:queue", kwargs={"queue": "open"}))

    assert page.status_code == 200
    [resolution] = [d for d in page.context["due_times"] if d.label == "Resolution due"]
    assert resolution.left == targets.CANNOT_COUNT_AHEAD
    assert targets.CANNOT_COUNT_AHEAD in page.content.decode()
    assert queue.status_code == 200
    rows = {row.ticket.number: row for row in queue.context["listing"].rows}
    assert set(rows) >= {ticket.number, neighbour.number}
    assert rows[ticket.number].due_left == targets.CANNOT_COUNT_AHEAD


def test_a_due_time_at_the_end_of_the_calendar_shows_in_a_zone_east_of_utc(
    client, john, ticket, settings
):
    settings.TIME_ZONE = "Asia/Tokyo"  # 9999-12-31 23:00 UTC is already year 10000 there
    Ticket.objects.filter(pk=ticket.pk).update(due_override_at=FAR_OFF, resolution_due_at=FAR_OFF)
    client.force_login(john.user)

    page = client.get(reverse("staff:ticket", kwargs={"number": ticket.number}))
    queue = client.get(reverse("staff:queue", kwargs={"queue": "open"}))

    assert page.status_code == 200
    assert queue.status_code == 200


def test_a_pause_that_began_centuries_ago_does_not_break_the_page(client, john, ticket):
    Ticket.objects.filter(pk=ticket.pk).update(
        status="awaiting_user", sla_paused_since=datetime.datetime(1200, 1, 1, tzinfo=datetime.UTC)
    )
    client.force_login(john.user)

    page = client.get(reverse("staff:ticket", kwargs={"number": ticket.number}))

    assert page.status_code == 200


@pytest.fixture
def one_hour_a_week(db):
    """A schedule so thin that 9,999 working hours take about two centuries."""
    schedule = factories.ScheduleFactory(name="Monday mornings", timezone="UTC")
    factories.WorkingHoursFactory(
        schedule=schedule, weekday=0, start=datetime.time(9), end=datetime.time(10)
    )
    return factories.SLAPlanFactory(
        name="Glacial",
        schedule=schedule,
        first_response_hours=Decimal("9999"),
        resolution_hours=Decimal("9999.99"),
    )


def test_a_target_its_schedule_never_reaches_gives_no_due_time_and_says_why(
    client, john, support, karen, one_hour_a_week
):
    topic = factories.HelpTopicFactory(name="Slow", department=support, sla_plan=one_hour_a_week)

    ticket, _ = services.open_ticket(
        email=karen.email, full_name="Karen", help_topic=topic, subject="Slow", body="Hi."
    )

    assert ticket.first_response_due_at is None
    assert ticket.resolution_due_at is None
    client.force_login(john.user)
    page = client.get(reverse("staff:ticket", kwargs={"number": ticket.number}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "cannot be worked out" in text
    assert "This due time cannot be worked out: Glacial&#x27;s target is not reached" in text
    assert sweep.sweep().overdue == 0


def test_the_clock_refuses_a_span_beyond_a_century_at_once():
    schedule = clock.Calendar.always()
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)

    with pytest.raises(clock.OutOfReach, match="longer than 100 years"):
        clock.elapsed(start, start.replace(year=3000), schedule)
    with pytest.raises(clock.OutOfReach):
        clock.elapsed(start, FAR_OFF, schedule)
    assert clock.elapsed(start, start.replace(year=2100), schedule) == (
        start.replace(year=2100) - start
    )
