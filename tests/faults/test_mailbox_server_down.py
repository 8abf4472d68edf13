"""The IMAP server goes away: each fetch fails and is tried again by the next, the
administrators are told once after MAILBOX_ALERT_AFTER failures in a row, and when the
server is back every message becomes exactly one ticket, including one whose session was
cut between storing it and marking it read.

The server is the run's real Dovecot, reached through a relay the test stops and starts.
"""

import pytest

from helpdesk.mail.models import OutgoingMail
from tests.faults.relay import Relay
from tests.mail.test_fetch_mail_from_mailboxes import message
from tickets.inbound import fetch
from tickets.models import InboundMail, Mailbox, Ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def relay(dovecot):
    with Relay(dovecot.imap_port) as server:
        yield server


@pytest.fixture
def box(relay, mailbox, outage_topic, settings):
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <support@helpdesk.example>"
    user, password = mailbox
    return Mailbox.objects.create(
        name="Support",
        address="support@helpdesk.example",
        protocol="imap",
        security="none",
        host="127.0.0.1",
        port=relay.port,
        username=user,
        password=password,
        help_topic=outage_topic,
    )


def fetch_again(box):
    return fetch.fetch_mailbox(Mailbox.objects.get(pk=box.pk))


def subjects():
    return sorted(Ticket.objects.values_list("subject", flat=True))


def test_mail_waits_on_the_server_while_it_is_down_and_comes_in_once_when_back(
    box, relay, dovecot, mailbox, settings, admin_agent
):
    settings.HELPDESK_MAILBOX_ALERT_AFTER = 3
    for n in (1, 2, 3):
        dovecot.deliver(mailbox[0], message(n))
    relay.stop()

    failures = [fetch_again(box) for _ in range(4)]

    assert all("ConnectionRefusedError" in result.error for result in failures), failures
    box.refresh_from_db()
    assert box.failures_in_row == 4
    assert OutgoingMail.objects.filter(notice="admin.mailbox_failing").count() == 1
    assert not InboundMail.objects.exists()

    relay.start()
    result = fetch_again(box)

    assert (result.error, result.fetched) == ("", 3)
    assert subjects() == ["Printer problem 1", "Printer problem 2", "Printer problem 3"]
    assert fetch_again(box).fetched == 0
    assert InboundMail.objects.count() == 3
    box.refresh_from_db()
    assert (box.failures_in_row, box.alerted_at) == (0, None)


def test_a_session_cut_after_a_message_was_stored_makes_no_duplicate(
    box, relay, dovecot, mailbox, monkeypatch
):
    for n in (1, 2):
        dovecot.deliver(mailbox[0], message(n))
    marking = fetch.after_import_imap

    def server_goes_away(*args, **kwargs):
        relay.stop()  # after the first message was stored, before it is marked read
        return marking(*args, **kwargs)

    monkeypatch.setattr(fetch, "after_import_imap", server_goes_away)
    cut = fetch_again(box)
    monkeypatch.undo()

    assert cut.error or cut.problems
    assert subjects() == ["Printer problem 1"]
    assert all("\\Seen" not in m.flags for m in dovecot.messages(mailbox[0]))

    relay.start()
    fetch_again(box)
    fetch_again(box)

    assert subjects() == ["Printer problem 1", "Printer problem 2"]
    assert InboundMail.objects.count() == 2
    assert all(t.thread.count() == 1 for t in Ticket.objects.all())
    assert all("\\Seen" in m.flags for m in dovecot.messages(mailbox[0]))
