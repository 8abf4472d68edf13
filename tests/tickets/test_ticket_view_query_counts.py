"""A ticket page costs the same number of queries for a short thread as for a long one with
files, collaborators and a history of changes."""

import pytest
from django.urls import reverse

from tests import factories
from tickets import services
from tickets.access import ticket_access_url
from tickets.models import CannedResponse, Priority, SatisfactionRating, ThreadEntry
from tickets.status import Status

# Session, user, agent and their access (5), the ticket (1), its thread and the entries' files
# (2), its events (1), its field history (1), who else has it open (1). The action bar's
# choices, the canned responses and the SLA calendar come from short-lived copies kept per
# process (helpdesk.memo), which the first request reads.
STAFF_QUERIES = 11
# Through the access link: the ticket (1), its thread and the entries' files (2).
PORTAL_LINK_QUERIES = 3
# Signed in as well: the session and the user (2).
PORTAL_SIGNED_IN_QUERIES = 5


@pytest.fixture
def viewer(support, view_only):
    """An agent of Support whose role only shows tickets, read-only."""
    return factories.AgentFactory(
        user__email="vic@example.com",
        user__full_name="Vic Viewer",
        department=support,
        role=view_only,
    )


@pytest.fixture
def tickets(make, john, jane, karen, support, outage_topic, sev_a):
    """A ticket with 5 entries, and one with 50, files on every fifth, three collaborators,
    and changes of priority, assignment, topic and plan in its events and history."""
    CannedResponse.objects.create(title="Thanks", body="Thanks, %{ticket.name}.")
    team = factories.TeamFactory(name="Level 2")
    short, long = make(subject="Short"), make(subject="Long")
    for ticket, size in ((short, 5), (long, 50)):
        for n in range(size):
            kind = (ThreadEntry.Kind.MESSAGE, ThreadEntry.Kind.RESPONSE, ThreadEntry.Kind.NOTE)
            author = karen if n % 3 == 0 else john.user
            entry = factories.ThreadEntryFactory(
                ticket=ticket, kind=kind[n % 3], author=author, author_name=author.full_name
            )
            if ticket is long and n % 5 == 0:
                factories.AttachmentFactory(entry=entry)
                factories.AttachmentFactory(entry=entry, filename=f"screen-{n}.png")
    for n in range(3):
        services.add_collaborator(long, email=f"cc{n}@example.com")
    for change in (
        lambda t: services.change_priority(t, priority=Priority.HIGH, by=john),
        lambda t: services.assign_ticket(t, agent=john, by=john),
        lambda t: services.assign_ticket(t, team=team, by=john),
        lambda t: services.change_help_topic(t, help_topic=outage_topic, by=john),
        lambda t: services.change_sla_plan(t, sla_plan=sev_a, by=john),
    ):
        long.refresh_from_db()
        change(long)
    long.refresh_from_db()
    return short, long


def _queries_of(client, url, django_assert_num_queries, expected):
    client.get(url)  # fills the per-process copies
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("who", ["full agent", "view-only agent"])
def test_the_staff_ticket_view_runs_as_many_queries_for_50_entries_as_for_5(
    client, john, viewer, tickets, django_assert_num_queries, who
):
    client.force_login((john if who == "full agent" else viewer).user)
    shown = []
    for ticket in tickets:
        url = reverse("staff:ticket", kwargs={"number": ticket.number})
        response = _queries_of(client, url, django_assert_num_queries, STAFF_QUERIES)
        shown.append(sorted({h.kind for h in response.context["timeline"]}))
        assert response.content.decode().count("<article ") == ticket.thread.count()
    assert shown == [["entry"], ["entry", "event"]]
    assert STAFF_QUERIES <= 12


def test_a_resolved_tickets_page_reads_its_rating_too_and_stays_within_12(
    client, john, tickets, django_assert_num_queries
):
    client.force_login(john.user)
    for ticket in tickets:
        services.change_status(ticket, status=Status.RESOLVED, by=john)
        ticket.refresh_from_db()
        SatisfactionRating.objects.create(
            ticket=ticket,
            resolved_at=ticket.resolved_at,
            rating=SatisfactionRating.Rating.GOOD,
            created_at=ticket.resolved_at,
            updated_at=ticket.resolved_at,
        )
        url = reverse("staff:ticket", kwargs={"number": ticket.number})
        response = _queries_of(client, url, django_assert_num_queries, STAFF_QUERIES + 1)
        assert response.context["rating"].is_good
    assert STAFF_QUERIES + 1 <= 12


def test_a_refused_reply_shows_the_page_without_queries_per_entry(
    client, john, tickets, django_assert_max_num_queries
):
    # The page again after a refusal: the ticket is read twice (before and after), plus the
    # refused form's own checks; still no query per entry.
    client.force_login(john.user)
    counts = []
    for ticket in tickets:
        url = reverse("staff:ticket-reply", kwargs={"number": ticket.number})
        data = {"reply-revision": ticket.revision, "reply-body": ""}
        client.post(url, data)
        with django_assert_max_num_queries(STAFF_QUERIES + 4) as captured:
            response = client.post(url, data)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("signed_in", [False, True], ids=["access link", "signed in"])
def test_the_portal_ticket_page_runs_as_many_queries_for_50_entries_as_for_5(
    client, karen, tickets, django_assert_num_queries, signed_in
):
    if signed_in:
        client.force_login(karen)
    expected = PORTAL_SIGNED_IN_QUERIES if signed_in else PORTAL_LINK_QUERIES
    for ticket in tickets:
        _queries_of(client, ticket_access_url(ticket), django_assert_num_queries, expected)
