"""Narrowing and ordering a queue: each filter, each sort, the search box, bad values."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from tests import factories
from tickets.models import Priority, Source, ThreadEntry, Ticket
from tickets.status import Status

NOON = datetime(2030, 5, 17, 12, 0, tzinfo=UTC)


@pytest.fixture
def listed(client, john):
    """The subjects John's queue page shows for these query parameters, in order."""
    client.force_login(john.user)

    def listed(queue="open", **params):
        response = client.get(reverse("staff:queue", kwargs={"queue": queue}), params)
        assert response.status_code == 200
        return [row.ticket.subject for row in response.context["listing"].rows]

    return listed


# Filters ----------------------------------------------------------------------------------


def test_filter_by_department(listed, make, john, online_banking):
    factories.DepartmentAccessFactory(agent=john, department=online_banking)
    make(subject="Support's")
    make(subject="Banking's", department=online_banking)

    assert listed(department=online_banking.pk) == ["Banking's"]


def test_filter_by_priority(listed, make):
    make(subject="Low", priority=Priority.LOW)
    make(subject="High", priority=Priority.HIGH)

    assert listed(priority=Priority.HIGH) == ["High"]


def test_filter_by_assignee_or_by_nobody(listed, make, john, jane):
    make(subject="John's", assignee=john)
    make(subject="Jane's", assignee=jane)
    make(subject="Team's", team=factories.TeamFactory())

    assert listed(assignee=john.pk) == ["John's"]
    assert listed(assignee=jane.pk) == ["Jane's"]
    assert listed(assignee="none") == ["Team's"]


def test_filter_by_team(listed, make):
    level2 = factories.TeamFactory(name="Level 2")
    make(subject="Level 2's", team=level2)
    make(subject="Other team's", team=factories.TeamFactory(name="Level 3"))

    assert listed(team=level2.pk) == ["Level 2's"]


def test_filter_by_status(listed, make):
    make(subject="Resolved", status=Status.RESOLVED)
    make(subject="Closed", status=Status.CLOSED)
    make(subject="Open")

    assert listed("closed", status=Status.RESOLVED) == ["Resolved"]
    assert listed("open", status=Status.RESOLVED) == []


def test_filter_by_help_topic(listed, make, outage_topic):
    make(subject="Outage", help_topic=outage_topic)
    make(subject="Inquiry")

    assert listed(topic=outage_topic.pk) == ["Outage"]


def test_filter_by_source(listed, make):
    make(subject="Phoned in", source=Source.PHONE)
    make(subject="Mailed in", source=Source.EMAIL)

    assert listed(source=Source.PHONE) == ["Phoned in"]


def test_filters_combine(listed, make, john):
    make(subject="High and John's", priority=Priority.HIGH, assignee=john)
    make(subject="High only", priority=Priority.HIGH)
    make(subject="John's only", assignee=john)

    assert listed(priority=Priority.HIGH, assignee=john.pk) == ["High and John's"]


