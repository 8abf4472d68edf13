"""The mail servers the tests start are real: the standard library's clients talk to them.

If these fail, the helpdesk's mail tests prove nothing, so each property they rely on is
checked here with smtplib, imaplib and poplib: delivery, refusals, outages, TLS with
certificate verification, flags, folders and deletion.
"""

import imaplib
import poplib
import shutil
import smtplib
import socket
import ssl
import subprocess
from email.message import EmailMessage

import pytest

from tests import mailservers
from tests.mailservers import Dovecot, DovecotError


def make_message(subject="Printer on floor 3 is jammed", to="support@example.test"):
    message = EmailMessage()
    message["From"] = "karen@example.test"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = "<jam-1@example.test>"
    message.set_content("It has been blinking red since this morning.\n")
    return message


def fetch_inbox(imap):
    """Subjects of the INBOX's messages, read over an already logged-in connection."""
    status, data = imap.select("INBOX")
    assert status == "OK"
    status, data = imap.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    assert status == "OK"
    return [item[1].decode().strip() for item in data if isinstance(item, tuple)]


# --- SMTP sink ---


def test_smtp_sink_receives_what_smtplib_sends(smtp_sink):
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=5) as client:
        refused = client.send_message(
            make_message(),
            from_addr="bounces@example.test",
            to_addrs=["support@example.test", "audit@example.test"],
        )

    assert refused == {}
    [received] = smtp_sink.wait_for(1)
    assert received.sender == "bounces@example.test"
    assert received.recipients == ("support@example.test", "audit@example.test")
    assert received.message["Subject"] == "Printer on floor 3 is jammed"
    # Parsed from the bytes on the wire, the body keeps SMTP's CRLF line ends.
    assert received.message.get_content() == "It has been blinking red since this morning.\r\n"
    assert b"Message-ID: <jam-1@example.test>" in received.raw


def test_wait_for_gives_up_when_too_few_messages_arrive(smtp_sink):
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=5) as client:
        client.send_message(make_message())

    with pytest.raises(TimeoutError, match="received 1 message"):
        smtp_sink.wait_for(2, timeout=0.2)


def test_clear_forgets_what_was_received(smtp_sink):
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=5) as client:
        client.send_message(make_message())
    smtp_sink.wait_for(1)

    smtp_sink.clear()

    assert smtp_sink.messages == []


def test_refused_recipients_raise_with_the_configured_reply_until_accepted(smtp_sink):
    smtp_sink.refuse(code=451, text="4.3.0 Try again later")

    with (
        smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=5) as client,
        pytest.raises(smtplib.SMTPRecipientsRefused) as refusal,
    ):
        client.send_message(make_message())
    assert refusal.value.recipients == {"support@example.test": (451, b"4.3.0 Try again later")}
    assert smtp_sink.messages == []

    smtp_sink.accept()
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=5) as client:
        client.send_message(make_message())
    assert len(smtp_sink.wait_for(1)) == 1


def test_refused_data_raises_smtp_data_error_with_the_configured_code(smtp_sink):
    smtp_sink.refuse(code=554, text="5.6.0 Message rejected", at="DATA")

    with (
        smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=5) as client,
        pytest.raises(smtplib.SMTPDataError) as refusal,
    ):
        client.send_message(make_message())

    assert refusal.value.smtp_code == 554
    assert refusal.value.smtp_error == b"5.6.0 Message rejected"
    assert smtp_sink.messages == []


def test_refused_sender_raises_smtp_sender_refused(smtp_sink):
    smtp_sink.refuse(code=550, text="5.7.1 Sender blocked", at="MAIL")

    with (
        smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=5) as client,
        pytest.raises(smtplib.SMTPSenderRefused) as refusal,
    ):
        client.send_message(make_message())

    assert refusal.value.smtp_code == 550


def test_stopped_sink_refuses_connections_and_restarts_on_the_same_port(smtp_sink):
    port = smtp_sink.port

    smtp_sink.stop()
    with pytest.raises(ConnectionRefusedError):
        smtplib.SMTP(smtp_sink.host, port, timeout=5)

    smtp_sink.start()
    assert smtp_sink.port == port
    with smtplib.SMTP(smtp_sink.host, port, timeout=5) as client:
        client.send_message(make_message())
    assert len(smtp_sink.wait_for(1)) == 1


def test_stopping_the_sink_drops_a_connected_client(smtp_sink):
    client = smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=5)
    client.ehlo()

    smtp_sink.stop()

    with pytest.raises(smtplib.SMTPServerDisconnected):
        client.send_message(make_message())
    client.close()


