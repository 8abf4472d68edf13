"""One address is one person: normalised (NFKC, IDNA domain, case) and look-alikes refused
(invisible characters, mixed alphabets) on every path that takes an address."""

import json
import uuid

import pytest
from django.core import mail as django_mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts import emails
from accounts.models import User
from helpdesk.mail.models import OutgoingMail
from tests import factories
from tests.admin_panel.agent_forms import agent_form
from tests.api.conftest import RestClient, make_key, new_key, post
from tickets.inbound.intake import _mark_bouncing, receive
from tickets.models import Collaborator, InboundMail, Ticket

CYRILLIC_E = "\u0435"  # looks like Latin "e"
ZERO_WIDTH = "\u200b"
LOOK_ALIKES = [
    f"karen{ZERO_WIDTH}@example.com",  # zero-width space
    "karen@exam\u200dple.com",  # zero-width joiner
    "\ufeffkaren@example.com",  # byte order mark
    "karen@\u202eelpmaxe.com",  # right-to-left override
    "kar\u00aden@example.com",  # soft hyphen
    "karen\x07@example.com",  # a control character
    f"karen@{CYRILLIC_E}xample.com",  # a Cyrillic letter in a Latin domain label
    f"kar{CYRILLIC_E}n@example.com",  # ... and in the local part
    "karen@" + f"ex{CYRILLIC_E}mple".encode("idna").decode() + ".com",  # its punycode form
]


def test_the_unicode_and_punycode_forms_of_a_domain_are_one_address():
    assert emails.normalise("Maria@Bücher.Example") == "Maria@xn--bcher-kva.example"
    assert emails.normalise("Maria@xn--bcher-kva.example") == "Maria@xn--bcher-kva.example"


def test_full_width_letters_and_surrounding_space_are_normalised():
    assert emails.normalise("  ｋａｒｅｎ@ｅｘａｍｐｌｅ.ｃｏｍ ") == "karen@example.com"


@pytest.mark.parametrize(
    "address", ["иван@пример.рф", "山田@例え.jp", "たなか@example.com", "user@bücher.de"]
)
def test_addresses_written_in_one_alphabet_are_accepted(address):
    assert emails.refusal(address) is None


@pytest.mark.parametrize("address", LOOK_ALIKES)
def test_look_alike_addresses_are_refused_with_the_reason(address):
    why = emails.refusal(address)

    assert why in (emails.INVISIBLE, emails.MIXED)


def test_the_reasons_name_what_is_wrong():
    assert "invisible character" in emails.refusal(f"karen{ZERO_WIDTH}@example.com")
    assert "different alphabets" in emails.refusal(f"karen@{CYRILLIC_E}xample.com")


# The portal ---------------------------------------------------------------------------------


def open_form(topic, email):
    return {
        "email": email,
        "full_name": "Karen Taylor",
        "help_topic": topic.pk,
        "subject": "The printer is jammed",
        "body": "Paper everywhere.",
        "submission_key": str(uuid.uuid4()),
    }


@pytest.mark.parametrize("address", LOOK_ALIKES)
def test_the_portal_form_refuses_a_look_alike_beside_the_field(client, outage_topic, address):
    response = client.post(reverse("portal:open-ticket"), open_form(outage_topic, address))

    assert response.status_code == 200
    assert response.context["form"].errors["email"][0] in (emails.INVISIBLE, emails.MIXED)
    assert not Ticket.objects.exists()
    assert not User.objects.exists()


def test_the_portal_form_files_the_unicode_twin_under_the_same_user(client, outage_topic):
    url = reverse("portal:open-ticket")
    client.post(url, open_form(outage_topic, "maria@bücher.example"))
    client.post(url, open_form(outage_topic, "MARIA@xn--bcher-kva.example"))

    assert User.objects.count() == 1
    assert User.objects.get().email == "maria@xn--bcher-kva.example"
    assert Ticket.objects.filter(requester__email="maria@xn--bcher-kva.example").count() == 2


