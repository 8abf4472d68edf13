"""What each message of the corpus (tests/data/email) becomes when it arrives: a new ticket,
a reply on its ticket, an agent's note, a message held for review, or nothing (a bounce, an
auto-reply, a list). The raw message is always kept."""

import base64
from pathlib import Path

import pytest
from django.core import mail as django_mail

from accounts.models import User
from helpdesk.mail.models import OutgoingMail
from tests import factories
from tickets import services
from tickets.inbound.intake import accept_held, receive
from tickets.models import Collaborator, InboundMail, Source, ThreadEntry, Ticket
from tickets.status import Status as TicketStatus

CORPUS = Path(__file__).resolve().parent.parent / "data" / "email"
Status = InboundMail.Status


@pytest.fixture
def world(settings, support, john):
    """Our address, and the tickets the corpus's replies answer, with their requesters."""
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <support@helpdesk.example>"
    topic = factories.HelpTopicFactory(name="Email", department=support)
    settings.HELPDESK_EMAIL_HELP_TOPIC = "Email"
    requesters = {
        "123456": "maria.lopez@example.com",
        "123457": "tom.becker@example.org",
        "123458": "ahmed.rahimi@example.com",
        "123459": "carmen.ruiz@example.es",
        "123460": "old.user@example.com",
        "123461": "greta.holm@example.com",
        "123462": "franz.huber@example.at",
        "123463": "lena.fischer@example.com",
        "123464": "kai.vogel@example.com",
    }
    for number, email in requesters.items():
        factories.TicketFactory(
            number=number, help_topic=topic, requester=factories.UserFactory(email=email)
        )
    Collaborator.objects.create(
        ticket=Ticket.objects.get(number="123456"),
        user=factories.UserFactory(email="priya.nair@example.com"),
    )
    return topic


def arrive(name: str) -> InboundMail:
    return receive((CORPUS / name).read_bytes(), source=InboundMail.Source.PIPE)


def new_ticket(name: str) -> Ticket:
    record = arrive(name)
    assert (record.status, record.outcome) == (Status.IMPORTED, "New ticket")
    assert record.ticket.source == Source.EMAIL
    assert record.entry.kind == ThreadEntry.Kind.MESSAGE
    return record.ticket


def reply_on(name: str, number: str) -> ThreadEntry:
    record = arrive(name)
    assert record.status == Status.IMPORTED
    assert record.ticket.number == number
    return record.entry


def ignored(name: str) -> InboundMail:
    record = arrive(name)
    assert record.status == Status.IGNORED
    assert record.ticket is None
    assert not Ticket.objects.filter(source=Source.EMAIL).exists()
    assert not OutgoingMail.objects.filter(notice="ticket.autoresponse").exists()
    return record


def files(ticket_or_entry) -> list[tuple[str, str]]:
    entry = ticket_or_entry
    if isinstance(entry, Ticket):
        entry = entry.thread.get()
    return [(a.filename, a.content_type) for a in entry.attachments.order_by("pk")]


# New tickets --------------------------------------------------------------------------------


def test_a_plain_message_opens_a_ticket_answered_by_an_auto_response(world):
    ticket = new_ticket("plain-text.eml")

    assert ticket.subject == "Printer on the 3rd floor jams on every job"
    assert ticket.requester.email == "maria.lopez@example.com"
    assert ticket.help_topic == world
    assert ticket.thread.get().body.startswith("Hello,\n\nthe printer next to the kitchen")
    [answer] = OutgoingMail.objects.filter(notice="ticket.autoresponse")
    assert answer.to == ["maria.lopez@example.com"]
    assert answer.headers["In-Reply-To"] == f"<{ticket.thread.get().message_id}>"


