"""Opening a ticket from the portal's "Open a New Ticket" form."""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests import factories
from tests.links import opened_by
from tickets.access import TicketAccess
from tickets.models import Event, ThreadEntry, Ticket
from tickets.status import Status

URL = reverse("portal:open-ticket")


def form_data(topic, **overrides):
    data = {
        "email": "karen@example.com",
        "full_name": "Karen Taylor",
        "phone": "+1 555 0100",
        "help_topic": topic.pk,
        "subject": "Entire mobile online banking is down",
        "body": "Customers cannot log in to the mobile app.",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def png(name="screenshot.png", size=100):
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"0" * size, content_type="image/png")


def test_the_form_shows_the_osticket_labels_and_button(client, outage_topic):
    response = client.get(URL)

    page = response.content.decode()
    for label in [
        "Email Address",
        "Full Name",
        "Phone Number",
        "Help Topic",
        "Issue Summary",
        "Details",
        "Attachments",
    ]:
        assert label in page
    assert "Create Ticket" in page
    assert 'name="submission_key"' in page


def test_a_valid_form_creates_a_ticket_with_the_details_as_first_message(client, outage_topic):
    response = client.post(URL, form_data(outage_topic))

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.subject == "Entire mobile online banking is down"
    assert ticket.status == Status.OPEN
    assert ticket.source == "web"
    (entry,) = ticket.thread.all()
    assert entry.kind == ThreadEntry.Kind.MESSAGE
    assert entry.body == "Customers cannot log in to the mobile app."
    assert entry.author.email == "karen@example.com"
    assert list(ticket.events.values_list("kind", flat=True)) == [Event.Kind.CREATED]


def test_the_ticket_takes_its_topics_department_priority_and_plan(
    client, outage_topic, online_banking
):
    client.post(URL, form_data(outage_topic))

    ticket = Ticket.objects.get()
    assert ticket.department == outage_topic.department
    assert ticket.priority == outage_topic.priority
    assert ticket.sla_plan == outage_topic.sla_plan
    assert ticket.help_topic == outage_topic


def test_a_topic_without_a_plan_gives_the_ticket_its_departments_plan(client, inquiry_topic):
    client.post(URL, form_data(inquiry_topic))

    assert Ticket.objects.get().sla_plan == inquiry_topic.department.sla_plan


def test_success_page_shows_the_ticket_number_and_a_link_to_the_ticket(client, outage_topic):
    response = client.post(URL, form_data(outage_topic), follow=True)

    ticket = Ticket.objects.get()
    page = response.content.decode()
    assert f"Ticket #{ticket.number} created" in page
    link = re.search(r'href="(/tickets/view/[^"]+/)"', page).group(1)
    assert opened_by(link) == TicketAccess(ticket, ticket.requester)
    assert client.get(link).status_code == 200


def test_the_success_page_without_a_ticket_in_the_session_goes_home(client, db):
    response = client.get(reverse("portal:ticket-created"))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_a_known_email_in_another_case_reuses_that_end_user(client, outage_topic, karen):
    client.post(URL, form_data(outage_topic, email="KAREN@Example.COM", full_name="K. T."))

    assert User.objects.count() == 1
    assert Ticket.objects.get().requester == karen
    karen.refresh_from_db()
    assert karen.full_name == "Karen Taylor", "a form must not rename an existing account"


def test_a_new_email_creates_an_end_user_without_a_password(client, outage_topic):
    client.post(URL, form_data(outage_topic, email="new.person@example.net"))

    user = User.objects.get(email="new.person@example.net")
    assert user.full_name == "Karen Taylor"
    assert user.phone == "+1 555 0100"
    assert not user.has_usable_password()
    assert not user.is_agent


def test_attachments_are_stored_with_the_first_message(client, outage_topic):
    data = form_data(outage_topic)
    data["attachments"] = [png("screen one.png"), png("log.txt", size=10)]

    client.post(URL, data)

    entry = Ticket.objects.get().thread.get()
    names = sorted(a.filename for a in entry.attachments.all())
    assert names == ["log.txt", "screen one.png"]
    stored = entry.attachments.get(filename="log.txt")
    assert stored.content_type == "text/plain"
    assert stored.size == 18
    assert stored.file.read() == b"\x89PNG\r\n\x1a\n" + b"0" * 10


