"""Due times as agents see them: the ticket header, the queue's time left, the manual due."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(support, sev_c, karen):
    topic = factories.HelpTopicFactory(name="Printers", department=support, sla_plan=sev_c)
    ticket = factories.TicketFactory(requester=karen, help_topic=topic, subject="Printer jam")
    now = timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(
        first_response_due_at=now + datetime.timedelta(hours=1, minutes=59, seconds=59),
        resolution_due_at=now + datetime.timedelta(hours=8),
    )
    return ticket


def test_the_queue_shows_the_working_time_left_of_the_next_target(client, john, ticket):
    client.force_login(john.user)

    [row] = client.get(reverse("staff:queue", kwargs={"queue": "open"})).context["listing"].rows

    assert row.due_left == "2 h left"  # sev_c runs on 24/7; to the minute


def test_a_queue_row_names_one_target_with_its_own_due_time_and_time_left(client, john, ticket):
    ticket.refresh_from_db()
    client.force_login(john.user)

    response = client.get(reverse("staff:queue", kwargs={"queue": "open"}))

    [row] = response.context["listing"].rows
    assert (row.due_label, row.due_at) == ("First response", ticket.first_response_due_at)
    page = response.content.decode()
    assert f'datetime="{ticket.first_response_due_at.isoformat()}"' in page
    assert "First response" in page
    assert "2 h left" in page
    # The resolution due time belongs to another target: not on this row.
    assert ticket.resolution_due_at.isoformat() not in page


def test_after_the_first_response_the_row_shows_the_resolution_target(client, john, ticket):
    Ticket.objects.filter(pk=ticket.pk).update(first_responded_at=timezone.now())
    ticket.refresh_from_db()
    client.force_login(john.user)

    [row] = client.get(reverse("staff:queue", kwargs={"queue": "open"})).context["listing"].rows

    assert (row.due_label, row.due_at) == ("Resolution", ticket.resolution_due_at)
    assert row.due_left == "8 h left"


def test_a_ticket_awaiting_the_user_says_its_clock_is_paused(client, john, ticket):
    Ticket.objects.filter(pk=ticket.pk).update(sla_paused_since=timezone.now())
    client.force_login(john.user)

    [row] = client.get(reverse("staff:queue", kwargs={"queue": "open"})).context["listing"].rows

    assert row.due_left == "paused: awaiting the user"


def test_an_agent_sets_a_manual_due_time_and_sees_it_marked(client, john, ticket):
    client.force_login(john.user)
    url = reverse("staff:ticket-due", kwargs={"number": ticket.number})
    ticket.refresh_from_db()

    in_a_month = (timezone.now() + datetime.timedelta(days=30)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )

    response = client.post(
        url,
        {"due-revision": ticket.revision, "due-due_at": in_a_month.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )

    ticket.refresh_from_db()
    assert ticket.due_override_at == in_a_month
    assert ticket.resolution_due_at == ticket.due_override_at
    page = response.content.decode()
    assert "set by hand" in page
    assert "Set by hand; the SLA plan" in page


def test_a_due_time_in_the_past_is_refused_with_the_typed_value_kept(client, john, ticket):
    client.force_login(john.user)
    url = reverse("staff:ticket-due", kwargs={"number": ticket.number})
    ticket.refresh_from_db()

    response = client.post(url, {"due-revision": ticket.revision, "due-due_at": "2001-02-03T04:05"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "The due time must be in the future." in page
    assert 'value="2001-02-03T04:05"' in page
    ticket.refresh_from_db()
    assert ticket.due_override_at is None
