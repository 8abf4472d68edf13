"""The outbox: a message is recorded in the transaction of the change that causes it, and
the worker sends it once that change has committed.

`queue()` writes an OutgoingMail row and enqueues its sending task (django-tasks-db writes
that task as a row too) in the caller's transaction: a rolled-back change leaves neither.
`send_outgoing_mail` claims the row, hands it to the mail server and records the answer. A
temporary failure (the server down, a 4xx answer) is tried again later, each time after a
longer wait (HELPDESK_MAIL_RETRY_SECONDS), and given up after the last; a permanent refusal
(5xx) is given up at once. An administrator can send any message again ("Retry now").
"""

import smtplib
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone

from helpdesk import memo
from helpdesk.mail.models import BannedAddress, OutgoingMail
from helpdesk.mail.notices import Rendered
from helpdesk.mail.signals import mail_sent

# A message claimed for sending longer ago than this was dropped by a worker that died.
STALLED_AFTER = timedelta(minutes=10)


def writes_to_console() -> bool:
    """Whether mail is only written to the console (no mail server set up)."""
    backend = settings.MAILERS.get("default", {}).get("BACKEND", "")
    return backend.endswith("console.EmailBackend")


def mail_domain() -> str:
    """The domain our Message-IDs are made in: the sender address's."""
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ").lower() or "localhost"


def make_message_id(local_part: str) -> str:
    """A new, unique Message-ID (without <>) whose left part says what it is about."""
    return f"{local_part}.{uuid.uuid4().hex[:16]}@{mail_domain()}"


def _ban_patterns(address: str) -> tuple[str, str]:
    address = address.strip().lower()
    return address, "@" + address.rpartition("@")[2]


def banned_among(addresses: Iterable[str]) -> set[str]:
    """Which of these addresses are banned (by address or by domain), in one query."""
    bans = active_bans()
    if not bans:
        return set()
    patterns = {address: _ban_patterns(address) for address in addresses}
    return {address for address, pair in patterns.items() if bans.intersection(pair)}


BANS = "mail.bans"


def active_bans() -> frozenset[str]:
    """Every active ban pattern (lower case); kept a few seconds."""
    return memo.remembered(
        BANS,
        lambda: frozenset(
            p.lower()
            for p in BannedAddress.objects.filter(is_active=True).values_list("pattern", flat=True)
        ),
    )


def is_banned(address: str) -> bool:
    return bool(banned_among([address]))


def _well_formed(address: str) -> bool:
    try:
        validate_email(address)
    except Exception:  # a ValidationError, or not even a string: not an address
        return False
    return True


def _deliverable(addresses: Iterable[str], *, skip: Iterable[str] = ()) -> list[str]:
    """Well-formed, not banned, each once, none of `skip`."""
    skipped = {a.lower() for a in skip}
    kept, seen = [], set()
    for address in addresses:
        key = address.strip().lower()
        if key and key not in seen and key not in skipped and _well_formed(address):
            kept.append(address.strip())
            seen.add(key)
    banned = banned_among(kept)
    return [address for address in kept if address not in banned]


def queue(
    *,
    notice: str,
    to: Iterable[str],
    rendered: Rendered,
    cc: Iterable[str] = (),
    message_id: str | None = None,
    headers: dict | None = None,
    regarding: str = "",
    tag: str = "",
) -> OutgoingMail | None:
    """Record a message and wake the worker, in the caller's transaction.

    Banned, malformed and repeated addresses are dropped (an address in To is not copied
    in Cc); with nobody left, nothing is recorded and None is returned.
    """
    [mail] = queue_many(
        [
            {
                "notice": notice,
                "to": to,
                "rendered": rendered,
                "cc": cc,
                "message_id": message_id,
                "headers": headers,
                "regarding": regarding,
                "tag": tag,
            }
        ]
    )
    return mail


def queue_many(messages: list[dict]) -> list[OutgoingMail | None]:
    """Record several messages (each given as `queue` takes it) in one INSERT, and wake the
    worker once for them all; None in place of a message left with nobody to go to.

    One alert to each of a department's agents costs one query, however many they are.
    """
    rows: list[OutgoingMail | None] = []
    now = timezone.now()  # due at once (created_at is the insert's own)
    for message in messages:
        to = _deliverable(message["to"])
        cc = _deliverable(message.get("cc", ()), skip=to)
        if not to:
            rows.append(None)
            continue
        rendered = message["rendered"]
        rows.append(
            OutgoingMail(
                notice=message["notice"],
                regarding=message.get("regarding", "")[:255],
                tag=message.get("tag", ""),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=to,
                cc=cc,
                subject=rendered.subject,
                text_body=rendered.text,
                html_body=rendered.html,
                message_id=message.get("message_id") or make_message_id("mail"),
                headers=message.get("headers") or {},
                next_attempt_at=now,
            )
        )
    made = [mail for mail in rows if mail is not None]
    if len(made) == 1:
        made[0].save(force_insert=True)
    elif made:
        OutgoingMail.objects.bulk_create(made)
    pks = [mail.pk for mail in made]
    batch = _batch.get()
    if batch is not None:
        batch.extend(pks)
    elif len(pks) == 1:
        send_outgoing_mail.enqueue(pks[0])
    elif pks:
        send_outgoing_mails.enqueue(pks)
    return rows


