"""Ended tickets have nothing due: the Closed tab shows how each ended instead of a due time."""

from datetime import UTC, datetime

from django.urls import reverse

from tickets.models import Ticket
from tickets.status import Status

CLOSED_TAB = reverse("staff:queue", kwargs={"queue": "closed"})
DUE = datetime(2030, 5, 17, 9, 30, tzinfo=UTC)


def labels(response):
    return [header.column.label for header in response.context["listing"].headers]


def test_the_closed_tab_has_a_status_column_and_no_due_column(client, john, make):
    make(status=Status.RESOLVED, subject="Fixed printer")
    make(status=Status.CLOSED, subject="Old request")
    client.force_login(john.user)

    response = client.get(CLOSED_TAB)

    assert "Status" in labels(response)
    assert "Due" not in labels(response)
    page = response.content.decode()
    assert "<td>Resolved</td>" in page
    assert "<td>Closed</td>" in page


def test_the_working_tabs_keep_the_due_column_without_a_status_column(client, john, make):
    make()
    client.force_login(john.user)

    response = client.get(reverse("staff:home"))

    assert labels(response)[-1] == "Due"
    assert "Status" not in labels(response)


def test_a_closed_ticket_shows_no_due_time_and_no_overdue_badge(client, john, make):
    ticket = make(status=Status.CLOSED, is_overdue=True, resolution_due_at=DUE)
    client.force_login(john.user)

    response = client.get(CLOSED_TAB, {"status": Status.CLOSED})

    [row] = response.context["listing"].rows
    assert (row.due_label, row.due_at, row.due_left, row.is_overdue) == ("", None, "", False)
    page = response.content.decode()
    assert ticket.subject in page
    assert "Overdue</span>" not in page
    assert 'datetime="2030-05-17' not in page


def test_a_closed_ticket_found_through_a_filter_on_another_tab_shows_no_due_time(
    client, john, make
):
    # The status filter can show ended tickets in a tab with a Due column.
    make(status=Status.RESOLVED, is_overdue=True, resolution_due_at=DUE)
    client.force_login(john.user)

    response = client.get(reverse("staff:queue", kwargs={"queue": "overdue"}))

    assert "Overdue</span>" not in response.content.decode()


def test_sorting_by_due_still_works_on_the_closed_tab(client, john, make):
    later = make(status=Status.CLOSED, subject="Later")
    sooner = make(status=Status.CLOSED, subject="Sooner")
    Ticket.objects.filter(pk=later.pk).update(resolution_due_at=DUE)
    Ticket.objects.filter(pk=sooner.pk).update(resolution_due_at=DUE.replace(year=2029))
    client.force_login(john.user)

    response = client.get(CLOSED_TAB, {"sort": "due", "dir": "asc"})

    assert response.status_code == 200
    assert [row.ticket.subject for row in response.context["listing"].rows] == ["Sooner", "Later"]
    assert not response.context["form"].notes


def test_the_status_column_is_shown_but_does_not_sort(client, john, make):
    # No index serves a sort by status (test_queue_indexes): a link would be a slow one.
    make(status=Status.RESOLVED)
    client.force_login(john.user)

    response = client.get(CLOSED_TAB, {"sort": "status"})

    [status] = [h for h in response.context["listing"].headers if h.column.key == "status"]
    assert (status.url, status.sorted) == ("", "")
    [(_, note)] = response.context["form"].notes
    assert note == "Unknown sort “status” was ignored."
