"""Changing tickets through /api/v1/: as the key's agent, through can() and the services the
staff panel calls, all or nothing."""

import base64

import pytest

from helpdesk.mail.models import OutgoingMail
from tests import factories
from tests.api.conftest import RestClient, make_key
from tickets import selectors
from tickets.models import Event, Priority, Source, ThreadEntry, Ticket
from tickets.status import Status

pytestmark = pytest.mark.django_db

NEW_TICKET = {
    "email": "walter@example.com",
    "name": "Walter White",
    "phone": "+1 505 555 0100",
    "subject": "Printer on fire",
    "message": "The printer on floor 2 is smoking.",
}


def problem(response) -> dict:
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


# Opening a ticket ---------------------------------------------------------------------------


def test_an_agent_opens_a_ticket_for_a_user_and_it_shows_in_the_staff_panel(
    client, johns_api, john, inquiry_topic
):
    response = johns_api.post("/tickets", {**NEW_TICKET, "help_topic": inquiry_topic.pk})

    assert response.status_code == 201
    created = response.json()
    ticket = Ticket.objects.get(number=created["number"])
    assert ticket.source == Source.API
    assert ticket.requester.email == "walter@example.com"
    assert ticket.given_phone == "+1 505 555 0100"
    assert created["source"] == "api"
    assert created["thread"][0]["body"] == NEW_TICKET["message"]
    assert created["events"][0]["text"].startswith("Opened via API in Support")
    assert "on behalf of walter@example.com" in created["events"][0]["text"]
    client.force_login(john.user)
    assert "Printer on fire" in client.get("/scp/").content.decode()


def test_the_same_idempotency_key_makes_one_ticket(johns_api, inquiry_topic):
    body = {**NEW_TICKET, "help_topic": inquiry_topic.pk}
    headers = {"Idempotency-Key": "retry-7f3a"}

    first = johns_api.post("/tickets", body, headers=headers)
    again = johns_api.post("/tickets", body, headers=headers)
    other = johns_api.post("/tickets", body, headers={"Idempotency-Key": "another"})

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert first.json()["number"] == again.json()["number"] != other.json()["number"]
    assert Ticket.objects.count() == 2


def test_the_staff_forms_rules_refuse_a_bad_new_ticket_field_by_field(johns_api, online_banking):
    banking_topic = factories.HelpTopicFactory(name="Cards", department=online_banking)

    response = johns_api.post(
        "/tickets",
        {
            **NEW_TICKET,
            "email": "not an address",
            "phone": "call me",
            "help_topic": banking_topic.pk,
        },
    )

    assert response.status_code == 422
    fields = {error["field"] for error in problem(response)["errors"]}
    assert fields == {"email", "phone", "help_topic"}
    assert Ticket.objects.count() == 0


def test_an_agent_whose_role_cannot_create_is_refused(viewers_api, inquiry_topic):
    response = viewers_api.post("/tickets", {**NEW_TICKET, "help_topic": inquiry_topic.pk})

    assert response.status_code == 403
    assert problem(response)["type"] == "urn:helpdesk:problem:forbidden"
    assert Ticket.objects.count() == 0


# Replies and notes ---------------------------------------------------------------------------


def test_a_reply_is_sent_to_the_requester_and_can_move_the_status(johns_api, karens_ticket):
    response = johns_api.post(
        f"/tickets/{karens_ticket.number}/replies",
        {"body": "Which app version?", "status": "awaiting_user"},
    )

    assert response.status_code == 201
    assert response.json()["kind"] == "response"
    assert response.json()["author"] == "John Miller"
    karens_ticket.refresh_from_db()
    assert karens_ticket.status == Status.AWAITING_USER
    assert karens_ticket.is_answered
    assert OutgoingMail.objects.filter(to=["karen@example.com"]).exists()


def test_a_note_stays_internal(johns_api, karens_ticket):
    response = johns_api.post(f"/tickets/{karens_ticket.number}/notes", {"body": "Bank's fault."})

    assert response.status_code == 201
    assert response.json()["kind"] == "note"
    assert ThreadEntry.objects.get(pk=response.json()["id"]).kind == ThreadEntry.Kind.NOTE
    assert "Bank's fault." not in [e.body for e in selectors.portal_thread(karens_ticket)]


