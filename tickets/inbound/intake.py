"""Mail in: one path for every way a raw message arrives (a pipe, IMAP, POP3, the API).

`receive(raw)` first stores the raw bytes and commits (InboundMail), and only then reads
them, so that nothing is lost: a message that cannot be read stays with its error, to be
processed again after a fix; the same message twice (by Message-ID, else by content) is
recognised and made one entry, not two. Then the message becomes, by `decide`:

- nothing, when it is mail from a machine: an auto-reply, a mailing list, a bounce (which
  marks the address bouncing), a loop from one of our own addresses, or a banned sender;
- a message on its ticket (found by In-Reply-To/References naming one of our messages or
  one of its entries, then by the "[#number]" subject token) when it comes from the
  requester or a collaborator, reopening the ticket through the status machine;
- held for review, from an agent's address (mail cannot prove who sent it; once an admin
  accepts it, it becomes that agent's internal note) or from anybody not on the ticket:
  never silently appended to a ticket;
- nothing (kept, listed with the reason) when From or Reply-To is a look-alike address
  (accounts.emails), or when a new ticket would be opened from an agent's address;
- else a new ticket, from Reply-To (else From), whose other addressees (not agents, not
  look-alikes) become collaborators.
"""

import hashlib
import logging
import re
from contextlib import nullcontext
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import default as default_policy

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from accounts import emails
from accounts.models import Agent, User
from accounts.selectors import is_staff_address
from helpdesk import memo
from helpdesk.mail.outbox import is_banned, one_sending_task
from tickets import services
from tickets.attachments import problems_with, write_file
from tickets.mail.parse import ParsedMail, UnparseableMail, parse
from tickets.models import HelpTopic, InboundMail, Mailbox, Source, ThreadEntry, Ticket
from tickets.notifications import ticket_number_in
from tickets.permissions import can

logger = logging.getLogger(__name__)


# Storing ----------------------------------------------------------------------------------


_MESSAGE_ID = re.compile(rb"^message-id:[ \t]*<([^<>\s]{1,250})>[ \t]*\r?$", re.I | re.M)


def _message_id_of(raw: bytes) -> str:
    """The Message-ID from the headers alone; '' when there is none or it cannot be read."""
    head = raw[: raw.find(b"\r\n\r\n") if b"\r\n\r\n" in raw else raw.find(b"\n\n")]
    match = _MESSAGE_ID.search(head) if head else None
    if match is not None:  # the usual one-line form, without parsing every header
        return match.group(1).decode("ascii", "replace")
    try:
        headers = BytesHeaderParser(policy=default_policy).parsebytes(raw, headersonly=True)
        value = str(headers.get("Message-ID", "") or "")
    except Exception:  # a header so broken that even reading it fails: no Message-ID
        return ""
    return value.strip().strip("<>").strip()[:255]


def _same_message(message_id: str, fingerprint: str) -> InboundMail | None:
    if message_id:
        return InboundMail.objects.filter(message_id=message_id).first()
    return InboundMail.objects.filter(message_id="", fingerprint=fingerprint).first()


def store(raw: bytes, *, source: str, mailbox: Mailbox | None = None) -> tuple[InboundMail, bool]:
    """Keep the raw message and commit; return it and whether it is new (not seen before)."""
    fingerprint = hashlib.sha256(raw).hexdigest()
    message_id = _message_id_of(raw)
    # No look first: the unique constraints say whether it is the same message again.
    record = InboundMail(
        size=len(raw),
        fingerprint=fingerprint,
        message_id=message_id,
        source=source,
        mailbox=mailbox,
        received_at=timezone.now(),
    )
    # A disk too full for the raw message raises NotStored with nothing left behind: the
    # caller leaves the message where it came from (the server, the pipe's queue).
    write_file(record.raw, "message.eml", ContentFile(raw))
    try:
        # One INSERT, committed by itself (a savepoint only inside a caller's transaction).
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            record.save()
    except IntegrityError:
        # The same message arrived through another path a moment ago.
        record.raw.delete(save=False)
        return _same_message(message_id, fingerprint), False
    except BaseException:
        record.raw.delete(save=False)  # not recorded (the database away): no orphan file
        raise
    return record, True