def test_invalid_filter_values_are_ignored_with_a_note(client, john, make):
    make(subject="Still listed", priority=Priority.HIGH)
    make(subject="Filtered out", priority=Priority.LOW)
    client.force_login(john.user)
    bad = {
        "department": "abc",
        "assignee": "someone",
        "team": "-1",
        "status": "bogus",
        "topic": "999999",
        "source": "fax",
        "sort": "colour",
        "dir": "up",
        "q": "x" * 201,
    }

    response = client.get(
        reverse("staff:queue", kwargs={"queue": "open"}), {**bad, "priority": Priority.HIGH}
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert [row.ticket.subject for row in response.context["listing"].rows] == ["Still listed"]
    assert "Department filter “abc” was ignored" in page
    assert "Assigned To filter “someone” was ignored" in page
    assert "Team filter “-1” was ignored" in page
    assert "Status filter “bogus” was ignored" in page
    assert "Help Topic filter “999999” was ignored" in page
    assert "Source filter “fax” was ignored" in page
    assert "Unknown sort “colour” was ignored." in page
    assert "Unknown sort “up” was ignored." in page
    assert "The search was ignored" in page
    # The links carry only what was kept.
    assert response.context["listing"].query.urlencode() == "priority=3"


def test_the_clear_link_and_the_form_keep_to_the_queue(client, john):
    client.force_login(john.user)

    page = client.get(
        reverse("staff:queue", kwargs={"queue": "closed"}), {"sort": "due", "dir": "asc"}
    ).content.decode()

    assert 'action="/scp/queues/closed/"' in page
    assert '<a class="btn btn-sm btn-link" href="/scp/queues/closed/">Clear</a>' in page
    assert '<input type="hidden" name="sort" value="due">' in page
    assert '<input type="hidden" name="dir" value="asc">' in page


# Sorting ----------------------------------------------------------------------------------


def _three(make, john, column):
    """Tickets "A", "B", "C" whose values in this column ascend in that order."""
    a, b, c = (make(subject=name) for name in "ABC")
    if column == "number":
        for ticket, number in zip((a, b, c), ("100001", "100002", "100003"), strict=True):
            Ticket.objects.filter(pk=ticket.pk).update(number=number)
    elif column == "subject":
        pass
    elif column == "requester":
        for ticket, name in zip((c, b, a), ("Carl", "Bob", "Anna"), strict=True):
            ticket.requester = factories.UserFactory(full_name=name)
            ticket.save()
    elif column == "updated":
        for ticket, hours in zip((a, b, c), (1, 2, 3), strict=True):
            Ticket.objects.filter(pk=ticket.pk).update(updated_at=NOON + timedelta(hours=hours))
    elif column == "priority":
        for ticket, priority in zip((a, b, c), Priority.values, strict=False):
            Ticket.objects.filter(pk=ticket.pk).update(priority=priority)
    elif column == "department":
        # Assigned to John, so he sees them in departments he has no access to.
        for ticket, name in zip((c, b, a), ("Claims", "Billing", "Accounts"), strict=True):
            department = factories.DepartmentFactory(name=name)
            Ticket.objects.filter(pk=ticket.pk).update(department=department, assignee=john)
    elif column == "assignee":
        for ticket, name in zip((c, b, a), ("Cleo", "Bert", "Ada"), strict=True):
            agent = factories.AgentFactory(user__full_name=name)
            Ticket.objects.filter(pk=ticket.pk).update(assignee=agent)
    elif column == "due":
        for ticket, hours in zip((a, b, c), (1, 2, 3), strict=True):
            Ticket.objects.filter(pk=ticket.pk).update(
                resolution_due_at=NOON + timedelta(hours=hours)
            )


@pytest.mark.parametrize(
    "column",
    ["number", "subject", "requester", "updated", "priority", "department", "assignee", "due"],
)
def test_each_column_sorts_both_ways(listed, make, john, column):
    _three(make, john, column)

    assert listed(sort=column, dir="asc") == ["A", "B", "C"]
    assert listed(sort=column, dir="desc") == ["C", "B", "A"]


def test_the_newest_activity_comes_first_by_default(listed, make):
    for name, hours in [("Older", 1), ("Newest", 3), ("Middle", 2)]:
        ticket = make(subject=name)
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=NOON + timedelta(hours=hours))

    assert listed() == ["Newest", "Middle", "Older"]


def test_a_first_click_on_priority_shows_the_most_urgent_first(listed, make):
    make(subject="Low", priority=Priority.LOW)
    make(subject="Emergency", priority=Priority.EMERGENCY)

    assert listed(sort="priority") == ["Emergency", "Low"]


def test_tickets_without_a_due_time_or_an_assignee_come_last_both_ways(listed, make, john):
    make(subject="No due time")
    make(subject="Due", resolution_due_at=NOON, assignee=john)

    assert listed(sort="due", dir="asc") == ["Due", "No due time"]
    assert listed(sort="due", dir="desc") == ["Due", "No due time"]
    assert listed(sort="assignee", dir="asc") == ["Due", "No due time"]
    assert listed(sort="assignee", dir="desc") == ["Due", "No due time"]


def test_equal_values_keep_a_stable_order_by_age_the_same_way_round(listed, make):
    make(subject="First", priority=Priority.HIGH)
    make(subject="Second", priority=Priority.HIGH)

    assert listed(sort="priority", dir="asc") == ["First", "Second"]
    assert listed(sort="priority", dir="desc") == ["Second", "First"]