@pytest.mark.parametrize("what", ["replies", "notes"])
def test_a_view_only_agent_cannot_reply_or_note(viewers_api, karens_ticket, what):
    response = viewers_api.post(f"/tickets/{karens_ticket.number}/{what}", {"body": "Hello"})

    assert response.status_code == 403
    assert "does not allow" in problem(response)["detail"]
    assert karens_ticket.thread.count() == 1


@pytest.mark.parametrize("what", ["replies", "notes"])
def test_an_agent_cannot_reply_to_a_ticket_they_cannot_see(janes_api, karens_ticket, what):
    response = janes_api.post(f"/tickets/{karens_ticket.number}/{what}", {"body": "Hello"})

    assert response.status_code == 404
    assert karens_ticket.thread.count() == 1


def test_a_reply_with_a_status_move_that_does_not_exist_is_a_conflict(johns_api, karens_ticket):
    Ticket.objects.filter(pk=karens_ticket.pk).update(status=Status.RESOLVED)

    response = johns_api.post(
        f"/tickets/{karens_ticket.number}/replies", {"body": "Hi", "status": "awaiting_user"}
    )

    assert response.status_code == 409
    assert "cannot go from resolved to awaiting user" in problem(response)["detail"]
    assert karens_ticket.thread.count() == 1


def test_an_empty_or_too_long_text_is_refused(johns_api, karens_ticket, settings):
    settings.HELPDESK_MAX_BODY_CHARS = 100

    blank = johns_api.post(f"/tickets/{karens_ticket.number}/notes", {"body": "   "})
    long = johns_api.post(f"/tickets/{karens_ticket.number}/notes", {"body": "x" * 101})

    assert blank.status_code == long.status_code == 422
    assert problem(long)["errors"][0]["field"] == "body"


# Changing fields ---------------------------------------------------------------------------


def test_status_priority_and_assignee_change_together(johns_api, karens_ticket, john):
    response = johns_api.patch(
        f"/tickets/{karens_ticket.number}",
        {"status": "resolved", "priority": "emergency", "assignee": john.pk},
    )

    assert response.status_code == 200
    assert response.json()["status"] == "resolved"
    karens_ticket.refresh_from_db()
    assert (karens_ticket.status, karens_ticket.priority, karens_ticket.assignee) == (
        Status.RESOLVED,
        Priority.EMERGENCY,
        john,
    )
    kinds = set(karens_ticket.events.values_list("kind", flat=True))
    assert {Event.Kind.STATUS_CHANGED, Event.Kind.PRIORITY_CHANGED, Event.Kind.ASSIGNED} <= kinds
    # The history names the agent the key acts as.
    assert karens_ticket.history.first().history_user == john.user


def test_unassigning_is_an_explicit_null(johns_api, karens_ticket, john):
    Ticket.objects.filter(pk=karens_ticket.pk).update(assignee=john)

    kept = johns_api.patch(f"/tickets/{karens_ticket.number}", {"priority": "low"})
    cleared = johns_api.patch(f"/tickets/{karens_ticket.number}", {"assignee": None})

    assert kept.json()["assignee"]["id"] == john.pk
    assert cleared.json()["assignee"] is None


@pytest.mark.parametrize(
    "change", [{"priority": "low"}, {"status": "resolved"}, {"assignee": None}, "department"]
)
def test_a_view_only_agent_can_change_nothing(viewers_api, karens_ticket, online_banking, change):
    if change == "department":
        change = {"department": online_banking.pk}
    revision = karens_ticket.revision

    response = viewers_api.patch(f"/tickets/{karens_ticket.number}", change)

    assert response.status_code == 403
    karens_ticket.refresh_from_db()
    assert karens_ticket.revision == revision


def test_nothing_changes_unless_every_change_is_allowed(client, karens_ticket, support):
    """An agent who may edit but not close: the priority is not changed alone."""
    editor = factories.AgentFactory(
        department=support, role=factories.RoleFactory(name="Editor", edit=True, reply=True)
    )
    api = RestClient(client, make_key(editor, can_read=True, can_write=True))

    response = api.patch(
        f"/tickets/{karens_ticket.number}", {"priority": "low", "status": "resolved"}
    )

    assert response.status_code == 403
    assert "close" in problem(response)["detail"]
    karens_ticket.refresh_from_db()
    assert (karens_ticket.priority, karens_ticket.status) == (Priority.HIGH, Status.OPEN)


