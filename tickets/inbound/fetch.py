"""Fetching mailboxes over IMAP and POP3: every message is stored (and committed) before it
is marked read, moved or deleted on the server.

A crash between the two leaves the message on the server; the next fetch brings it again,
and intake.store recognises it (Message-ID, else content), so it is still one entry. One
message that cannot be fetched or read never stops the others; a mailbox that cannot be
reached several times in a row is shown as failing and the administrators are told once.
"""

import imaplib
import logging
import poplib
import re
import ssl
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from tickets import notifications
from tickets.inbound.intake import receive
from tickets.models import InboundMail, Mailbox

logger = logging.getLogger(__name__)
TIMEOUT = 60


class MailboxError(Exception):
    """The mailbox could not be reached or read; the message says what the server said."""


@dataclass
class FetchResult:
    mailbox: str
    fetched: int = 0
    problems: list[str] = field(default_factory=list)
    error: str = ""


def _context() -> ssl.SSLContext:
    # Certificates are verified; MAIL_CA_FILE adds a private authority's (or a test's).
    return ssl.create_default_context(cafile=settings.HELPDESK_MAIL_CA_FILE or None)


def fetch_all() -> list[FetchResult]:
    """Fetch every active mailbox, one after the other."""
    return [fetch_mailbox(mailbox) for mailbox in Mailbox.objects.filter(is_active=True)]


def fetch_mailbox(mailbox: Mailbox) -> FetchResult:
    """Bring in this mailbox's new mail; record how it went on the mailbox."""
    result = FetchResult(mailbox.name)
    try:
        if mailbox.protocol == Mailbox.Protocol.POP3:
            _fetch_pop3(mailbox, result)
        else:
            _fetch_imap(mailbox, result)
    except (OSError, imaplib.IMAP4.error, poplib.error_proto, MailboxError) as error:
        result.error = _describe(error)
    _record(mailbox, result)
    return result


def _describe(error: Exception) -> str:
    text = str(error)
    if isinstance(error, bytes | bytearray):
        text = error.decode("utf-8", "replace")
    text = re.sub(r"^b['\"](.*)['\"]$", r"\1", text)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _record(mailbox: Mailbox, result: FetchResult) -> None:
    now = timezone.now()
    with transaction.atomic():
        mailbox = Mailbox.objects.select_for_update().get(pk=mailbox.pk)
        mailbox.last_fetch_at = now
        if result.error:
            mailbox.failures_in_row += 1
            mailbox.last_error = result.error
            if (
                mailbox.failures_in_row >= settings.HELPDESK_MAILBOX_ALERT_AFTER
                and mailbox.alerted_at is None
            ):
                notifications.mailbox_failing(mailbox)
                mailbox.alerted_at = now
        else:
            mailbox.failures_in_row = 0
            mailbox.last_success_at = now
            mailbox.last_error = "; ".join(result.problems)[:2000]
            mailbox.alerted_at = None
        mailbox.save(
            update_fields=[
                "last_fetch_at",
                "failures_in_row",
                "last_error",
                "last_success_at",
                "alerted_at",
            ]
        )


def _take(raw: bytes, mailbox: Mailbox, source: str, result: FetchResult) -> bool:
    """Store and process one message; whether it is safely kept (and may leave the server)."""
    try:
        record = receive(raw, source=source, mailbox=mailbox)
    except Exception as error:
        # Not even stored (the disk, the database): leave it on the server for next time.
        logger.exception("Storing a message of mailbox %s failed", mailbox.pk)
        result.problems.append(
            f"A message could not be stored ({_describe(error)}); left on the server."
        )
        return False
    result.fetched += 1
    return record is not None


def after_import_imap(client: imaplib.IMAP4, uid: bytes, mailbox: Mailbox) -> None:
    """What the administrator chose to happen on the server to an imported message."""
    if mailbox.after_import == Mailbox.AfterImport.DELETE:
        client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
    elif mailbox.after_import == Mailbox.AfterImport.MOVE and mailbox.move_to:
        status, _ = client.uid("COPY", uid, _quoted(mailbox.move_to))
        if status != "OK":
            raise MailboxError(f"could not move the message to “{mailbox.move_to}”")
        client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
    else:
        client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Seen)")


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