def test_a_column_header_links_to_its_sort_and_turns_the_sorted_one_around(client, john, support):
    client.force_login(john.user)

    listing = client.get(
        reverse("staff:queue", kwargs={"queue": "open"}),
        {"department": support.pk, "sort": "subject", "dir": "asc"},
    ).context["listing"]
    headers = {header.column.key: header for header in listing.headers}

    assert headers["subject"].sorted == "ascending"
    assert headers["subject"].url == (
        f"/scp/queues/open/?department={support.pk}&sort=subject&dir=desc"
    )
    assert headers["number"].sorted == ""
    assert headers["number"].url == (
        f"/scp/queues/open/?department={support.pk}&sort=number&dir=asc"
    )


# Search -----------------------------------------------------------------------------------


def test_search_by_number_matches_it_exactly(listed, make):
    Ticket.objects.filter(pk=make(subject="Wanted").pk).update(number="123456")
    Ticket.objects.filter(pk=make(subject="Not wanted").pk).update(number="612345")

    assert listed(q="123456") == ["Wanted"]
    assert listed(q="#123456") == ["Wanted"]
    assert listed(q="12345") == []


def test_search_by_subject(listed, make):
    make(subject="The VPN drops every hour")
    make(subject="Printer jam")

    assert listed(q="vpn drops") == ["The VPN drops every hour"]


def test_search_by_requester_email_or_name(listed, make):
    make(subject="From Ken", requester=factories.UserFactory(email="ken@example.com"))
    make(subject="From Karen")

    assert listed(q="KEN@example") == ["From Ken"]
    assert listed(q="karen tay") == ["From Karen"]


def test_search_by_the_text_of_the_thread(listed, make):
    wanted = make(subject="Cannot log in")
    factories.ThreadEntryFactory(ticket=wanted, body="The gateway refuses my certificate.")
    other = make(subject="Other")
    factories.ThreadEntryFactory(ticket=other, body="Everything else is fine.")

    assert listed(q="certificate") == ["Cannot log in"]


def test_search_finds_the_text_of_an_internal_note(listed, make, john):
    wanted = make(subject="Escalated")
    factories.ThreadEntryFactory(
        ticket=wanted,
        kind=ThreadEntry.Kind.NOTE,
        author=john.user,
        author_name="John Miller",
        body="Vendor ticket opened with Contoso.",
    )
    make(subject="Other")

    assert listed(q="contoso") == ["Escalated"]


def test_search_never_reaches_a_ticket_the_agent_cannot_see(listed, make, online_banking, karen):
    hidden = factories.TicketFactory(
        department=online_banking, requester=karen, subject="Wire transfer stuck"
    )
    factories.ThreadEntryFactory(ticket=hidden, body="The wire transfer is stuck.")

    assert listed(q="wire") == []
    assert listed(q=hidden.number) == []


def test_search_spans_every_queue_and_keeps_to_the_filters(listed, make):
    make(subject="Printer jam on floor 2", priority=Priority.HIGH)
    make(subject="Printer jam on floor 3", priority=Priority.LOW)
    make(subject="Printer jam in the lobby", status=Status.CLOSED, priority=Priority.HIGH)

    assert sorted(listed(q="printer", priority=Priority.HIGH)) == [
        "Printer jam in the lobby",
        "Printer jam on floor 2",
    ]
    # Whichever tab it is typed on.
    assert sorted(listed("closed", q="printer")) == sorted(listed("open", q="printer"))
    assert len(listed("mine", q="printer")) == 3


def test_a_search_of_punctuation_alone_is_harmless(listed, make):
    make(subject="Anything")

    assert listed(q="!&|:*()") == []
    assert listed(q="   ") == ["Anything"]


def test_the_thread_is_searched_by_word_stems_on_both_databases(listed, make):
    wanted = make(subject="Cannot log in")
    factories.ThreadEntryFactory(ticket=wanted, body="The gateway refuses my certificate.")
    printer = make(subject="Office")
    factories.ThreadEntryFactory(ticket=printer, body="The printer on floor 2 is jammed.")

    assert listed(q="certificate") == ["Cannot log in"]
    # Other forms of the words, in any order: PostgreSQL's English configuration, SQLite's
    # FTS5 with the porter stemmer.
    assert listed(q="certificates refused") == ["Cannot log in"]
    assert listed(q="printers") == ["Office"]
    assert listed(q="jamming printers") == ["Office"]
    # Every word must be there.
    assert listed(q="printers certificate") == []