_batch: ContextVar[list[int] | None] = ContextVar("outbox_batch", default=None)


@contextmanager
def one_sending_task():
    """Give the messages queued in this block one sending task instead of one each.

    Use it inside the transaction: the task is enqueued when the block ends without an
    error, still in that transaction, so the messages and their task commit together.
    """
    pks: list[int] = []
    token = _batch.set(pks)
    try:
        yield
    finally:
        _batch.reset(token)
    if pks:
        send_outgoing_mails.enqueue(pks)


def retry_now(mail: OutgoingMail) -> None:
    """Send a failed (or waiting) message again at once; a sent one is left alone."""
    with transaction.atomic():
        claimed = OutgoingMail.objects.filter(
            pk=mail.pk, status__in=[OutgoingMail.Status.FAILED, OutgoingMail.Status.QUEUED]
        ).update(status=OutgoingMail.Status.QUEUED, next_attempt_at=timezone.now())
        if claimed:
            send_outgoing_mail.enqueue(mail.pk)


def _email_of(mail: OutgoingMail) -> EmailMultiAlternatives:
    headers = {**mail.headers, "Message-ID": f"<{mail.message_id}>"}
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text_body,
        from_email=mail.from_email,
        to=mail.to,
        cc=mail.cc,
        headers=headers,
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    return message


def _answer(error: Exception) -> tuple[str, bool]:
    """What the server said (or why it could not be reached), and whether to try again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = [
            f"{address}: {code} {_text(reply)}"
            for address, (code, reply) in error.recipients.items()
        ]
        codes = [code for code, _reply in error.recipients.values()]
        return "Recipients refused: " + "; ".join(answers), any(400 <= c < 500 for c in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}", 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPException | OSError):
        return f"Could not reach the mail server: {error}", True
    return f"{type(error).__name__}: {error}", True


def _text(reply) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _retry_delays() -> list[int]:
    return list(settings.HELPDESK_MAIL_RETRY_SECONDS)


@task
def send_outgoing_mails(pks: list[int]) -> list[str]:
    """Send several recorded messages, each as send_outgoing_mail does."""
    return [send_outgoing_mail.call(pk) for pk in pks]


@task
def send_outgoing_mail(pk: int) -> str:
    """Send one recorded message; on a temporary failure, wait and try again (bounded)."""
    now = timezone.now()
    # While a message is being sent, next_attempt_at says when it was claimed: a message due
    # long ago (a queue that was behind) and claimed just now is not taken for stalled.
    claimed = OutgoingMail.objects.filter(
        pk=pk, status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=now
    ).update(status=OutgoingMail.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now)
    if not claimed:
        return "not due"  # sent already, given up, or another run holds it
    mail = OutgoingMail.objects.get(pk=pk)
    try:
        _email_of(mail).send(using="default")
    except Exception as error:
        return _failed(mail, error)
    with transaction.atomic():
        mail.status, mail.sent_at, mail.last_error = OutgoingMail.Status.SENT, timezone.now(), ""
        mail.sent_via = "console" if writes_to_console() else "mail server"
        mail.save(update_fields=["status", "sent_at", "last_error", "sent_via"])
        mail_sent.send(sender=OutgoingMail, mail=mail)
    return "sent"


def _failed(mail: OutgoingMail, error: Exception) -> str:
    answer, temporary = _answer(error)
    delays = _retry_delays()
    with transaction.atomic():
        mail.last_error = answer
        if temporary and mail.attempts <= len(delays):
            mail.status = OutgoingMail.Status.QUEUED
            mail.next_attempt_at = timezone.now() + timedelta(seconds=delays[mail.attempts - 1])
            send_outgoing_mail.using(run_after=mail.next_attempt_at).enqueue(mail.pk)
        else:
            mail.status = OutgoingMail.Status.FAILED
        mail.save(update_fields=["status", "next_attempt_at", "last_error"])
    return f"{mail.status}: {answer}"


def requeue_stalled(now=None) -> int:
    """Wake messages whose sending was lost (a worker died mid-way, STALLED_AFTER since it
    claimed them) or whose task never ran; how many."""
    now = now or timezone.now()
    stalled = OutgoingMail.objects.filter(
        Q(status=OutgoingMail.Status.SENDING) | Q(status=OutgoingMail.Status.QUEUED),
        next_attempt_at__lte=now - STALLED_AFTER,
    )
    woken = 0
    for pk in stalled.values_list("pk", flat=True):
        with transaction.atomic():
            if (
                OutgoingMail.objects.filter(pk=pk)
                .exclude(status__in=[OutgoingMail.Status.SENT, OutgoingMail.Status.FAILED])
                .update(status=OutgoingMail.Status.QUEUED, next_attempt_at=now)
            ):
                send_outgoing_mail.enqueue(pk)
                woken += 1
    return woken