# --- Dovecot over IMAP ---


def test_delivered_message_is_fetched_over_plain_imap(dovecot, mailbox):
    user, password = mailbox
    uid = dovecot.deliver(user, make_message().as_bytes())

    with imaplib.IMAP4(dovecot.host, dovecot.imap_port, timeout=5) as imap:
        imap.login(user, password)
        imap.select("INBOX")
        status, data = imap.uid("FETCH", str(uid), "(BODY[])")

    assert status == "OK"
    fetched = data[0][1]
    assert b"Subject: Printer on floor 3 is jammed" in fetched
    assert b"blinking red" in fetched


def test_imap_starttls_verifies_the_server_against_cafile(dovecot, mailbox):
    user, password = mailbox
    dovecot.deliver(user, make_message().as_bytes())

    with imaplib.IMAP4(dovecot.host, dovecot.imap_port, timeout=5) as imap:
        assert "STARTTLS" in imap.capabilities
        imap.starttls(ssl_context=ssl.create_default_context(cafile=dovecot.cafile))
        imap.login(user, password)
        assert fetch_inbox(imap) == ["Subject: Printer on floor 3 is jammed"]


def test_imap_starttls_is_rejected_without_the_cafile(dovecot):
    imap = imaplib.IMAP4(dovecot.host, dovecot.imap_port, timeout=5)

    with pytest.raises(ssl.SSLCertVerificationError):
        imap.starttls(ssl_context=ssl.create_default_context())
    imap.sock.close()


def test_imaps_serves_the_mailbox_over_implicit_tls(dovecot, mailbox):
    user, password = mailbox
    dovecot.deliver(user, make_message().as_bytes())

    with imaplib.IMAP4_SSL(
        dovecot.host, dovecot.imaps_port, ssl_context=dovecot.ssl_context(), timeout=5
    ) as imap:
        imap.login(user, password)
        assert fetch_inbox(imap) == ["Subject: Printer on floor 3 is jammed"]


def test_marking_seen_and_moving_to_another_folder_over_imap(dovecot, mailbox):
    user, password = mailbox
    uid = dovecot.deliver(user, make_message().as_bytes())
    assert dovecot.messages(user)[0].flags == frozenset()

    with imaplib.IMAP4(dovecot.host, dovecot.imap_port, timeout=5) as imap:
        imap.login(user, password)
        imap.create("Processed")
        imap.select("INBOX")
        assert imap.uid("STORE", str(uid), "+FLAGS", r"(\Seen)")[0] == "OK"
        assert imap.uid("MOVE", str(uid), "Processed")[0] == "OK"

    assert dovecot.messages(user) == []
    [moved] = dovecot.messages(user, "Processed")
    assert moved.flags == {r"\Seen"}
    assert moved.message["Subject"] == "Printer on floor 3 is jammed"


def test_deliver_puts_flagged_mail_into_a_new_folder(dovecot, mailbox):
    user, _ = mailbox

    dovecot.deliver(user, make_message("Old news").as_bytes(), folder="Archive", flags=(r"\Seen",))

    assert dovecot.messages(user) == []
    [archived] = dovecot.messages(user, "Archive")
    assert archived.flags == {r"\Seen"}
    assert archived.message["Subject"] == "Old news"


def test_listing_messages_does_not_mark_them_seen(dovecot, mailbox):
    user, _ = mailbox
    dovecot.deliver(user, make_message().as_bytes())

    dovecot.messages(user)

    assert dovecot.messages(user)[0].flags == frozenset()


def test_each_mailbox_sees_only_its_own_mail(dovecot, mailbox):
    user, _ = mailbox
    other = "other-" + user
    dovecot.add_user(other, "other-password")

    dovecot.deliver(user, make_message().as_bytes())

    assert dovecot.messages(other) == []
    assert len(dovecot.messages(user)) == 1


def test_a_wrong_password_is_refused(dovecot, mailbox):
    user, _ = mailbox

    with (
        imaplib.IMAP4(dovecot.host, dovecot.imap_port, timeout=5) as imap,
        pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"),
    ):
        imap.login(user, "not-the-password")
    pop = poplib.POP3(dovecot.host, dovecot.pop3_port, timeout=5)
    pop.user(user)
    with pytest.raises(poplib.error_proto, match="AUTH"):
        pop.pass_("not-the-password")
    pop.close()


# --- Dovecot over POP3 ---


