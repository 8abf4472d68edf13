"""POST /api/tickets.email: a raw RFC 822 message, as osTicket's mail pipes (automail.pl,
automail.php) post it, through the path every received mail takes. The pipes turn the
answer's status into the MTA's exit code, so the status is what matters."""

import pytest

from helpdesk.mail.models import OutgoingMail
from tests.api.conftest import post, text_of
from tests.mail.messages import message
from tickets.models import InboundMail, Source, Ticket

URL = "/api/tickets.email"


@pytest.fixture(autouse=True)
def _mail_world(settings, outage_topic, john):
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <support@helpdesk.example>"


def pipe(client, key, raw: bytes, url=URL):
    """As automail.php does: the raw message as the body, posted as text/plain."""
    return post(client, url, raw, key, content_type="text/plain")


def test_a_new_message_makes_a_ticket_and_answers_201_with_its_number(client, ticket_key):
    response = pipe(client, ticket_key, message("The printer on floor 3 is jammed."))

    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert text_of(response) == ticket.number
    assert ticket.source == Source.EMAIL
    assert ticket.requester.email == "ana.costa@example.com"
    assert InboundMail.objects.get().source == InboundMail.Source.API


def test_a_reply_threads_onto_its_ticket(client, ticket_key):
    number = text_of(pipe(client, ticket_key, message("First message.")))
    [autoresponse] = OutgoingMail.objects.filter(notice="ticket.autoresponse")

    reply = message(
        "Still jammed this morning.",
        Message_ID="<reply-1@example.com>",
        Subject=f"Re: [#{number}] Help",
        In_Reply_To=f"<{autoresponse.message_id}>",
    )
    response = pipe(client, ticket_key, reply)

    assert (response.status_code, text_of(response)) == (201, number)
    ticket = Ticket.objects.get()
    assert [e.body for e in ticket.thread.order_by("pk")] == [
        "First message.",
        "Still jammed this morning.",
    ]


def test_the_same_message_id_twice_is_one_ticket_and_the_same_answer(client, ticket_key):
    raw = message("Posted twice by a retrying MTA.")

    first = pipe(client, ticket_key, raw)
    again = pipe(client, ticket_key, raw, url="/api/http.php/tickets.email")

    assert first.status_code == again.status_code == 201
    assert text_of(first) == text_of(again)
    assert Ticket.objects.count() == 1
    assert Ticket.objects.get().thread.count() == 1


def test_an_auto_reply_is_kept_without_a_ticket_and_not_retried(client, ticket_key):
    response = pipe(client, ticket_key, message("I am away.", Auto_Submitted="auto-replied"))

    # 201 makes the pipe exit 0: the MTA must not deliver it again and again.
    assert response.status_code == 201
    assert "no ticket" in text_of(response)
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("body", [b"", b"   \r\n", b"just some words, no header at all"])
def test_what_is_not_mail_is_answered_400_which_the_pipe_bounces(client, ticket_key, body):
    response = pipe(client, ticket_key, body)

    assert response.status_code == 400
    assert text_of(response).startswith("message:")
    assert not Ticket.objects.exists()


def test_mail_over_the_mail_limit_is_answered_413(client, ticket_key, settings):
    settings.HELPDESK_MAX_EMAIL_BYTES = 2048

    response = pipe(client, ticket_key, message("x" * 4000))

    assert response.status_code == 413
    assert not InboundMail.objects.exists()


def test_a_key_that_may_not_create_tickets_gets_401_which_the_pipe_reports(client, cron_key):
    response = pipe(client, cron_key, message("Hello"))

    assert response.status_code == 401
    assert "may not create tickets" in text_of(response)
    assert not InboundMail.objects.exists()


def automail_exit_code(status: int) -> int:
    """What osTicket's automail.php tells the MTA for each answer (sysexits)."""
    return {201: 0, 400: 66, 401: 77, 403: 77, 415: 65, 416: 65, 417: 65, 501: 65, 503: 69}.get(
        status, 75
    )


@pytest.mark.parametrize(
    "case, exit_code",
    [
        ("a new message", 0),
        ("the same message again", 0),
        ("an auto-reply", 0),
        ("not mail", 66),  # bounced: trying again cannot help
        ("a wrong key", 77),
        ("a format we do not read", 65),
    ],
)
def test_a_mail_pipe_exits_with_the_code_that_makes_the_mta_do_the_right_thing(
    client, ticket_key, case, exit_code
):
    raw, key, url = message("Hello"), ticket_key, URL
    if case == "the same message again":
        pipe(client, key, raw)
    elif case == "an auto-reply":
        raw = message("Away", Auto_Submitted="auto-replied")
    elif case == "not mail":
        raw = b"no headers here"
    elif case == "a wrong key":
        key = "F" * 32
    elif case == "a format we do not read":
        url = "/api/tickets.mbox"

    response = pipe(client, key, raw, url=url)

    assert automail_exit_code(response.status_code) == exit_code