def test_an_attachment_name_with_a_path_is_kept_without_it(client, outage_topic):
    data = form_data(outage_topic)
    data["attachments"] = [png("../../etc/passwd.png")]

    client.post(URL, data)

    attachment = Ticket.objects.get().thread.get().attachments.get()
    assert attachment.filename == "passwd.png"
    assert "etc" not in attachment.file.name


def test_submitting_the_same_form_twice_makes_one_ticket(client, outage_topic):
    data = form_data(outage_topic)

    first = client.post(URL, data)
    second = client.post(URL, data)

    assert Ticket.objects.count() == 1
    assert ThreadEntry.objects.count() == 1
    assert first["Location"] == second["Location"]
    follow = client.get(second["Location"])
    assert f"#{Ticket.objects.get().number}" in follow.content.decode()


def test_two_forms_with_different_keys_make_two_tickets(client, outage_topic):
    client.post(URL, form_data(outage_topic))
    client.post(URL, form_data(outage_topic))

    assert Ticket.objects.count() == 2


def test_a_form_sent_again_for_another_email_makes_a_second_ticket_not_the_first(
    client, outage_topic
):
    data = form_data(outage_topic)
    client.post(URL, data)
    karens = Ticket.objects.get()
    other_browser = Client()

    other_browser.post(URL, {**data, "email": "ken@example.com"})

    assert Ticket.objects.count() == 2
    kens = Ticket.objects.exclude(pk=karens.pk).get()
    assert kens.requester.email == "ken@example.com"
    page = other_browser.get(reverse("portal:ticket-created")).content.decode()
    assert kens.number in page
    assert karens.number not in page


# --- bad input: a clear error beside the field, and nothing typed is lost ---


def assert_kept(response, data, *, except_fields=()):
    """Every value the person typed is in the re-rendered form."""
    form = response.context["form"]
    for name in ["email", "full_name", "phone", "subject", "body"]:
        if name in except_fields:
            continue
        assert form[name].value() == data[name], name
        assert str(data[name]) in response.content.decode(), name
    if "help_topic" not in except_fields:
        assert str(form["help_topic"].value()) == str(data["help_topic"])
    assert form["submission_key"].value() == data["submission_key"], "the same form, same key"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "", "This field is required."),
        ("email", "karen@", "Enter a valid email address."),
        ("full_name", "", "This field is required."),
        ("help_topic", "", "This field is required."),
        ("subject", "   ", "This field is required."),
        ("body", "", "This field is required."),
        ("phone", "call me maybe", "Enter a phone number using digits"),
    ],
)
def test_bad_input_is_answered_beside_the_field_and_the_rest_is_kept(
    client, outage_topic, field, value, message
):
    data = form_data(outage_topic, **{field: value})

    response = client.post(URL, data)

    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert message in response.content.decode()
    assert_kept(response, data, except_fields=(field,))


def test_a_topic_that_is_not_public_is_refused(client, private_topic):
    data = form_data(private_topic)

    response = client.post(URL, data)

    assert Ticket.objects.count() == 0
    assert response.context["form"].errors["help_topic"] == [
        "That help topic is not available; please choose one from the list."
    ]
    assert_kept(response, data, except_fields=("help_topic",))


def test_a_topic_that_is_not_active_is_refused(client, retired_topic):
    response = client.post(URL, form_data(retired_topic))

    assert Ticket.objects.count() == 0
    assert "help_topic" in response.context["form"].errors


def test_the_form_offers_only_public_active_topics(
    client, outage_topic, private_topic, retired_topic
):
    page = client.get(URL).content.decode()

    assert "Business Critical Outage" in page
    assert "Internal Escalation" not in page
    assert "Fax Machines" not in page


def test_details_over_the_limit_are_refused_and_kept_whole(client, outage_topic, settings):
    settings.HELPDESK_MAX_BODY_CHARS = 200
    long_text = "x" * 201
    data = form_data(outage_topic, body=long_text)

    response = client.post(URL, data)

    assert Ticket.objects.count() == 0
    (error,) = response.context["form"].errors["body"]
    assert "200 characters or fewer (it has 201)" in error
    assert_kept(response, data)
    assert 'maxlength="200"' not in response.content.decode(), "a maxlength would cut a paste"


def test_details_at_the_limit_are_accepted(client, outage_topic, settings):
    settings.HELPDESK_MAX_BODY_CHARS = 200

    client.post(URL, form_data(outage_topic, body="y" * 200))

    assert Ticket.objects.get().thread.get().body == "y" * 200