def test_check_status_finds_the_ticket_by_the_unicode_twin(client, outage_topic):
    user = factories.UserFactory(email="maria@xn--bcher-kva.example")
    ticket = factories.TicketFactory(requester=user, help_topic=outage_topic)

    response = client.post(
        reverse("portal:check-status"), {"email": "maria@Bücher.example", "number": ticket.number}
    )

    assert response.status_code == 302


def test_check_status_refuses_a_look_alike_beside_the_field(client, karens_ticket):
    response = client.post(
        reverse("portal:check-status"),
        {"email": f"karen{ZERO_WIDTH}@example.com", "number": karens_ticket.number},
    )

    assert response.context["form"].errors["email"] == [emails.INVISIBLE]


def test_portal_sign_in_accepts_the_twin_and_explains_a_look_alike(client, db):
    user = factories.UserFactory(email="maria@xn--bcher-kva.example")
    user.set_password("a long passphrase")
    user.save()
    url = reverse("portal:login")

    refused = client.post(
        url, {"username": f"maria@b{CYRILLIC_E}cher.example", "password": "a long passphrase"}
    )
    signed_in = client.post(
        url, {"username": "Maria@bücher.example", "password": "a long passphrase"}
    )

    assert refused.context["form"].errors["username"] == [emails.MIXED]
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_password_reset_reaches_the_user_by_the_twin(client, db):
    user = factories.UserFactory(email="maria@xn--bcher-kva.example")
    user.set_password("a long passphrase")
    user.save()

    client.post(reverse("portal:password-reset"), {"email": "maria@BÜCHER.example"})
    refused = client.post(
        reverse("portal:password-reset"), {"email": f"maria{ZERO_WIDTH}@bücher.example"}
    )

    assert OutgoingMail.objects.filter(notice="account.password_reset").count() == 1
    assert refused.context["form"].errors["email"] == [emails.INVISIBLE]


# Staff and admin panel ---------------------------------------------------------------------


def test_the_staff_new_ticket_form_refuses_a_look_alike_requester(client, john, outage_topic):
    client.force_login(john.user)
    data = open_form(outage_topic, f"karen@{CYRILLIC_E}xample.com") | {"source": "phone"}

    response = client.post(reverse("staff:ticket-new"), data)

    assert response.context["form"].errors["email"] == [emails.MIXED]
    assert not Ticket.objects.exists()


def test_the_agent_form_refuses_a_look_alike(as_admin, support, all_access):
    data = agent_form(email=f"bob{ZERO_WIDTH}@example.com", department=support, role=all_access)

    response = as_admin.post(reverse("admin-panel:agent-create"), data)

    assert response.context["form"].errors["email"] == [emails.INVISIBLE]


def test_the_user_form_sees_the_twin_as_taken(as_admin, db):
    factories.UserFactory(email="maria@xn--bcher-kva.example")

    response = as_admin.post(
        reverse("admin-panel:user-create"),
        {"full_name": "Maria", "email": "maria@bücher.example", "is_active": "on"},
    )

    assert response.context["form"].errors["email"] == [
        "Another user already has this email address."
    ]


# Mail and the APIs --------------------------------------------------------------------------


def raw_mail(sender, *, reply_to=None, cc=None, subject="Printer jammed") -> bytes:
    """A message as a mail server hands it over; unicode addresses as SMTPUTF8 sends them."""
    headers = [f"From: {sender}", "To: support@helpdesk.example"]
    headers += [f"Reply-To: {reply_to}"] if reply_to else []
    headers += [f"Cc: {cc}"] if cc else []
    headers += [
        f"Subject: {subject}",
        f"Message-ID: <{uuid.uuid4()}@sender.example>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
    ]
    return ("\r\n".join(headers) + "\r\n\r\nPaper everywhere.\r\n").encode()


@pytest.fixture
def mail_topic(settings, outage_topic):
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <support@helpdesk.example>"
    settings.HELPDESK_EMAIL_HELP_TOPIC = outage_topic.name
    return outage_topic


@pytest.mark.parametrize("header", ["sender", "reply_to"])
def test_mail_from_a_look_alike_is_kept_but_opens_no_ticket(mail_topic, header):
    look_alike = f"karen@{CYRILLIC_E}xample.com"
    addresses = {"sender": "karen@example.com", header: look_alike}

    record = receive(raw_mail(addresses.pop("sender"), **addresses), source="pipe")

    assert record.status == InboundMail.Status.IGNORED
    assert record.outcome.startswith("Refused:")
    assert "different alphabets" in record.outcome
    assert record.raw.name  # the original stays, for an admin to read
    assert not Ticket.objects.exists()
    assert not User.objects.exists()


