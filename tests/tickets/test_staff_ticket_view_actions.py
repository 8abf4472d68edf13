"""The ticket view's action forms over HTTP: shown only when allowed, refused when forged."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tickets.models import Priority, Ticket
from tickets.status import Status


@pytest.fixture
def ticket(support, karen, outage_topic):
    ticket = factories.TicketFactory(department=support, requester=karen, help_topic=outage_topic)
    factories.ThreadEntryFactory(ticket=ticket, body="Nothing works")
    return ticket


def url(ticket, action=None):
    name = f"staff:ticket-{action}" if action else "staff:ticket"
    return reverse(name, kwargs={"number": ticket.number})


def post(client, ticket, action, **fields):
    data = {f"{action}-{k}": v for k, v in fields.items()}
    data.setdefault(f"{action}-revision", Ticket.objects.get(pk=ticket.pk).revision)
    return client.post(url(ticket, action), data)


@pytest.fixture
def as_john(client, john):
    client.force_login(john.user)
    return client


def test_a_full_access_agent_sees_every_action(as_john, ticket):
    # The buttons' names as people hear them: "Set" and a hidden " Priority" read as one.
    page = re.sub(r"<[^>]+>", "", as_john.get(url(ticket)).content.decode())

    for button in [
        "Post Reply",
        "Post Note",
        "Set Priority",
        "Set SLA Plan",
        "Set Help Topic",
        "Assign",
        "Transfer",
        "Set Status",
    ]:
        assert button in page, button


def test_each_action_changes_the_ticket_and_comes_back_to_it(
    as_john, ticket, jane, sev_c, inquiry_topic, online_banking
):
    steps = [
        ("priority", {"priority": Priority.EMERGENCY}),
        ("sla", {"sla_plan": sev_c.pk}),
        ("topic", {"help_topic": inquiry_topic.pk}),
        ("assign", {"assignee": f"agent:{jane.pk}"}),
        ("note", {"body": "Internal: rack 4"}),
        ("reply", {"body": "We are on it.", "status": Status.AWAITING_USER}),
        ("status", {"status": Status.OPEN}),
    ]
    for action, fields in steps:
        response = post(as_john, ticket, action, **fields)
        assert response.status_code == 302, (action, response.content.decode()[-800:])
        assert response["Location"] == url(ticket)

    ticket.refresh_from_db()
    assert ticket.priority == Priority.EMERGENCY
    assert (ticket.sla_plan, ticket.help_topic, ticket.assignee) == (sev_c, inquiry_topic, jane)
    assert ticket.status == Status.OPEN
    assert list(ticket.thread.values_list("kind", flat=True)) == ["message", "note", "response"]
    page = as_john.get(url(ticket)).content.decode()
    assert "Internal: rack 4" in page
    assert "Priority: High → Emergency · by John Miller" in page  # the timeline, in words
    history = page.split('id="history-heading"')[1]
    assert "Priority: High → Emergency" in history, "the field history shows the change"
    assert "Assigned to: — → Jane Cooper" in history  # names, not ids


def test_a_transfer_out_of_sight_lands_on_the_ticket_list(as_john, ticket, online_banking):
    response = post(as_john, ticket, "transfer", department=online_banking.pk)

    assert response["Location"] == reverse("staff:home")
    assert as_john.get(url(ticket)).status_code == 404


def test_a_view_only_agent_sees_the_ticket_read_only(client, ticket, support, view_only):
    reader = factories.AgentFactory(department=support, role=view_only)
    client.force_login(reader.user)

    page = client.get(url(ticket)).content.decode()

    assert "Nothing works" in page
    assert "Your role shows this ticket read-only." in page
    assert (
        "<form"
        not in page.split("Staff Control Panel", 2)[-1]
        .replace('action="/scp/logout/"', "")
        .split("</header>")[-1]
    )


def test_a_forged_post_from_a_view_only_agent_is_refused(client, ticket, support, view_only):
    reader = factories.AgentFactory(department=support, role=view_only)
    client.force_login(reader.user)

    for action, fields in [
        ("reply", {"body": "Forged"}),
        ("note", {"body": "Forged"}),
        ("priority", {"priority": Priority.LOW}),
        ("status", {"status": Status.CLOSED}),
    ]:
        assert post(client, ticket, action, **fields).status_code == 403, action

    ticket.refresh_from_db()
    assert (ticket.priority, ticket.status, ticket.revision) == (Priority.HIGH, Status.OPEN, 0)
    assert ticket.thread.count() == 1


def test_an_action_on_a_ticket_the_agent_cannot_see_answers_404(client, ticket, jane):
    client.force_login(jane.user)

    assert post(client, ticket, "reply", body="Hi").status_code == 404


def test_a_stale_reply_is_refused_with_the_text_kept_and_goes_through_when_sent_again(
    as_john, ticket, karen
):
    loaded_at = ticket.revision
    from tickets import services

    services.post_user_reply(ticket, by=karen, body="Update: it is back")

    refused = post(as_john, ticket, "reply", body="Restarting the server now", revision=loaded_at)

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "This ticket changed after you opened it" in page
    assert "Restarting the server now" in page
    assert "Update: it is back" in page, "the page shows what changed"
    assert not ticket.thread.filter(body="Restarting the server now").exists()
    form = refused.context["forms"]["reply"]
    resent = as_john.post(url(ticket, "reply"), {k: v for k, v in form.data.items()})
    assert resent.status_code == 302
    assert ticket.thread.filter(body="Restarting the server now").count() == 1


def test_an_empty_reply_is_answered_beside_the_box(as_john, ticket):
    response = post(as_john, ticket, "reply", body="  ")

    errors = response.context["forms"]["reply"].errors
    assert errors["body"] == ["Write the response before posting it."]


def test_action_urls_accept_only_post(as_john, ticket):
    assert as_john.get(url(ticket, "reply")).status_code == 405


def test_the_ticket_view_runs_a_constant_number_of_queries(
    as_john, ticket, jane, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40) as few:
        as_john.get(url(ticket))
    # Counted now: every request clears Django's query log, so `few` empties later.
    bound = len(few.captured_queries)
    for n in range(10):
        post(as_john, ticket, "note", body=f"Note {n}")
        post(as_john, ticket, "priority", priority=Priority.LOW if n % 2 else Priority.HIGH)
        entry = ticket.thread.last()
        factories.AttachmentFactory(entry=entry)

    with django_assert_max_num_queries(bound):
        response = as_john.get(url(ticket))
    assert response.content.decode().count("Internal note by John Miller") == 10


def test_canned_responses_of_the_department_and_global_ones_are_offered(
    as_john, ticket, online_banking
):
    from tickets.models import CannedResponse

    CannedResponse.objects.create(title="Greeting", body="Hello & welcome <b>")
    CannedResponse.objects.create(title="Banking only", body="x", department=online_banking)
    CannedResponse.objects.create(title="Retired", body="x", is_active=False)

    page = as_john.get(url(ticket)).content.decode()

    assert "Canned Response" in page
    assert 'data-body="Hello &amp; welcome &lt;b&gt;"' in page, "escaped, never raw HTML"
    assert "Banking only" not in page
    assert "Retired" not in page