@pytest.mark.parametrize(
    ("name", "subject", "text"),
    [
        ("utf8.eml", "Zugang für neue Kollegin – Café-Team ☕", "Zoë Łukasiew"),
        ("iso-8859-1.eml", "Passwort zurücksetzen geht nicht", "zurücksetzen"),
        ("windows-1252.eml", "Invoice amount does not match the agreement", "“€ 1,250.00” —"),
        ("shift-jis.eml", "請求書システムにログインできません", "経理部の山田です"),
        ("koi8-r.eml", "Не работает принтер", "Не работает принтер в кабинете 305."),
        (
            "iso-2022-jp.eml",
            "会議室Bのプロジェクター",
            "プロジェクターが映りません",
        ),
        ("encoded-word-subject.eml", "[Action required] ", "la réunion de jeudi est annulée"),
        ("unknown-charset.eml", "Não consigo aceder ao portal", "não consigo aceder ao portal"),
        ("wrong-charset-latin1-as-utf8.eml", "Drucker im Erdgeschoss", "Grüß Gott"),
    ],
    ids=lambda value: value if str(value).endswith(".eml") else "",
)
def test_text_in_any_charset_arrives_readable(world, name, subject, text):
    ticket = new_ticket(name)

    assert subject in ticket.subject
    assert text in ticket.thread.get().body
    assert "\ufffd" not in ticket.thread.get().body


def test_an_html_only_message_becomes_readable_text(world):
    ticket = new_ticket("html-only.eml")

    body = ticket.thread.get().body
    assert body.startswith("Hi team,\n\nSince the update to version 4.2 the VPN")
    assert "<" not in body


def test_multipart_alternative_takes_the_plain_text(world):
    body = new_ticket("multipart-alternative.eml").thread.get().body

    assert "Outlook asks for my password *every time*" in body


def test_a_script_laden_message_keeps_its_words_and_nothing_that_runs(world):
    body = new_ticket("script-laden-html.eml").thread.get().body

    assert "Please confirm your account" in body
    for dangerous in ("<script", "javascript:", "onerror", "<iframe"):
        assert dangerous not in body.lower()


def test_attachments_and_inline_images_are_kept_with_the_message(world):
    assert files(new_ticket("attached-pdf-and-image.eml")) == [
        ("quote-2026-031.pdf", "application/pdf"),
        ("IMG_2041.JPG", "image/jpeg"),
    ]
    assert files(new_ticket("inline-image-related.eml")) == [
        ("screenshot.png", "image/png"),
        ("image-2.gif", "image/gif"),
    ]


def test_an_attachment_alone_makes_a_ticket_that_says_it_has_no_text(world):
    ticket = new_ticket("attachment-only.eml")

    assert ticket.thread.get().body == "(This message has no text.)"
    assert files(ticket) == [("form-signed.pdf", "application/pdf")]


def test_encoded_file_names_are_decoded_and_a_path_is_never_kept(world):
    assert [n for n, _t in files(new_ticket("rfc2231-filename.eml"))] == [
        "Rechnung März 2026 – €.pdf",
        "Übersicht Quartal 1.xlsx",
        "Kostenställen.csv",
    ]
    entry = new_ticket("path-in-filename.eml").thread.get()
    assert all("/" not in name and ".." not in name for name, _type in files(entry))
    assert "[passwd (32\xa0bytes) was not attached" in entry.body


def test_forwarded_messages_keep_what_was_forwarded(world):
    attached = new_ticket("forwarded-attached.eml")
    assert files(attached) == [("Shipment for order 88412 is delayed.eml", "message/rfc822")]
    inline = new_ticket("forwarded-inline.eml").thread.get().body
    assert "Invoice 2026-0113 overdue" in inline
    assert "Can you check why the vendor portal shows this inv" in inline


def test_broken_mime_still_gives_its_text_and_files(world):
    for name in ("boundary-never-appears.eml", "missing-closing-boundary.eml", "broken-base64.eml"):
        ticket = new_ticket(name)
        assert ticket.thread.get().body
        assert len(files(ticket)) == 1


def test_a_message_without_message_id_is_one_ticket_however_often_it_arrives(world):
    ticket = new_ticket("no-message-id.eml")

    again = arrive("no-message-id.eml")

    assert again.pk == InboundMail.objects.get().pk
    assert Ticket.objects.filter(source=Source.EMAIL).get() == ticket


def test_reply_to_names_the_requester_of_a_web_form_relay(world):
    ticket = new_ticket("reply-to-differs.eml")

    assert ticket.requester.email.lower() == "linda.park@example.com"
    assert ticket.given_name == "Linda Park"