def test_an_attachment_over_the_size_limit_is_refused(client, outage_topic, settings):
    settings.HELPDESK_MAX_ATTACHMENT_BYTES = 1024
    data = form_data(outage_topic)
    data["attachments"] = [png("big.png", size=2000)]

    response = client.post(URL, {**data})

    assert Ticket.objects.count() == 0
    (error,) = response.context["form"].errors["attachments"]
    assert error.startswith("big.png is 2.0\xa0KB; the limit is 1.0\xa0KB per file.")
    assert_kept(response, data)


def test_an_attachment_of_a_refused_type_is_refused(client, outage_topic):
    data = form_data(outage_topic)
    data["attachments"] = [SimpleUploadedFile("setup.exe", b"MZ\x90\x00", "image/png")]

    response = client.post(URL, data)

    assert Ticket.objects.count() == 0
    (error,) = response.context["form"].errors["attachments"]
    assert error.startswith("setup.exe: .exe files are not accepted. Accepted types: ")
    assert_kept(response, data)


def test_the_accepted_types_are_a_setting(client, outage_topic, settings):
    settings.HELPDESK_ALLOWED_ATTACHMENT_EXTENSIONS = ["exe"]
    data = form_data(outage_topic)
    data["attachments"] = [SimpleUploadedFile("setup.exe", b"MZ\x90\x00")]

    client.post(URL, data)

    assert Ticket.objects.get().thread.get().attachments.get().filename == "setup.exe"


def test_every_refused_attachment_is_named(client, outage_topic, settings):
    settings.HELPDESK_MAX_ATTACHMENT_BYTES = 1024
    data = form_data(outage_topic)
    data["attachments"] = [png("big.png", size=2000), SimpleUploadedFile("a.bat", b"echo")]

    response = client.post(URL, data)

    errors = response.context["form"].errors["attachments"]
    assert len(errors) == 2
    assert any(e.startswith("big.png") for e in errors)
    assert any(e.startswith("a.bat") for e in errors)


def test_more_attachments_than_allowed_are_refused(client, outage_topic, settings):
    settings.HELPDESK_MAX_ATTACHMENTS = 2
    data = form_data(outage_topic)
    data["attachments"] = [png(f"{n}.png") for n in range(3)]

    response = client.post(URL, data)

    assert Ticket.objects.count() == 0
    assert response.context["form"].errors["attachments"] == [
        "You can attach at most 2 files; you chose 3."
    ]


def test_a_get_with_an_unknown_method_is_refused(client, db):
    assert client.put(URL).status_code == 405


def test_ticket_form_escapes_what_was_typed(client, outage_topic):
    data = form_data(outage_topic, email="not-an-email", subject="<script>alert(1)</script>")

    response = client.post(URL, data)

    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_ticket_created_with_factories_has_a_requester_email(karens_ticket):
    # Guards the cast itself: the fixtures other tests use are what they claim to be.
    assert karens_ticket.requester.email == "karen@example.com"
    assert factories.TicketFactory().number != karens_ticket.number


def test_a_topic_that_auto_assigns_to_an_agent_assigns_the_new_ticket(client, outage_topic, jane):
    outage_topic.auto_assign_agent = jane
    outage_topic.save()

    client.post(URL, form_data(outage_topic))

    ticket = Ticket.objects.get()
    assert ticket.assignee == jane
    event = ticket.events.get(kind=Event.Kind.ASSIGNED)
    assert event.data == {
        "agent": "Jane Cooper",
        "team": None,
        "by_help_topic": "Business Critical Outage",
    }


def test_a_topic_that_auto_assigns_to_a_team_gives_the_ticket_to_the_team(client, outage_topic):
    team = factories.TeamFactory(name="Level 2")
    outage_topic.auto_assign_team = team
    outage_topic.save()

    client.post(URL, form_data(outage_topic))

    ticket = Ticket.objects.get()
    assert (ticket.assignee, ticket.team) == (None, team)


def test_an_inactive_auto_assignee_is_skipped(client, outage_topic, jane):
    jane.user.is_active = False
    jane.user.save()
    outage_topic.auto_assign_agent = jane
    outage_topic.save()

    client.post(URL, form_data(outage_topic))

    ticket = Ticket.objects.get()
    assert ticket.assignee is None
    assert not ticket.events.filter(kind=Event.Kind.ASSIGNED).exists()