def test_mail_from_the_unicode_twin_joins_the_existing_user(mail_topic):
    user = factories.UserFactory(email="maria@xn--bcher-kva.example")

    record = receive(raw_mail("Maria <maria@bücher.example>"), source="pipe")

    assert record.status == InboundMail.Status.IMPORTED
    assert record.ticket.requester == user
    assert User.objects.count() == 1


def test_a_copied_look_alike_does_not_become_a_collaborator(mail_topic):
    record = receive(
        raw_mail("karen@example.com", cc=f"ken@{CYRILLIC_E}xample.com, ken@example.com"),
        source="pipe",
    )

    followers = Collaborator.objects.filter(ticket=record.ticket)
    assert [c.user.email for c in followers] == ["ken@example.com"]


def test_the_osticket_api_refuses_a_look_alike_with_the_reason(client, outage_topic):
    ticket_key = new_key()[1]
    body = {
        "name": "Karen",
        "email": f"karen{ZERO_WIDTH}@example.com",
        "subject": "Printer",
        "message": "Jammed",
    }

    response = post(client, "/api/tickets.json", json.dumps(body), ticket_key)

    assert response.status_code == 400
    assert "invisible character" in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_rest_api_refuses_a_look_alike_requester(client, john, outage_topic):
    api = RestClient(client, make_key(john, can_read=True, can_write=True))

    response = api.post(
        "/tickets",
        {
            "email": f"karen@{CYRILLIC_E}xample.com",
            "name": "Karen",
            "subject": "Printer",
            "message": "Jammed",
            "help_topic": outage_topic.pk,
        },
    )

    assert response.status_code == 422
    assert "different alphabets" in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_rest_api_filters_by_the_unicode_twin(client, john, outage_topic):
    user = factories.UserFactory(email="maria@xn--bcher-kva.example")
    ticket = factories.TicketFactory(requester=user, help_topic=outage_topic)
    api = RestClient(client, make_key(john, can_read=True))

    response = api.get("/tickets", data={"requester": "maria@bücher.example"})

    assert response.status_code == 200
    assert [t["number"] for t in response.json()["items"]] == [ticket.number]


# Accounts made before the rule -------------------------------------------------------------


def test_the_check_command_lists_twins_and_look_alikes(db, capsys):
    factories.UserFactory(email="maria@bücher.example")
    factories.UserFactory(email="Maria@xn--bcher-kva.example")
    factories.UserFactory(email=f"karen{ZERO_WIDTH}@example.com")
    factories.UserFactory(email="ken@example.com")

    with pytest.raises(CommandError):
        call_command("check_email_addresses")

    out = capsys.readouterr().out
    assert "maria@bücher.example" in out and "Maria@xn--bcher-kva.example" in out
    assert "invisible character" in out
    assert "ken@example.com" not in out


def test_no_mail_is_sent_to_a_refused_address(client, outage_topic):
    client.post(reverse("portal:open-ticket"), open_form(outage_topic, LOOK_ALIKES[0]))

    assert django_mail.outbox == []


def test_djangos_admin_refuses_a_look_alike(client, db):
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": f"karen{ZERO_WIDTH}@example.com",
            "full_name": "Karen",
            "password1": "a long passphrase 123",
            "password2": "a long passphrase 123",
            "usable_password": "true",
        },
    )

    assert response.status_code == 200
    assert emails.INVISIBLE in response.content.decode()
    assert not User.objects.filter(full_name="Karen").exists()


def test_a_bounce_for_the_unicode_twin_marks_the_stored_user(db):
    user = factories.UserFactory(email="old.user@xn--bcher-kva.example")

    # The addresses a parsed bounce names (tickets.mail.parse reads them from the report).
    marked = _mark_bouncing(["Old.User@bücher.example"])

    user.refresh_from_db()
    assert marked == 1
    assert user.email_bounced_at is not None