def receive(raw: bytes, *, source: str, mailbox: Mailbox | None = None) -> InboundMail:
    """Store the message (committed), then process it if it is new or was never processed.

    The record's `is_repeat` says whether the same message had arrived before.
    """
    record, is_new = store(raw, source=source, mailbox=mailbox)
    if is_new or record.status == InboundMail.Status.NEW:
        process(record)
    record.is_repeat = not is_new
    return record


# Processing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: str
    text: str
    ticket: Ticket | None = None
    entry: ThreadEntry | None = None


def process(record: InboundMail) -> InboundMail:
    """Read a stored message and act on it; any failure is recorded on it, never raised."""
    try:
        with record.raw.open("rb") as stored:
            raw = stored.read()
        parsed = parse(raw)
    except UnparseableMail as error:
        return _finish(record, Outcome(InboundMail.Status.FAILED, "Not a mail message"), error)
    except Exception as error:
        logger.exception("Reading inbound mail %s failed", record.pk)
        return _finish(record, Outcome(InboundMail.Status.FAILED, "Could not be read"), error)
    record.from_address = parsed.sender.email if parsed.sender else ""
    record.subject = parsed.subject[:255]
    try:
        with transaction.atomic(), one_sending_task():
            # What became of it is saved with what it became: one commit for both.
            return _finish(record, decide(parsed, mailbox=record.mailbox))
    except services.FileNotStored as error:
        # The disk is full: the raw message is kept to be processed again once there is room.
        logger.error("Inbound mail %s: attachments not stored: %s", record.pk, error)
        outcome = "Its attachments could not be stored (no room): process it again"
        return _finish(record, Outcome(InboundMail.Status.FAILED, outcome), error)
    except Exception as error:
        logger.exception("Processing inbound mail %s failed", record.pk)
        return _finish(record, Outcome(InboundMail.Status.FAILED, "Could not be processed"), error)


def _finish(record: InboundMail, outcome: Outcome, error: Exception | None = None):
    record.status = outcome.status
    record.outcome = outcome.text[:255]
    record.ticket = outcome.ticket
    record.entry = outcome.entry
    record.error = f"{type(error).__name__}: {error}" if error else ""
    record.processed_at = timezone.now()
    record.save(
        update_fields=[
            "status",
            "outcome",
            "ticket",
            "entry",
            "error",
            "processed_at",
            "from_address",
            "subject",
        ]
    )
    return record


def our_addresses() -> set[str]:
    """The addresses we send from and receive at: mail from them is a loop."""
    ours = {settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].strip("> ").lower()}
    ours.update(memo.remembered(MAILBOX_ADDRESSES, _mailbox_addresses))
    return {address for address in ours if address}


MAILBOX_ADDRESSES = "tickets.mailbox-addresses"


def _mailbox_addresses() -> frozenset[str]:
    return frozenset(a.lower() for a in Mailbox.objects.values_list("address", flat=True))


def decide(parsed: ParsedMail, *, mailbox: Mailbox | None) -> Outcome:
    """What this message becomes; runs inside the caller's transaction."""
    ignored = InboundMail.Status.IGNORED
    ours = our_addresses()
    sender = parsed.sender
    if parsed.auto == "bounce":
        if not parsed.bounced:
            return Outcome(ignored, "A bounce that names no address")
        marked = _mark_bouncing(parsed.bounced)
        addresses = ", ".join(parsed.bounced)[:150]
        known = f"; {marked} of our users marked as bouncing" if marked else ""
        return Outcome(ignored, f"A bounce: mail to {addresses} could not be delivered{known}")
    if sender is None:
        return Outcome(ignored, "No sender address")
    if sender.email.lower() in ours:
        return Outcome(ignored, "From one of our own addresses: a loop")
    if parsed.auto == "auto_reply":
        return Outcome(ignored, "An automatic reply (out of office, vacation): not a ticket")
    if parsed.auto == "bulk":
        return Outcome(ignored, "A mailing list or bulk mail: not a ticket")
    if is_banned(sender.email):
        return Outcome(ignored, f"{sender.email} is banned")
    refused = _refused_address(parsed)
    if refused:
        return Outcome(ignored, refused)
    # Somebody who writes to us again can be written to again, whatever bounced before.
    User.objects.with_email(sender.email).filter(email_bounced_at__isnull=False).update(
        email_bounced_at=None
    )
    ticket = find_ticket(parsed)
    if ticket is not None:
        return _reply(ticket, parsed)
    return _new_ticket(parsed, mailbox=mailbox, ours=ours)