def retrieve_and_delete_all(pop, user, password):
    pop.user(user)
    pop.pass_(password)
    count, _ = pop.stat()
    messages = [b"\r\n".join(pop.retr(number)[1]) for number in range(1, count + 1)]
    for number in range(1, count + 1):
        pop.dele(number)
    pop.quit()
    return messages


def test_pop3_retrieves_and_deletes_over_plain_pop3(dovecot, mailbox):
    user, password = mailbox
    dovecot.deliver(user, make_message().as_bytes())

    pop = poplib.POP3(dovecot.host, dovecot.pop3_port, timeout=5)
    [retrieved] = retrieve_and_delete_all(pop, user, password)

    assert b"Subject: Printer on floor 3 is jammed" in retrieved
    assert dovecot.messages(user) == []


def test_pop3_stls_verifies_the_server_against_cafile(dovecot, mailbox):
    user, password = mailbox
    dovecot.deliver(user, make_message().as_bytes())

    pop = poplib.POP3(dovecot.host, dovecot.pop3_port, timeout=5)
    assert "STLS" in pop.capa()
    pop.stls(context=ssl.create_default_context(cafile=dovecot.cafile))
    [retrieved] = retrieve_and_delete_all(pop, user, password)

    assert b"blinking red" in retrieved
    assert dovecot.messages(user) == []


def test_pop3_ssl_retrieves_and_deletes_over_implicit_tls(dovecot, mailbox):
    user, password = mailbox
    dovecot.deliver(user, make_message("First").as_bytes())
    dovecot.deliver(user, make_message("Second").as_bytes())

    pop = poplib.POP3_SSL(
        dovecot.host, dovecot.pop3s_port, context=dovecot.ssl_context(), timeout=5
    )
    retrieved = retrieve_and_delete_all(pop, user, password)

    assert [b"Subject: First" in r for r in retrieved] == [True, False]
    assert [b"Subject: Second" in r for r in retrieved] == [False, True]
    assert dovecot.messages(user) == []


def test_pop3_quit_without_delete_keeps_the_mail(dovecot, mailbox):
    user, password = mailbox
    dovecot.deliver(user, make_message().as_bytes())

    pop = poplib.POP3(dovecot.host, dovecot.pop3_port, timeout=5)
    pop.user(user)
    pop.pass_(password)
    pop.retr(1)
    pop.quit()

    assert len(dovecot.messages(user)) == 1


# --- Dovecot's own life cycle ---


def processes_in_session(session):
    """The states of the processes in a session, zombies included."""
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [shutil.which("ps"), "-o", "stat=", "--sid", str(session)], capture_output=True, text=True
    ).stdout.split()


def test_stopping_dovecot_ends_all_its_processes_and_removes_its_directory():
    server = Dovecot().start()
    server.add_user("alice@example.test", "secret")
    directory, port, session = server.directory, server.imap_port, server.pid
    imap = imaplib.IMAP4(server.host, port, timeout=5)
    imap.login("alice@example.test", "secret")  # so a mail process runs too
    assert len(processes_in_session(session)) >= 5  # master, log, config, auth, imap, …

    server.stop()

    # Not even a zombie: the children that outlive the master are reaped by stop() too.
    assert processes_in_session(session) == []
    assert not directory.exists()
    with pytest.raises(ConnectionRefusedError):
        imaplib.IMAP4(server.host, port, timeout=5)
    imap.sock.close()


def test_a_dovecot_that_cannot_start_reports_its_log(monkeypatch):
    monkeypatch.setattr(mailservers, "_CONFIG", mailservers._CONFIG + "no_such_setting = 1\n")
    server = Dovecot()

    with pytest.raises(DovecotError, match="Unknown setting: no_such_setting"):
        server.start()
    assert server.directory is None


def test_a_port_taken_before_dovecot_binds_it_is_replaced(monkeypatch):
    with socket.create_server((mailservers.HOST, 0)) as squatter:
        taken = squatter.getsockname()[1]
        ports = iter([taken])
        real_free_port = mailservers.free_port
        monkeypatch.setattr(
            mailservers, "free_port", lambda host: next(ports, None) or real_free_port(host)
        )

        with Dovecot() as server:
            assert taken not in (server.imap_port, server.imaps_port)
            assert "Address already in use" in server.log_path.read_text()
            with imaplib.IMAP4(server.host, server.imap_port, timeout=5) as imap:
                assert imap.noop()[0] == "OK"


def test_a_missing_dovecot_binary_says_make_test_installs_it():
    with pytest.raises(
        DovecotError, match=r"no dovecot binary at /nonexistent/dovecot; `make test` installs it"
    ):
        Dovecot(binary="/nonexistent/dovecot").start()
