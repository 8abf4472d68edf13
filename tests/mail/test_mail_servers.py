"""The mail servers the tests start are real: the standard library's clients talk to them.

If these fail, the helpdesk's mail tests prove nothing, so each property they rely on is
checked here with smtplib: delivery, refusals and outages.
"""

import smtplib
from email.message import EmailMessage

import pytest


def make_message(subject="Printer on floor 3 is jammed", to="support@example.test"):
    message = EmailMessage()
    message["From"] = "karen@example.test"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = "<jam-1@example.test>"
    message.set_content("It has been blinking red since this morning.\n")
    return message


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