@contextmanager
def _imap(mailbox: Mailbox):
    if mailbox.security == Mailbox.Security.SSL:
        client = imaplib.IMAP4_SSL(
            mailbox.host, mailbox.port, ssl_context=_context(), timeout=TIMEOUT
        )
    else:
        client = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=TIMEOUT)
        if mailbox.security == Mailbox.Security.STARTTLS:
            client.starttls(ssl_context=_context())
    try:
        client.login(mailbox.username, mailbox.password)
        yield client
    finally:
        with suppress(OSError, imaplib.IMAP4.error):
            client.logout()


def _fetch_imap(mailbox: Mailbox, result: FetchResult) -> None:
    with _imap(mailbox) as client:
        status, detail = client.select(_quoted(mailbox.folder))
        if status != "OK":
            raise MailboxError(f"no folder “{mailbox.folder}”: {detail[0]!r}")
        if mailbox.after_import == Mailbox.AfterImport.MOVE and mailbox.move_to:
            client.create(_quoted(mailbox.move_to))  # "already exists" is fine
        criterion = "UNSEEN" if mailbox.after_import == Mailbox.AfterImport.MARK_SEEN else "ALL"
        status, data = client.uid("SEARCH", None, criterion)
        if status != "OK":
            raise MailboxError(f"the server refused to list the messages: {data!r}")
        for uid in (data[0] or b"").split():
            _fetch_one_imap(client, uid, mailbox, result)
        client.expunge()


def _fetch_one_imap(client, uid: bytes, mailbox: Mailbox, result: FetchResult) -> None:
    try:
        _status, data = client.uid("FETCH", uid, "(RFC822.SIZE)")
        size = int(re.search(rb"RFC822\.SIZE (\d+)", data[0]).group(1))
        if size > settings.HELPDESK_MAX_EMAIL_BYTES:
            result.problems.append(
                f"Message {uid.decode()} is {filesizeformat(size)}, above the "
                f"{filesizeformat(settings.HELPDESK_MAX_EMAIL_BYTES)} limit: left on the server."
            )
            return
        # PEEK: reading it must not mark it read; only a kept message is marked.
        _status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
        raw = next(part[1] for part in data if isinstance(part, tuple))
    except (imaplib.IMAP4.error, AttributeError, StopIteration, TypeError, ValueError) as error:
        result.problems.append(f"Message {uid.decode()} could not be fetched ({_describe(error)}).")
        return
    if _take(raw, mailbox, InboundMail.Source.IMAP, result):
        try:
            after_import_imap(client, uid, mailbox)
        except (imaplib.IMAP4.error, MailboxError) as error:
            # Kept already; it stays on the server and is recognised when fetched again.
            result.problems.append(f"Message {uid.decode()}: {_describe(error)}.")


@contextmanager
def _pop3(mailbox: Mailbox):
    if mailbox.security == Mailbox.Security.SSL:
        client = poplib.POP3_SSL(mailbox.host, mailbox.port, context=_context(), timeout=TIMEOUT)
    else:
        client = poplib.POP3(mailbox.host, mailbox.port, timeout=TIMEOUT)
        if mailbox.security == Mailbox.Security.STARTTLS:
            client.stls(context=_context())
    try:
        client.user(mailbox.username)
        client.pass_(mailbox.password)
        yield client
    finally:
        try:
            client.quit()  # deletions take effect on a clean QUIT
        except (OSError, poplib.error_proto):
            client.close()


def after_import_pop3(client: poplib.POP3, number: int, mailbox: Mailbox) -> None:
    """POP3 has no folders or read flags: a kept message is deleted, or left (and recognised
    as already imported next time)."""
    if mailbox.after_import == Mailbox.AfterImport.DELETE:
        client.dele(number)


def _fetch_pop3(mailbox: Mailbox, result: FetchResult) -> None:
    with _pop3(mailbox) as client:
        _response, listing, _octets = client.list()
        for line in listing:
            number, size = (int(part) for part in line.split()[:2])
            if size > settings.HELPDESK_MAX_EMAIL_BYTES:
                result.problems.append(
                    f"Message {number} is {filesizeformat(size)}, above the limit: left on "
                    "the server."
                )
                continue
            try:
                _response, lines, _octets = client.retr(number)
            except poplib.error_proto as error:
                result.problems.append(f"Message {number} could not be fetched ({error}).")
                continue
            if _take(b"\r\n".join(lines) + b"\r\n", mailbox, InboundMail.Source.POP3, result):
                after_import_pop3(client, number, mailbox)