def _refused_address(parsed: ParsedMail) -> str:
    """Why the sender's or Reply-To address is refused (a look-alike), or ''. The message is
    kept, listed with this reason for an admin, and becomes nothing."""
    for label, address in (("From", parsed.sender), ("Reply-To", parsed.reply_to)):
        why = emails.refusal(address.email) if address is not None else None
        if why:
            return f"Refused: the {label} address {address.email!a} is a look-alike. {why}"[:255]
    return ""


def _mark_bouncing(addresses) -> int:
    if not addresses:
        return 0
    matches = Q()
    for address in addresses:
        # As stored: a bounce naming the unicode form of a domain finds its punycode user.
        matches |= Q(email__iexact=emails.normalise_or_none(address) or address)
    return User.objects.filter(matches).update(email_bounced_at=timezone.now())


def find_ticket(parsed: ParsedMail) -> Ticket | None:
    """The ticket a reply belongs to: by the messages it answers, then by its subject token."""
    referred = [*reversed(parsed.in_reply_to), *reversed(parsed.references)]
    for message_id in referred:
        number = ticket_number_in(message_id)
        if number:
            ticket = Ticket.objects.filter(number=number).first()
            if ticket is not None:
                return ticket
    if referred:
        entry = ThreadEntry.objects.filter(message_id__in=referred).select_related("ticket").first()
        if entry is not None:
            return entry.ticket
    if parsed.ticket_number:
        return Ticket.objects.filter(number=parsed.ticket_number).first()
    return None


def _user_with(address: str) -> User | None:
    return User.objects.with_email(address).select_related("agent").first()


def _attachments(parsed: ParsedMail) -> tuple[list, list[str]]:
    """The files to keep, and what was left out (it stays in the stored original)."""
    kept, notes = [], []
    for attachment in parsed.attachments:
        upload = SimpleUploadedFile(
            attachment.filename, attachment.content, content_type=attachment.content_type
        )
        problems = problems_with(upload)
        if problems:
            notes.append(
                f"[{attachment.filename} ({filesizeformat(upload.size)}) was not attached: "
                f"{' '.join(problems)} The original message, with it, is kept.]"
            )
        else:
            kept.append(upload)
    return kept, notes


def _body(text: str, notes: list[str]) -> str:
    text = text.strip() or "(This message has no text.)"
    return "\n\n".join([text, *notes]) if notes else text


def _reply(ticket: Ticket, parsed: ParsedMail, *, reviewed: bool = False) -> Outcome:
    sender = parsed.sender
    user = _user_with(sender.email)
    files, notes = _attachments(parsed)
    body = _body(parsed.reply_text, notes)
    message_id = parsed.message_id or ""
    agent = getattr(user, "agent", None) if user is not None else None
    if agent is not None and not reviewed:
        # Anybody can put an agent's address in From: held until a person has looked.
        return Outcome(
            InboundMail.Status.HELD,
            f"From {sender.email}, an agent's address: mail cannot prove the agent sent it, "
            "so it is held for review",
            ticket,
        )
    if agent is not None and user.is_active and can(agent, "note", ticket):
        entry = services.post_note(
            ticket, by=agent, body=body, attachments=files, message_id=message_id
        )
        return Outcome(InboundMail.Status.IMPORTED, "Internal note from an agent", ticket, entry)
    is_collaborator = user is not None and ticket.collaborators.filter(user=user).exists()
    if user is not None and (user.pk == ticket.requester_id or is_collaborator):
        try:
            entry = services.post_user_reply(
                ticket, by=user, body=body, attachments=files, message_id=message_id
            )
        except services.FileNotStored:
            raise  # kept to process again, below; not a new ticket
        except services.TicketError:
            # Closed too long ago to reopen: the message starts a new ticket instead.
            topic = ticket.help_topic or _help_topic(None)
            return _open(parsed, topic, requester=user, files=files, notes=notes)
        who = "the requester" if user.pk == ticket.requester_id else "a collaborator"
        return Outcome(InboundMail.Status.IMPORTED, f"Reply from {who}", ticket, entry)
    return Outcome(
        InboundMail.Status.HELD,
        f"{sender.email} is not on this ticket: held for review",
        ticket,
    )


_TOPIC_READS = services.intake.TOPIC_READS