def test_the_other_addressees_of_a_new_message_become_collaborators(world):
    ticket = new_ticket("many-recipients.eml")

    collaborators = sorted(c.user.email.lower() for c in ticket.collaborators.all())
    assert "support@helpdesk.example" not in collaborators
    assert "oskar.berg@example.com" not in collaborators  # the requester
    assert "an.nguyen@example.com" in collaborators
    assert "ops@example.com" in collaborators
    [answer] = OutgoingMail.objects.filter(notice="ticket.autoresponse")
    assert sorted(a.lower() for a in answer.cc) == collaborators  # one message, all on Cc


def test_a_signature_stays_in_a_new_ticket(world):
    body = new_ticket("signature.eml").thread.get().body

    assert "The badge reader at the side entrance rejects" in body


# Replies --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "number", "text", "quoted"),
    [
        ("reply-on-wrote.eml", "123456", "tray 2 is empty now and it still jams", "Hello Maria"),
        ("reply-above-marker.eml", "123457", "Yes, that fixed it.", "Reply above this line"),
        ("outlook-original-message.eml", "123458", "the new laptop arrived", "Original Message"),
        ("outlook-header-block.eml", "123461", "Thanks, the mailbox works now.", "Sent:"),
        ("german-schrieb.eml", "123462", "danke, jetzt funktioniert der Drucker", "schrieb"),
        ("html-reply-gmail.eml", "123463", "It works again after the restart", "wrote:"),
        ("thunderbird-flowed.eml", "123464", "I removed the account and added it", "wrote:"),
    ],
    ids=lambda value: value if str(value).endswith(".eml") else "",
)
def test_a_reply_lands_on_its_ticket_without_the_quoted_history(world, name, number, text, quoted):
    entry = reply_on(name, number)

    assert entry.kind == ThreadEntry.Kind.MESSAGE
    assert entry.author == Ticket.objects.get(number=number).requester
    assert text in entry.body
    assert quoted not in entry.body
    raw = InboundMail.objects.get(entry=entry).raw.read().decode("utf-8", "replace")
    assert quoted.split()[0] in raw  # the quoted history is kept in the stored original


def test_a_reply_with_only_the_subject_token_finds_its_ticket(world):
    entry = reply_on("reply-subject-token-only.eml", "123456")

    assert entry.body.startswith("The technician was here, the printer works again.")


def test_a_reply_to_a_resolved_ticket_reopens_it(world, john):
    ticket = Ticket.objects.get(number="123456")
    services.change_status(ticket, status=TicketStatus.RESOLVED, by=john)

    reply_on("reply-on-wrote.eml", "123456")

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN
    assert ticket.events.filter(kind="reopened").exists()


def test_a_collaborators_reply_is_their_own_message(world):
    entry = reply_on("reply-from-collaborator.eml", "123456")

    assert entry.author.email == "priya.nair@example.com"
    assert InboundMail.objects.get(entry=entry).outcome == "Reply from a collaborator"


def test_an_agents_reply_from_their_own_address_is_held_then_accepted_as_their_note(
    world, john, admin_agent
):
    # Anybody can write an agent's address in From: nothing posts as the agent unread.
    record = arrive("reply-from-agent.eml")
    assert record.status == Status.HELD
    assert record.entry is None
    assert "agent's address" in record.outcome

    entry = accept_held(record, by=admin_agent).entry

    assert entry.kind == ThreadEntry.Kind.NOTE
    assert entry.author == john.user
    assert entry.body.startswith("I checked the printer on my way out")
    assert not OutgoingMail.objects.filter(notice="ticket.response").exists()


def test_a_strangers_reply_is_held_for_review_not_appended(world):
    record = arrive("reply-from-stranger.eml")

    assert record.status == Status.HELD
    assert record.ticket.number == "123456"
    assert record.entry is None
    assert Ticket.objects.get(number="123456").thread.count() == 0
    assert not User.objects.filter(email="rick.stone@outsider.example").exists()


def test_the_same_reply_twice_is_one_entry(world):
    first = reply_on("reply-on-wrote.eml", "123456")

    again = arrive("reply-on-wrote.eml")

    assert again.entry == first
    assert Ticket.objects.get(number="123456").thread.count() == 1


# Noise ----------------------------------------------------------------------------------


