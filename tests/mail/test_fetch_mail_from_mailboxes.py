"""The worker fetches mailboxes from a real IMAP and POP3 server (Dovecot): each message is
stored before it is marked on the server, a crash in between makes no duplicate, one bad
message never blocks the rest, and a mailbox that keeps failing is shown and reported."""

import pytest
from django.core.management import call_command

from helpdesk.mail.models import OutgoingMail
from tickets.inbound import fetch
from tickets.models import InboundMail, Mailbox, Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def message(n: int, *, sender="maria.lopez@example.com") -> bytes:
    return (
        f"From: Maria Lopez <{sender}>\r\n"
        "To: support@helpdesk.example\r\n"
        f"Subject: Printer problem {n}\r\n"
        f"Message-ID: <printer-{n}@example.com>\r\n"
        "Date: Wed, 02 Dec 2026 09:00:00 +0100\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"The printer jams, case {n}.\r\n"
    ).encode()


@pytest.fixture
def trusted_dovecot(settings, dovecot):
    settings.HELPDESK_MAIL_CA_FILE = dovecot.cafile
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <support@helpdesk.example>"
    return dovecot


@pytest.fixture
def make_mailbox(trusted_dovecot, mailbox, outage_topic):
    user, password = mailbox

    def make(protocol="imap", security="none", **fields) -> Mailbox:
        ports = {
            ("imap", "none"): trusted_dovecot.imap_port,
            ("imap", "starttls"): trusted_dovecot.imap_port,
            ("imap", "ssl"): trusted_dovecot.imaps_port,
            ("pop3", "none"): trusted_dovecot.pop3_port,
            ("pop3", "starttls"): trusted_dovecot.pop3_port,
            ("pop3", "ssl"): trusted_dovecot.pop3s_port,
        }
        return Mailbox.objects.create(
            name=f"Support {protocol} {security}",
            address="support@helpdesk.example",
            protocol=protocol,
            security=security,
            host="127.0.0.1",
            port=ports[(protocol, security)],
            username=user,
            password=password,
            help_topic=outage_topic,
            **fields,
        )

    make.user = user
    return make


@pytest.mark.parametrize("security", ["none", "starttls", "ssl"])
def test_imap_mail_becomes_tickets_and_is_marked_read(make_mailbox, trusted_dovecot, security):
    box = make_mailbox("imap", security)
    for n in (1, 2):
        trusted_dovecot.deliver(make_mailbox.user, message(n))

    result = fetch.fetch_mailbox(box)

    assert (result.error, result.fetched) == ("", 2)
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == [
        "Printer problem 1",
        "Printer problem 2",
    ]
    assert all("\\Seen" in m.flags for m in trusted_dovecot.messages(make_mailbox.user))
    box.refresh_from_db()
    assert (box.failures_in_row, box.last_success_at is not None) == (0, True)
    assert fetch.fetch_mailbox(box).fetched == 0  # read mail is not fetched again


def test_imported_imap_mail_can_be_moved_to_another_folder(make_mailbox, trusted_dovecot):
    box = make_mailbox("imap", after_import=Mailbox.AfterImport.MOVE, move_to="Imported")
    trusted_dovecot.deliver(make_mailbox.user, message(1))

    fetch.fetch_mailbox(box)

    assert trusted_dovecot.messages(make_mailbox.user) == []
    [moved] = trusted_dovecot.messages(make_mailbox.user, "Imported")
    assert moved.message["Subject"] == "Printer problem 1"
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize("security", ["none", "starttls", "ssl"])
def test_pop3_mail_becomes_tickets_and_is_deleted(make_mailbox, trusted_dovecot, security):
    box = make_mailbox("pop3", security, after_import=Mailbox.AfterImport.DELETE)
    for n in (1, 2, 3):
        trusted_dovecot.deliver(make_mailbox.user, message(n))

    result = fetch.fetch_mailbox(box)

    assert (result.error, result.fetched) == ("", 3)
    assert Ticket.objects.count() == 3
    assert trusted_dovecot.messages(make_mailbox.user) == []


