"""Reading tickets through /api/v1/: what the key's agent sees in the staff panel, no more."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tickets.models import Event, Priority, ThreadEntry, Ticket
from tickets.status import Status

pytestmark = pytest.mark.django_db


def numbers(response) -> list[str]:
    return [item["number"] for item in response.json()["items"]]


def test_the_list_shows_the_agents_tickets_with_their_fields(johns_api, karens_ticket, john):
    response = johns_api.get("/tickets")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    [item] = response.json()["items"]
    assert item["number"] == karens_ticket.number
    assert item["subject"] == "Entire mobile online banking is down"
    assert item["status"] == "open"
    assert item["priority"] == "high"
    assert item["department"]["name"] == "Support"
    assert item["help_topic"]["name"] == "Business Critical Outage"
    assert item["requester"] == {"name": "Karen Taylor", "email": "karen@example.com"}
    assert item["url"] == f"/api/v1/tickets/{karens_ticket.number}"
    assert item["staff_url"] == f"/scp/tickets/{karens_ticket.number}/"
    assert response.json()["next_cursor"] is None


def test_an_agent_sees_only_the_tickets_of_their_departments(
    johns_api, janes_api, karens_ticket, online_banking
):
    banking = factories.TicketFactory(
        help_topic=factories.HelpTopicFactory(name="Cards", department=online_banking)
    )

    assert numbers(johns_api.get("/tickets")) == [karens_ticket.number]
    assert numbers(janes_api.get("/tickets")) == [banking.number]
    # Filtering for another department does not reach past visibility.
    other = janes_api.get(f"/tickets?department={karens_ticket.department_id}")
    assert numbers(other) == []


def test_a_ticket_the_agent_cannot_see_answers_404_as_an_unknown_one(janes_api, karens_ticket):
    hidden = janes_api.get(f"/tickets/{karens_ticket.number}")
    unknown = janes_api.get("/tickets/999999999")

    assert hidden.status_code == unknown.status_code == 404
    assert hidden["Content-Type"] == "application/problem+json"
    assert hidden.json()["type"] == unknown.json()["type"] == "urn:helpdesk:problem:not-found"


def test_a_ticket_assigned_to_the_agent_is_seen_outside_their_departments(
    janes_api, karens_ticket, jane
):
    Ticket.objects.filter(pk=karens_ticket.pk).update(assignee=jane)

    assert janes_api.get(f"/tickets/{karens_ticket.number}").status_code == 200
    assert numbers(janes_api.get("/tickets")) == [karens_ticket.number]


def test_the_filters_are_the_staff_queues(johns_api, john, karen, ken, support, inquiry_topic):
    def ticket(**fields):
        return factories.TicketFactory(help_topic=inquiry_topic, **fields)

    open_low = ticket(requester=karen, priority=Priority.LOW)
    resolved = ticket(requester=ken, status=Status.RESOLVED)
    mine = ticket(requester=ken, assignee=john, priority=Priority.EMERGENCY)

    def listed(query):
        return set(numbers(johns_api.get(f"/tickets?{query}")))

    assert listed("status=resolved") == {resolved.number}
    assert listed("priority=emergency") == {mine.number}
    assert listed(f"assignee={john.pk}") == {mine.number}
    assert listed("assignee=none") == {open_low.number, resolved.number}
    assert listed("requester=KAREN@example.com") == {open_low.number}
    assert listed(f"department={support.pk}&status=open") == {open_low.number, mine.number}
    assert listed(f"help_topic={inquiry_topic.pk}&source=web") == {
        open_low.number,
        resolved.number,
        mine.number,
    }


def test_updated_since_leaves_out_older_changes(johns_api, inquiry_topic):
    old = factories.TicketFactory(help_topic=inquiry_topic)
    new = factories.TicketFactory(help_topic=inquiry_topic)
    Ticket.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=3))
    since = (timezone.now() - timedelta(days=1)).isoformat()

    assert numbers(johns_api.get("/tickets", data={"updated_since": since})) == [new.number]
    # Without a zone, the time is taken as UTC.
    naive = (timezone.now() - timedelta(days=1)).replace(tzinfo=None).isoformat()
    assert numbers(johns_api.get("/tickets", data={"updated_since": naive})) == [new.number]


def test_the_cursor_pages_through_every_ticket_once_in_a_stable_order(johns_api, inquiry_topic):
    tickets = factories.TicketFactory.create_batch(7, help_topic=inquiry_topic)
    # Some share their last change to the microsecond: the id keeps their order.
    same = timezone.now() - timedelta(hours=1)
    Ticket.objects.filter(pk__in=[t.pk for t in tickets[:4]]).update(updated_at=same)

    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = johns_api.get("/tickets", data=query).json()
        seen += [item["number"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert pages == 3
    assert sorted(seen) == sorted(t.number for t in tickets)
    expected = Ticket.objects.order_by("-updated_at", "-pk").values_list("number", flat=True)
    assert seen == list(expected)


def test_a_cursor_not_given_by_the_api_is_refused_as_a_bad_request(johns_api, karens_ticket):
    response = johns_api.get("/tickets", data={"cursor": "WzEsMl0:forged"})

    assert response.status_code == 400
    assert response.json()["type"] == "urn:helpdesk:problem:bad-request"
    assert "cursor" in response.json()["detail"]


def test_the_limit_has_a_maximum(johns_api):
    response = johns_api.get("/tickets", data={"limit": 101})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"


def test_a_misspelt_filter_is_refused_rather_than_ignored(johns_api, karens_ticket):
    response = johns_api.get("/tickets", data={"stauts": "open"})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"location": "query", "field": "stauts", "message": "Not a filter of this list."}
    ]


def _fill(count, topic, john):
    for ticket in factories.TicketFactory.create_batch(count, help_topic=topic):
        ticket.assignee = john
        ticket.team = factories.TeamFactory()
        ticket.save()


@pytest.mark.parametrize("count", [1, 30])
def test_a_page_costs_the_same_queries_however_long(
    johns_api, inquiry_topic, john, django_assert_max_num_queries, count
):
    _fill(count, inquiry_topic, john)

    # The key (read, use recorded), the agent's access (extended access, role, teams), the page.
    with django_assert_max_num_queries(6):
        response = johns_api.get("/tickets", data={"limit": 100})

    assert len(response.json()["items"]) == count


def test_one_ticket_shows_its_thread_events_and_attachments(johns_api, karens_ticket, john):
    response_entry = factories.ThreadEntryFactory(
        ticket=karens_ticket, kind=ThreadEntry.Kind.RESPONSE, author=john.user, body="On it."
    )
    attachment = factories.AttachmentFactory(entry=response_entry, filename="log.txt")
    factories.EventFactory(ticket=karens_ticket, kind=Event.Kind.CREATED, data={"source": "web"})

    detail = johns_api.get(f"/tickets/{karens_ticket.number}").json()

    assert [e["kind"] for e in detail["thread"]] == ["message", "response"]
    assert detail["thread"][1]["body"] == "On it."
    assert detail["thread"][1]["attachments"] == [
        {
            "id": attachment.pk,
            "filename": "log.txt",
            "content_type": "text/plain",
            "size": 14,
            "url": f"/scp/tickets/{karens_ticket.number}/attachments/{attachment.pk}/",
        }
    ]
    assert detail["events"][0]["kind"] == "created"
    assert detail["events"][0]["text"] == "Opened via Web"


def test_an_attachments_link_is_the_staff_download(client, johns_api, karens_ticket, john):
    entry = factories.ThreadEntryFactory(ticket=karens_ticket)
    factories.AttachmentFactory(entry=entry)
    link = johns_api.get(f"/tickets/{karens_ticket.number}").json()["thread"][-1]["attachments"]

    client.force_login(john.user)
    download = client.get(link[0]["url"])

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"attached text\n"


@pytest.mark.parametrize("agent_api", ["johns_api", "viewers_api"])
def test_internal_notes_are_shown_to_the_agents_the_staff_page_shows_them_to(
    request, client, agent_api, karens_ticket, john, viewer
):
    """The staff page shows an agent who may see the ticket its whole thread, notes
    included (view-only agents too); the API shows them exactly as much."""
    factories.ThreadEntryFactory(
        ticket=karens_ticket, kind=ThreadEntry.Kind.NOTE, author=john.user, body="Call the bank."
    )
    api = request.getfixturevalue(agent_api)
    agent = {"johns_api": john, "viewers_api": viewer}[agent_api]

    thread = api.get(f"/tickets/{karens_ticket.number}").json()["thread"]
    client.force_login(agent.user)
    page = client.get(f"/scp/tickets/{karens_ticket.number}/").content.decode()

    assert "note" in [entry["kind"] for entry in thread]
    assert "Call the bank." in page


def test_notes_never_reach_an_agent_who_cannot_see_the_ticket(janes_api, karens_ticket, john):
    factories.ThreadEntryFactory(
        ticket=karens_ticket, kind=ThreadEntry.Kind.NOTE, author=john.user, body="Secret."
    )

    response = janes_api.get(f"/tickets/{karens_ticket.number}")

    assert response.status_code == 404
    assert b"Secret." not in response.content


@pytest.mark.parametrize("entries", [1, 25])
def test_one_ticket_costs_the_same_queries_however_long_its_thread(
    johns_api, karens_ticket, django_assert_max_num_queries, entries
):
    for _ in range(entries):
        entry = factories.ThreadEntryFactory(ticket=karens_ticket)
        factories.AttachmentFactory(entry=entry)
        factories.EventFactory(ticket=karens_ticket)

    # The key (read, use recorded), the agent's access (3), the ticket, thread, files, events.
    with django_assert_max_num_queries(9):
        response = johns_api.get(f"/tickets/{karens_ticket.number}")

    assert len(response.json()["thread"]) == entries + 1


def test_departments_topics_and_plans_are_listed(johns_api, outage_topic, inquiry_topic, sev_a):
    departments = johns_api.get("/departments").json()
    topics = johns_api.get("/help-topics").json()
    plans = johns_api.get("/sla-plans").json()

    assert [d["name"] for d in departments] == ["Support"]
    assert {t["name"]: t["priority"] for t in topics} == {
        "Business Critical Outage": "high",
        "General Inquiry": "low",
    }
    assert {p["name"] for p in plans} == {"Sev-A", "Sev-C"}
    sev_a_out = next(p for p in plans if p["name"] == "Sev-A")
    assert sev_a_out["first_response_hours"] == 0.25
    assert sev_a_out["schedule"] == "24/7"


@pytest.mark.parametrize("since", ["1700000000", "-1.5e-72", "yesterday", "2026-12-03"])
def test_updated_since_takes_iso_8601_date_and_time_only(johns_api, since):
    response = johns_api.get("/tickets", data={"updated_since": since})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "updated_since"