def _help_topic(mailbox: Mailbox | None) -> HelpTopic:
    if mailbox is not None:
        return HelpTopic.objects.select_related(*_TOPIC_READS).get(pk=mailbox.help_topic_id)
    name = settings.HELPDESK_EMAIL_HELP_TOPIC
    topics = HelpTopic.objects.filter(is_active=True).select_related(*_TOPIC_READS)
    chosen = topics.filter(name__iexact=name).first() if name else None
    # Piped mail with no topic configured still becomes a ticket somewhere: never lost.
    chosen = chosen or topics.order_by("-is_public", "name").first()
    if chosen is None:
        raise ValueError("There is no active help topic for tickets from mail.")
    return chosen


def _new_ticket(parsed: ParsedMail, *, mailbox: Mailbox | None, ours: set[str]) -> Outcome:
    files, notes = _attachments(parsed)
    return _open(parsed, _help_topic(mailbox), files=files, notes=notes, ours=ours)


def _open(parsed, topic, *, requester=None, files=(), notes=(), ours=frozenset()) -> Outcome:
    author = parsed.reply_to or parsed.sender
    if requester is not None:
        email, name = requester.email, requester.full_name
    else:
        email, name = author.email, author.name
    skip = {*ours, email.lower(), parsed.sender.email.lower()}
    # Copied people follow the ticket; never a look-alike, and never an agent (agents are
    # told by their alerts, and a follower's mail would post as them).
    copied = [
        address.email
        for address in (*parsed.to, *parsed.cc)
        if address.email.lower() not in skip
        and not is_banned(address.email)
        and emails.refusal(address.email) is None
        and not is_staff_address(address.email)
    ]
    try:
        ticket, _ = services.open_ticket(
            email=email,
            full_name=name,
            help_topic=topic,
            subject=(parsed.subject or "(no subject)")[:255],
            body=_body(parsed.text, list(notes)),
            attachments=files,
            source=Source.EMAIL,
            message_id=parsed.message_id or "",
            collaborators=copied,
        )
    except services.AddressRefused:
        # Only an agent's address gets here (look-alikes were refused before).
        return Outcome(
            InboundMail.Status.IGNORED,
            f"Refused: {email} is an agent's address, and mail cannot prove the agent sent "
            "it, so it did not open a ticket (agents open tickets in the staff panel)",
        )
    entry = getattr(ticket, "opening_entry", None)
    return Outcome(InboundMail.Status.IMPORTED, "New ticket", ticket, entry)


# What an administrator does with held and failed messages ---------------------------------


def process_again(record: InboundMail) -> InboundMail:
    """Read a failed (or never processed) message again, after a fix."""
    if record.status not in (InboundMail.Status.FAILED, InboundMail.Status.NEW):
        raise services.TicketError("Only a failed or unprocessed message is processed again.")
    return process(record)


def accept_held(record: InboundMail, *, by: Agent) -> InboundMail:
    """Add a held message to its ticket as a message from its sender, who becomes a
    collaborator. Refuses a message that is not held, or a ticket the admin cannot see."""
    if record.status != InboundMail.Status.HELD or record.ticket_id is None:
        raise services.TicketError("Only a message held for review can be added to its ticket.")
    if not can(by, "reply", record.ticket):
        raise services.TicketError("Your role does not allow you to reply on this ticket.")
    with record.raw.open("rb") as stored:
        parsed = parse(stored.read())
    with transaction.atomic():
        ticket = record.ticket
        sender = _user_with(parsed.sender.email)
        if getattr(sender, "agent", None) is None:
            services.add_collaborator(
                ticket, email=parsed.sender.email, full_name=parsed.sender.name
            )
        # A person has read it: an agent's mail may now become their internal note.
        outcome = _reply(ticket, parsed, reviewed=True)
    text = f"Added by {by.user.display_name} after review: {outcome.text.lower()}"
    return _finish(record, Outcome(outcome.status, text, outcome.ticket, outcome.entry))


def discard_held(record: InboundMail, *, by: Agent) -> InboundMail:
    """Leave a held message out of its ticket for good (it stays listed, with its original)."""
    if record.status != InboundMail.Status.HELD:
        raise services.TicketError("Only a message held for review can be discarded.")
    text = f"Discarded by {by.user.display_name} after review"
    return _finish(record, Outcome(InboundMail.Status.IGNORED, text, record.ticket, None))