def test_a_transfer_out_of_the_agents_sight_answers_204(johns_api, karens_ticket, online_banking):
    response = johns_api.patch(
        f"/tickets/{karens_ticket.number}", {"department": online_banking.pk}
    )

    assert response.status_code == 204
    karens_ticket.refresh_from_db()
    assert karens_ticket.department == online_banking
    assert johns_api.get(f"/tickets/{karens_ticket.number}").status_code == 404


def test_a_move_the_status_machine_lacks_is_a_conflict(johns_api, karens_ticket):
    Ticket.objects.filter(pk=karens_ticket.pk).update(status=Status.CLOSED)

    response = johns_api.patch(f"/tickets/{karens_ticket.number}", {"status": "awaiting_user"})

    assert response.status_code == 409
    assert problem(response)["type"] == "urn:helpdesk:problem:conflict"


def test_a_stale_revision_is_refused_and_nothing_is_saved(johns_api, karens_ticket):
    seen = johns_api.get(f"/tickets/{karens_ticket.number}").json()["revision"]
    johns_api.patch(f"/tickets/{karens_ticket.number}", {"priority": "low"})

    response = johns_api.patch(
        f"/tickets/{karens_ticket.number}", {"priority": "emergency", "revision": seen}
    )

    assert response.status_code == 409
    assert "revision" in problem(response)["detail"]
    karens_ticket.refresh_from_db()
    assert karens_ticket.priority == Priority.LOW


def test_an_unknown_or_inactive_department_is_an_invalid_field(johns_api, karens_ticket):
    closed = factories.DepartmentFactory(name="Closed down", is_active=False)

    for department in (closed.pk, 987654):
        response = johns_api.patch(f"/tickets/{karens_ticket.number}", {"department": department})
        assert response.status_code == 422
        assert problem(response)["errors"][0]["field"] == "department"


def test_a_read_only_key_cannot_change_tickets(johns_read_only_api, karens_ticket):
    response = johns_read_only_api.patch(f"/tickets/{karens_ticket.number}", {"priority": "low"})

    assert response.status_code == 401
    assert problem(response)["detail"] == "This API key may not change tickets."


# Files ---------------------------------------------------------------------------------------


def as_file(name: str, data: bytes) -> dict:
    return {"filename": name, "content_base64": base64.b64encode(data).decode()}


def test_files_sent_as_base64_are_attached_and_downloadable(
    client, johns_api, john, karens_ticket, inquiry_topic
):
    opened = johns_api.post(
        "/tickets",
        {**NEW_TICKET, "help_topic": inquiry_topic.pk, "attachments": [as_file("a.txt", b"one")]},
    )
    note = johns_api.post(
        f"/tickets/{karens_ticket.number}/notes",
        {"body": "Logs attached.", "attachments": [as_file("vpn.log", b"drop at 10:00")]},
    )

    assert opened.status_code == note.status_code == 201
    assert opened.json()["thread"][0]["attachments"][0]["filename"] == "a.txt"
    [attached] = note.json()["attachments"]
    assert (attached["filename"], attached["size"]) == ("vpn.log", 13)
    client.force_login(john.user)
    assert b"".join(client.get(attached["url"]).streaming_content) == b"drop at 10:00"


def test_files_the_staff_composer_refuses_are_refused(johns_api, karens_ticket, inquiry_topic):
    refused_type = johns_api.post(
        f"/tickets/{karens_ticket.number}/replies",
        {"body": "Here", "attachments": [as_file("run.exe", b"MZ")]},
    )
    not_base64 = johns_api.post(
        f"/tickets/{karens_ticket.number}/notes",
        {"body": "Here", "attachments": [{"filename": "a.txt", "content_base64": "%%%"}]},
    )
    on_new_ticket = johns_api.post(
        "/tickets",
        {**NEW_TICKET, "help_topic": inquiry_topic.pk, "attachments": [as_file("x.exe", b"MZ")]},
    )

    assert refused_type.status_code == not_base64.status_code == on_new_ticket.status_code == 422
    assert ".exe files are not accepted" in problem(refused_type)["errors"][0]["message"]
    assert problem(not_base64)["errors"][0]["field"] == "attachments.0.content_base64"
    assert problem(on_new_ticket)["errors"][0]["field"] == "attachments"
    assert karens_ticket.thread.count() == 1
    assert Ticket.objects.count() == 1
