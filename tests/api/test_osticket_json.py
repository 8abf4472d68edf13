"""POST /api/tickets.json with the JSON osTicket documents: each field, as its clients send
it (osTicket's PHP sample posts JSON with curl's default form content type)."""

import json

import pytest

from helpdesk.mail.models import OutgoingMail
from tests import factories
from tests.api.conftest import data_url, post, text_of
from tickets.models import Event, Priority, Source, Ticket

URL = "/api/tickets.json"


def documented(**changes) -> dict:
    """The example of osTicket's documentation, with a data-URL message and two files."""
    fields = {
        "alert": True,
        "autorespond": True,
        "source": "API",
        "name": "Angry User",
        "email": "api@osticket.com",
        "phone": "3185558634X123",
        "subject": "Testing API",
        "ip": "123.211.233.122",
        "message": "data:text/plain;charset=utf-8,MESSAGE%20HERE",
        "attachments": [
            {"file.txt": "data:text/plain;charset=utf-8,content"},
            {"image.png": data_url(b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image/png")},
        ],
    }
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


def create(client, key, **changes):
    return post(client, URL, json.dumps(documented(**changes)), key)


@pytest.fixture(autouse=True)
def _topics(outage_topic, inquiry_topic, john):
    """Two topics in Support, where John works and is alerted of new tickets."""


def test_the_documented_request_makes_a_ticket_and_answers_its_number(client, ticket_key):
    response = create(client, ticket_key)

    assert response.status_code == 201
    assert response["Content-Type"].startswith("text/plain")
    ticket = Ticket.objects.get()
    assert text_of(response) == ticket.number
    assert ticket.source == Source.API
    assert ticket.subject == "Testing API"
    assert ticket.given_name == "Angry User"
    assert ticket.given_phone == "3185558634 x123"
    assert ticket.requester.email == "api@osticket.com"
    entry = ticket.thread.get()
    assert entry.body == "MESSAGE HERE"
    files = {a.filename: a.file.read() for a in entry.attachments.all()}
    assert files["file.txt"] == b"content"
    assert files["image.png"].startswith(b"\x89PNG")
    created = Event.objects.get(ticket=ticket, kind=Event.Kind.CREATED)
    assert created.data["ip"] == "123.211.233.122"
    assert created.data["api_key"] == "Monitoring"


def test_the_ticket_takes_its_help_topics_department_priority_and_plan(
    client, ticket_key, outage_topic, sev_a
):
    create(client, ticket_key, topicId=str(outage_topic.pk))

    ticket = Ticket.objects.get()
    assert ticket.help_topic == outage_topic
    assert ticket.priority == Priority.HIGH
    assert ticket.sla_plan == sev_a
    assert ticket.resolution_due_at is not None


def test_a_topic_id_may_be_a_number(client, ticket_key, inquiry_topic):
    create(client, ticket_key, topicId=inquiry_topic.pk)

    assert Ticket.objects.get().help_topic == inquiry_topic


@pytest.mark.parametrize(
    "sent, priority",
    [(1, Priority.LOW), ("4", Priority.EMERGENCY), ("high", Priority.HIGH), ("Normal", 2)],
)
def test_a_priority_is_taken_by_osticket_id_or_name(client, ticket_key, sent, priority):
    create(client, ticket_key, priority=sent)

    assert Ticket.objects.get().priority == priority


def test_priority_id_is_read_as_osticket_documents_it(client, ticket_key):
    create(client, ticket_key, priorityId=4)

    assert Ticket.objects.get().priority == Priority.EMERGENCY


def test_an_html_message_is_sanitised_to_its_text(client, ticket_key):
    html = "<p>Printer <b>down</b></p><script>alert(1)</script><p>Floor 3</p>"
    create(client, ticket_key, message=data_url(html.encode(), "text/html"))

    body = Ticket.objects.get().thread.get().body
    assert "Printer down" in body
    assert "Floor 3" in body
    assert "alert" not in body and "<" not in body


def test_a_plain_message_and_a_base64_one_in_another_charset_are_read(client, ticket_key):
    create(client, ticket_key, message="Just text, not a data URL")
    latin = "data:text/plain;charset=iso-8859-1;base64," + "Q2Fm6SBjcuhtZQ=="
    create(client, ticket_key, message=latin, email="other@example.com")

    bodies = sorted(Ticket.objects.values_list("thread__body", flat=True))
    assert bodies == ["Café crème", "Just text, not a data URL"]


def test_alert_and_autorespond_send_the_new_ticket_notices(client, ticket_key):
    create(client, ticket_key)

    assert OutgoingMail.objects.filter(notice="ticket.autoresponse").count() == 1
    assert OutgoingMail.objects.filter(notice="agent.new_ticket").count() == 1


@pytest.mark.parametrize("off", [False, "false", 0, "0"])
def test_alert_false_switches_off_the_alert_to_staff_only(client, ticket_key, off):
    create(client, ticket_key, alert=off)

    assert OutgoingMail.objects.filter(notice="ticket.autoresponse").count() == 1
    assert not OutgoingMail.objects.filter(notice="agent.new_ticket").exists()


def test_autorespond_false_switches_off_the_auto_response_only(client, ticket_key):
    create(client, ticket_key, autorespond=False)

    assert not OutgoingMail.objects.filter(notice="ticket.autoresponse").exists()
    assert OutgoingMail.objects.filter(notice="agent.new_ticket").count() == 1


@pytest.mark.parametrize("given, source", [("Phone", Source.PHONE), ("email", Source.EMAIL)])
def test_a_known_source_is_kept(client, ticket_key, given, source):
    create(client, ticket_key, source=given)

    assert Ticket.objects.get().source == source


def test_without_a_source_the_ticket_comes_from_the_api(client, ticket_key):
    create(client, ticket_key, source=None)

    assert Ticket.objects.get().source == Source.API


def test_notes_become_an_internal_note_by_the_key(client, ticket_key):
    create(client, ticket_key, notes="Raised by Nagios check disk_space on db01")

    note = Ticket.objects.get().thread.get(kind="note")
    assert note.body == "Raised by Nagios check disk_space on db01"
    assert note.author is None
    assert "Monitoring" in note.author_name


def test_a_phone_extension_may_be_sent_apart(client, ticket_key):
    create(client, ticket_key, phone="318-555-8634", phone_ext="77")

    assert Ticket.objects.get().given_phone == "318-555-8634 x77"


def test_unknown_keys_are_ignored(client, ticket_key):
    response = create(client, ticket_key, department={"nested": [1, 2]}, customField=None, x=3)

    assert response.status_code == 201
    assert Ticket.objects.count() == 1


def test_the_content_type_does_not_matter(client, ticket_key):
    for content_type in ["application/json", "text/plain", "application/x-www-form-urlencoded"]:
        response = post(
            client,
            URL,
            json.dumps(documented(email=f"{content_type.replace('/', '.')}@example.com")),
            ticket_key,
            content_type=content_type,
        )
        assert response.status_code == 201, text_of(response)

    assert Ticket.objects.count() == 3


def test_the_ticket_shows_in_the_staff_panel(client, ticket_key, john):
    number = text_of(create(client, ticket_key))
    client.force_login(john.user)

    page = client.get(f"/scp/tickets/{number}/")

    assert page.status_code == 200
    assert "Testing API" in page.content.decode()
    assert "Opened via API in Support" in page.content.decode()
    assert "with the API key “Monitoring” for 123.211.233.122" in page.content.decode()


def test_a_name_or_subject_over_several_lines_becomes_one_line(client, ticket_key):
    create(client, ticket_key, name="Angry\r\nUser", subject="Disk full\nBcc: x@example.com")

    ticket = Ticket.objects.get()
    assert (ticket.given_name, ticket.subject) == ("Angry User", "Disk full Bcc: x@example.com")


def test_a_long_subject_is_cut_as_a_mail_subject_is(client, ticket_key):
    create(client, ticket_key, subject="d" * 300)

    assert len(Ticket.objects.get().subject) == 255


def test_the_topics_automatic_assignee_gets_the_ticket(client, ticket_key, support, john):
    topic = factories.HelpTopicFactory(department=support, auto_assign_agent=john)

    create(client, ticket_key, topicId=topic.pk)

    assert Ticket.objects.get().assignee == john


def test_alert_false_also_spares_the_automatic_assignee_the_alert(
    client, ticket_key, support, john
):
    topic = factories.HelpTopicFactory(department=support, auto_assign_agent=john)

    create(client, ticket_key, topicId=topic.pk, alert=False)

    assert Ticket.objects.get().assignee == john
    assert not OutgoingMail.objects.exclude(notice="ticket.autoresponse").exists()