def test_auto_replies_make_no_ticket_and_get_no_auto_response(world):
    for name in ("auto-submitted.eml", "outlook-out-of-office.eml", "vacation-subject-only.eml"):
        record = ignored(name)
        assert "automatic reply" in record.outcome
    assert Ticket.objects.get(number="123456").thread.count() == 0


def test_a_mailing_list_makes_no_ticket(world):
    assert "mailing list" in ignored("mailing-list.eml").outcome


def test_a_bounce_marks_the_address_bouncing_and_nothing_more_is_sent_to_it(world, john):
    old_user = User.objects.get(email="old.user@example.com")

    record = ignored("bounce-dsn.eml")

    assert "old.user@example.com" in record.outcome
    old_user.refresh_from_db()
    assert old_user.email_bounced_at is not None
    services.post_reply(Ticket.objects.get(number="123460"), by=john, body="Anyone there?")
    assert not OutgoingMail.objects.filter(notice="ticket.response").exists()


def test_a_bounce_for_an_address_we_do_not_know_changes_nothing(world):
    record = ignored("exim-bounce.eml")

    assert "could not be delivered" in record.outcome


def test_mail_from_our_own_address_is_a_loop_and_makes_nothing(world):
    raw = (
        (CORPUS / "plain-text.eml")
        .read_bytes()
        .replace(b"Maria Lopez <maria.lopez@example.com>", b"Helpdesk <support@helpdesk.example>")
    )

    record = receive(raw, source=InboundMail.Source.PIPE)

    assert (record.status, record.outcome) == (
        Status.IGNORED,
        "From one of our own addresses: a loop",
    )


# Size ---------------------------------------------------------------------------------


def big_message(attachment_bytes: int) -> bytes:
    payload = base64.encodebytes(b"\x89PNG" + b"\x00" * (attachment_bytes - 4))
    return (
        b"From: Maria Lopez <maria.lopez@example.com>\r\n"
        b"To: support@helpdesk.example\r\n"
        b"Subject: Photos of the jam\r\n"
        b"Message-ID: <big-" + str(attachment_bytes).encode() + b"@example.com>\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nThe photos.\r\n"
        b'--b\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename="jam.png"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + payload + b"--b--\r\n"
    )


def test_an_attachment_over_the_limit_is_left_out_with_a_note_and_kept_in_the_original(world):
    raw = big_message(11 * 1024 * 1024)  # the limit is 10 MB

    record = receive(raw, source=InboundMail.Source.PIPE)

    entry = record.ticket.thread.get()
    assert files(entry) == []
    assert "[jam.png (11.0\xa0MB) was not attached:" in entry.body
    assert "The original message, with it, is kept." in entry.body
    assert record.raw.size == len(raw)


def test_a_25_mb_message_becomes_a_ticket_like_any_other(world, settings):
    settings.HELPDESK_MAX_ATTACHMENT_BYTES = 30 * 1024 * 1024
    raw = big_message(18 * 1024 * 1024)
    assert len(raw) > 24 * 1024 * 1024

    record = receive(raw, source=InboundMail.Source.PIPE)

    assert record.status == Status.IMPORTED
    [attachment] = record.ticket.thread.get().attachments.all()
    assert attachment.size == 18 * 1024 * 1024
    assert django_mail.outbox == []  # queued, not sent inside the request


def test_every_corpus_message_has_a_test_of_what_it_becomes():
    source = Path(__file__).read_text()

    untested = [p.name for p in CORPUS.glob("*.eml") if f'"{p.name}"' not in source]

    assert untested == []
    assert len(list(CORPUS.glob("*.eml"))) >= 30


def test_an_address_that_bounced_is_written_to_again_once_its_owner_writes(world, john):
    maria = User.objects.get(email="maria.lopez@example.com")
    User.objects.filter(pk=maria.pk).update(email_bounced_at="2026-03-01T10:00:00Z")

    reply_on("reply-on-wrote.eml", "123456")
    services.post_reply(Ticket.objects.get(number="123456"), by=john, body="Noted.")

    maria.refresh_from_db()
    assert maria.email_bounced_at is None
    assert OutgoingMail.objects.filter(notice="ticket.response").get().to == [maria.email]