def test_pop3_mail_left_on_the_server_is_not_imported_twice(make_mailbox, trusted_dovecot):
    box = make_mailbox("pop3", after_import=Mailbox.AfterImport.MARK_SEEN)
    trusted_dovecot.deliver(make_mailbox.user, message(1))

    fetch.fetch_mailbox(box)
    fetch.fetch_mailbox(box)

    assert Ticket.objects.count() == 1
    assert InboundMail.objects.count() == 1
    assert len(trusted_dovecot.messages(make_mailbox.user)) == 1


def test_a_crash_between_storing_and_marking_read_makes_no_duplicate(
    make_mailbox, trusted_dovecot, monkeypatch
):
    box = make_mailbox("imap")
    trusted_dovecot.deliver(make_mailbox.user, message(1))

    def crash(*args, **kwargs):
        raise SystemExit("the worker was killed")

    monkeypatch.setattr(fetch, "after_import_imap", crash)
    with pytest.raises(SystemExit):
        fetch.fetch_mailbox(box)
    assert InboundMail.objects.count() == 1  # stored and committed before the crash
    [still_there] = trusted_dovecot.messages(make_mailbox.user)
    assert "\\Seen" not in still_there.flags

    monkeypatch.undo()
    result = fetch.fetch_mailbox(box)

    assert result.fetched == 1  # brought again...
    assert InboundMail.objects.count() == 1  # ...recognised as the same message
    ticket = Ticket.objects.get()
    assert ticket.thread.count() == 1
    assert "\\Seen" in trusted_dovecot.messages(make_mailbox.user)[0].flags


def test_a_message_that_cannot_be_read_is_kept_and_the_others_go_through(
    make_mailbox, trusted_dovecot
):
    box = make_mailbox("imap")
    trusted_dovecot.deliver(make_mailbox.user, b"\xff\xfe this is not mail \xff\r\n")
    trusted_dovecot.deliver(make_mailbox.user, message(2))

    result = fetch.fetch_mailbox(box)

    assert result.fetched == 2
    assert Ticket.objects.get().subject == "Printer problem 2"
    kept = InboundMail.objects.exclude(status=InboundMail.Status.IMPORTED).get()
    assert kept.status in (InboundMail.Status.FAILED, InboundMail.Status.IGNORED)
    assert kept.raw.read().startswith(b"\xff\xfe this is not mail")


def test_a_mailbox_that_keeps_failing_is_shown_and_the_admins_are_told_once(
    make_mailbox, settings, admin_agent
):
    settings.HELPDESK_MAILBOX_ALERT_AFTER = 3
    box = make_mailbox("imap")
    right = box.password
    Mailbox.objects.filter(pk=box.pk).update(password="wrong")

    for _ in range(4):
        result = fetch.fetch_mailbox(Mailbox.objects.get(pk=box.pk))

    assert "AUTHENTICATIONFAILED" in result.error or "uthentication failed" in result.error
    box.refresh_from_db()
    assert box.failures_in_row == 4
    [alert] = OutgoingMail.objects.filter(notice="admin.mailbox_failing")
    assert alert.to == ["ada@example.com"]
    assert "4 times" not in alert.text_body and "3 times in a row" in alert.text_body

    Mailbox.objects.filter(pk=box.pk).update(password=right)
    assert fetch.fetch_mailbox(Mailbox.objects.get(pk=box.pk)).error == ""
    box.refresh_from_db()
    assert (box.failures_in_row, box.alerted_at) == (0, None)


def test_the_fetch_mail_command_reports_each_mailbox(make_mailbox, trusted_dovecot, capsys):
    make_mailbox("imap")
    trusted_dovecot.deliver(make_mailbox.user, message(1))

    call_command("fetch_mail")

    assert "Support imap none: 1 message(s)" in capsys.readouterr().out
