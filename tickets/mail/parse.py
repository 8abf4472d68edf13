"""One raw RFC 822 message (bytes) turned into a structured, safe ParsedMail.

Mail arrives in every state: wrong or unknown charsets, broken MIME, hostile HTML. parse()
gets out whatever a person wrote, says in `problems` what was wrong and how it was
handled, and raises only UnparseableMail, only for input that is not mail at all.

Standalone on purpose: standard library and nh3, no Django, no other project module, so
the pipe, the pollers and the API can all call it, and it can be tested on its own.
"""

import base64
import binascii
import codecs
import email.errors
import email.policy
import hashlib
import mimetypes
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from tickets.mail.html import (
    html_to_text,
    plain_to_html,
    sanitise_html,
    scrub,
    too_deeply_nested,
)

# Outgoing mail puts this line above the quoted history; a reply is cut where it appears.
REPLY_MARKER = "-- Reply above this line --"


@dataclass(frozen=True)
class Address:
    name: str  # display name, decoded ('' if none)
    email: str  # addr-spec with the domain lower-cased; never '' (such addresses are skipped)


@dataclass(frozen=True)
class MailAttachment:
    # Decoded and made safe (no path, no control characters), never empty: a part without
    # a name gets one from its type, e.g. "attachment-1.bin", "image-2.png".
    filename: str
    content_type: str  # lower-case "type/subtype", as declared
    content: bytes  # decoded from base64/quoted-printable
    content_id: str | None  # without <>, for inline images the HTML refers to as cid:
    # Shown in the body rather than offered as a download: disposition inline, or no
    # disposition inside a multipart/related.
    is_inline: bool


@dataclass(frozen=True)
class ParsedMail:
    message_id: str | None  # without <>, stripped; None when missing or empty
    in_reply_to: tuple[str, ...]  # message ids without <>
    references: tuple[str, ...]  # message ids without <>, oldest first, no repeats
    subject: str  # decoded (encoded-words, any charset), whitespace collapsed
    sender: Address | None  # the first usable From address
    reply_to: Address | None  # the first usable Reply-To address
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    date: datetime | None  # timezone-aware; a date without a zone is taken as UTC
    text: str  # the whole plain-text body: the text/plain part, else derived from the HTML
    reply_text: str  # `text` without quoted history and signature; never empty if text isn't
    html: str | None  # the HTML body sanitised with nh3; None when there was no HTML part
    attachments: tuple[MailAttachment, ...]
    auto: str | None  # None for mail from a person, else "auto_reply", "bounce" or "bulk"
    bounced: tuple[str, ...]  # for a bounce: the failed recipients' addresses
    ticket_number: str | None  # the digits of a "[#123456]" token in the subject (4–12)
    fingerprint: str  # sha256 hex of the raw bytes: the dedupe key without a Message-ID
    problems: tuple[str, ...]  # what was wrong with the mail and how it was handled


class UnparseableMail(ValueError):
    """The input is not mail at all: empty, or without a single header field."""


def parse(raw: bytes) -> ParsedMail:
    """The mail in `raw`; raises UnparseableMail only for input that is not mail at all."""
    if isinstance(raw, str):
        raise TypeError("parse() takes the raw bytes of a message, not decoded text")
    raw = bytes(raw)
    fingerprint = hashlib.sha256(raw).hexdigest()
    source = _skip_leading_junk(raw)
    if not source.strip():
        raise UnparseableMail("The input is empty.")

    # The standard library's modern policy first; its older one is more forgiving of
    # odd headers; a split by hand cannot fail at all.
    failures = []
    for policy in (email.policy.default, email.policy.compat32):
        notes = _Notes()
        try:
            msg = BytesParser(policy=policy).parsebytes(source)
            headers = [(str(name).strip(), value) for name, value in msg.raw_items()]
            if not any(name for name, _ in headers):
                raise UnparseableMail("The input has no header fields, so it is not mail.")
            for failure in failures:
                notes.add(f"The mail library failed ({failure}); parsed again more leniently.")
            content = _Reader(notes).read(msg)
            return _build(raw, fingerprint, headers, content, notes)
        except UnparseableMail:
            raise
        except Exception as exc:  # every failure goes down a rung
            failures.append(f"{type(exc).__name__} with the {_policy_name(policy)} policy")

    notes = _Notes()
    notes.add(f"The mail library failed ({'; '.join(failures)}); split the mail by hand.")
    headers, content = _split_by_hand(source, notes)
    if not headers:
        raise UnparseableMail("The input has no header fields, so it is not mail.")
    return _build(raw, fingerprint, headers, content, notes)


# --- Assembling the result -------------------------------------------------------------


class _Notes:
    """The problems found, in order, each once."""

    def __init__(self):
        self.items: dict[str, None] = {}

    def add(self, note: str) -> None:
        self.items.setdefault(scrub(note), None)


@dataclass
class _Segment:
    """One stretch of body: its plain text, its HTML, or both (from an alternative)."""

    plain: str | None = None
    html: str | None = None


@dataclass
class _Pending:
    """An attachment before it gets its final name."""

    filename: str
    content_type: str
    content: bytes
    content_id: str | None
    is_inline: bool


@dataclass
class _Content:
    segments: list[_Segment]
    attachments: list[_Pending]
    is_report: bool = False  # a multipart/report of delivery status, or a DSN part, was seen
    is_receipt: bool = False  # a read receipt (disposition-notification report)
    bounced: list[str] | None = None


def _build(raw, fingerprint, headers, content, notes) -> ParsedMail:
    fields = _HeaderFields(headers, notes)
    subject = fields.subject()
    sender = fields.first_address("from")
    if sender is None:
        notes.add("No usable From address.")
    message_id = fields.message_id()
    if message_id is None:
        notes.add("No Message-ID; the fingerprint of the raw bytes identifies this mail.")

    text = "\n\n".join(filter(None, (_segment_text(seg) for seg in content.segments)))
    text = _trim_blank_lines(text)
    html = None
    if any(seg.html is not None for seg in content.segments):
        if any(seg.html is not None and too_deeply_nested(seg.html) for seg in content.segments):
            notes.add("The HTML body is nested too deeply to sanitise; it is kept as text.")
        html = "".join(
            sanitise_html(seg.html) if seg.html is not None else plain_to_html(seg.plain or "")
            for seg in content.segments
        )

    auto = _auto_kind(fields, subject, sender, content)
    bounced: tuple[str, ...] = ()
    if auto == "bounce":
        bounced = _unique(
            (content.bounced or []) + [a.email for a in fields.addresses("x-failed-recipients")]
        )
    return ParsedMail(
        message_id=message_id,
        in_reply_to=fields.message_ids("in-reply-to"),
        references=fields.message_ids("references"),
        subject=subject,
        sender=sender,
        reply_to=fields.first_address("reply-to"),
        to=tuple(fields.addresses("to")),
        cc=tuple(fields.addresses("cc")),
        date=fields.date(),
        text=text,
        reply_text=_reply_text(text, forwarded=bool(_FORWARD_SUBJECT.match(subject))),
        html=html,
        attachments=_name_attachments(content.attachments),
        auto=auto,
        bounced=bounced,
        ticket_number=_ticket_number(subject),
        fingerprint=fingerprint,
        problems=tuple(notes.items),
    )


def _segment_text(segment: _Segment) -> str:
    # An empty text/plain beside real HTML (some bulk mailers send one) is no text.
    if segment.plain or segment.html is None:
        return segment.plain or ""
    return html_to_text(segment.html)


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _policy_name(policy) -> str:
    return "compat32" if policy is email.policy.compat32 else "default"


_LEADING_JUNK = re.compile(rb"\A(?:\xef\xbb\xbf)?[ \t]*(?:\r?\n[ \t]*)*")


def _skip_leading_junk(raw: bytes) -> bytes:
    # A byte-order mark or blank lines before the headers (files saved by editors, sloppy
    # pipes) would otherwise make the whole mail a headerless body.
    return raw[_LEADING_JUNK.match(raw).end() :]


# --- Charsets ----------------------------------------------------------------------------

# What senders mean by these labels (as browsers read them, per the WHATWG Encoding
# Standard): the superset decodes everything the strict codec does, plus what Windows
# mailers really put there, e.g. curly quotes and € in "iso-8859-1" text.
_SUPERSETS = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "shift_jis": "cp932",
    "iso2022_jp": "iso2022_jp_ext",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}
# Codecs Python knows that no mail is written in; punycode also decodes in quadratic time.
_NOT_MAIL_CODECS = {"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined"}


def _codec(label: str | None) -> str | None:
    """The Python codec for a charset label, or None if there is no such text codec."""
    if not label or len(label) > 40:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
        "".encode(name)  # refuses codecs that are not text encodings (base64, zlib…)
    except Exception:  # any odd label is simply unknown
        return None
    if name in _NOT_MAIL_CODECS:
        return None
    return _SUPERSETS.get(name, name)


def _decode(data: bytes, label: str | None, what: str, notes: _Notes) -> str:
    """Bytes as text: the declared charset, else UTF-8, else Windows-1252; never fails."""
    if label:
        codec = _codec(label)
        if codec is None:
            fallback = "unknown charset"
        else:
            try:
                return _strip_bom(data.decode(codec))
            except UnicodeDecodeError:
                fallback = "not valid"
    elif data.isascii():
        return data.decode("ascii")
    else:
        fallback = "no charset"

    try:
        text, used = data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        text, used = _decode_damaged(data)
    if fallback == "unknown charset":
        notes.add(f"{what}: unknown charset {label!r}; decoded as {used}.")
    elif fallback == "not valid":
        notes.add(f"{what}: the bytes are not valid {label}; decoded as {used}.")
    elif used != "UTF-8":
        notes.add(f"{what}: 8-bit text without a charset; decoded as {used}.")
    return _strip_bom(text)


def _decode_damaged(data: bytes) -> tuple[str, str]:
    """Bytes that are not valid UTF-8: mostly-UTF-8 keeps its good parts, else Windows-1252."""
    as_utf8 = data.decode("utf-8", "replace")
    bad = as_utf8.count("\ufffd")
    good = len(_NON_ASCII.findall(as_utf8)) - bad
    if good > 2 * bad:
        return as_utf8, "UTF-8 with the invalid bytes replaced"
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace"), "Windows-1252 with undefined bytes replaced"


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


# --- Headers -----------------------------------------------------------------------------

_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,64})\?([bBqQ])\?([^?]*)\?=")
_FOLD = re.compile(r"\r?\n|\r")  # unfolding: the line break goes, the indent stays
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WHITESPACE = re.compile(r"\s+")


def _raw_to_text(value, what: str, notes: _Notes) -> str:
    """A raw header value (8-bit bytes kept as surrogates by the parser) as unfolded text."""
    if not isinstance(value, str):
        value = str(value)
    text = _decode(value.encode("utf-8", "surrogateescape"), None, what, notes)
    return _FOLD.sub("", text)


def _decode_words(text: str, what: str, notes: _Notes) -> str:
    """Encoded-words (RFC 2047, B and Q, any charset) decoded; the rest left as it is.

    Adjacent words in one charset are joined before decoding, since mailers split
    multi-byte characters across words; whitespace between encoded-words is dropped.
    """
    if "=?" not in text:
        return text
    out: list[str] = []
    run_label, run_bytes = None, bytearray()

    def flush():
        nonlocal run_label, run_bytes
        if run_label is not None:
            out.append(_decode(bytes(run_bytes), run_label, what, notes))
        run_label, run_bytes = None, bytearray()

    position = 0
    for match in _ENCODED_WORD.finditer(text):
        between = text[position : match.start()]
        if between and not (run_label is not None and between.isspace()):
            flush()
            out.append(between)
        label = match.group(1).split("*", 1)[0]  # drop an RFC 2231 language tag
        payload = match.group(3).encode("utf-8", "surrogateescape")
        if match.group(2) in "bB":
            chunk = _lenient_b64(payload)[0]
        else:
            chunk = binascii.a2b_qp(payload, header=True)
        if run_label is not None and label.lower() != run_label.lower():
            flush()
        run_label = label
        run_bytes += chunk
        position = match.end()
    flush()
    out.append(text[position:])
    return "".join(out)


def _one_line(text: str) -> str:
    return _WHITESPACE.sub(" ", _CONTROL.sub(" ", scrub(text))).strip()


class _HeaderFields:
    """Decoded views of the message's own headers (raw values, decoded here)."""

    def __init__(self, headers: list[tuple[str, str]], notes: _Notes):
        self.notes = notes
        self.raw: dict[str, list[str]] = {}
        for name, value in headers:
            self.raw.setdefault(name.lower(), []).append(value)

    def has(self, name: str) -> bool:
        return name in self.raw

    def text(self, name: str) -> str | None:
        """The first such header as one line of text, encoded-words decoded."""
        values = self.raw.get(name)
        if not values:
            return None
        label = _label(name)
        return _one_line(
            _decode_words(_raw_to_text(values[0], label, self.notes), label, self.notes)
        )

    def subject(self) -> str:
        return self.text("subject") or ""

    def message_id(self) -> str | None:
        ids = self.message_ids("message-id")
        return ids[0] if ids else None

    def message_ids(self, name: str) -> tuple[str, ...]:
        found: list[str] = []
        for value in self.raw.get(name, []):
            text = _raw_to_text(value, _label(name), self.notes)
            bracketed = re.findall(r"<([^<>]*)>", text)
            # Some mailers leave the brackets off; then each word is an id.
            candidates = bracketed if bracketed else re.split(r"[\s,]+", text)
            found += [_WHITESPACE.sub("", _CONTROL.sub("", c)) for c in candidates]
        return _unique(found)

    def addresses(self, name: str) -> list[Address]:
        result: list[Address] = []
        for value in self.raw.get(name, []):
            label = _label(name)
            text = _CONTROL.sub(" ", _raw_to_text(value, label, self.notes))
            for display, addr in _address_pairs(text, label, self.notes):
                clean = _clean_email(addr)
                if clean:
                    name_text = _one_line(_decode_words(display, label, self.notes))
                    if len(name_text) > 1 and name_text[0] == name_text[-1] == "'":
                        name_text = name_text[1:-1].strip()  # Outlook's 'Name'
                    result.append(Address(name=name_text, email=clean))
        return result

    def first_address(self, name: str) -> Address | None:
        found = self.addresses(name)
        return found[0] if found else None

    def date(self) -> datetime | None:
        text = self.text("date")
        if not text:
            return None
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            try:
                value = datetime.fromisoformat(text)
            except ValueError:
                self.notes.add(f"Date header {text[:80]!r} is not a date; left empty.")
                return None
        if value.tzinfo is None:
            self.notes.add("Date header has no time zone; taken as UTC.")
            value = value.replace(tzinfo=UTC)
        return value


def _label(name: str) -> str:
    return f"{name.title()} header"


def _address_pairs(text: str, label: str, notes: _Notes) -> list[tuple[str, str]]:
    # Strict parsing first (it refuses the ambiguous forms behind CVE-2023-27043); a
    # malformed list is then read leniently, with a note, rather than lost.
    try:
        pairs = getaddresses([text])
    except Exception:  # the lenient reading below still applies
        pairs = []
    if any(addr for _, addr in pairs):
        return pairs
    if "@" not in text:
        return []
    try:
        pairs = getaddresses([text], strict=False)
    except Exception:
        pairs = []
    if not any(_clean_email(addr) for _, addr in pairs):
        pairs = [("", addr) for addr in _BARE_ADDRESS.findall(text)]
    if pairs:
        notes.add(f"{label} is malformed; its addresses were read leniently.")
    return pairs


_BARE_ADDRESS = re.compile(r"[^\s<>()\[\]\\,;:\"@]+@[^\s<>()\[\]\\,;:\"@]+")
_EMAIL = re.compile(r"[^\s<>()\[\]\\,;:\"@\x00-\x1f\x7f]+@[^\s<>()\[\]\\,;:\"@\x00-\x1f\x7f]+")


def _clean_email(addr: str) -> str:
    addr = addr.strip().strip("<>").strip()
    if not _EMAIL.fullmatch(addr):
        return ""
    local, _, domain = addr.rpartition("@")
    domain = domain.lower().rstrip(".")
    return f"{local}@{domain}" if local and domain else ""


# --- MIME structure ----------------------------------------------------------------------

_MAX_DEPTH = 40
_MIME_TYPE = re.compile(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")
_DSN_TYPES = {"message/delivery-status", "message/global-delivery-status"}
# An opening delimiter line: "--boundary", then the part's first header on the next line.
_OPENING_BOUNDARY = re.compile(
    r"^--([0-9A-Za-z'()+_,\-./:=?]{1,70})[ \t]*\r?\n(?=[A-Za-z][A-Za-z0-9-]*:)", re.M
)


class _Reader:
    """Walks the MIME tree into body segments and attachments."""

    def __init__(self, notes: _Notes):
        self.notes = notes
        self.is_report = False
        self.is_receipt = False
        self.bounced: list[str] = []

    def read(self, msg: Message) -> _Content:
        content = self._walk(msg, 0)
        content.is_report = self.is_report
        content.is_receipt = self.is_receipt
        content.bounced = self.bounced
        return content

    def _walk(self, part: Message, depth: int, *, alternative: bool = False) -> _Content:
        if depth > _MAX_DEPTH:
            self.notes.add(f"MIME parts nested deeper than {_MAX_DEPTH} levels were skipped.")
            return _Content([], [])
        content = self._part(part, depth, alternative=alternative)
        self._note_defects(part)  # after decoding, which can find defects of its own
        return content

    def _part(self, part: Message, depth: int, *, alternative: bool) -> _Content:
        ctype = self._content_type(part)
        maintype = ctype.split("/", 1)[0]
        if ctype in _DSN_TYPES:
            self.is_report = True
            self._read_delivery_status(part)
            return _Content([], [])
        if ctype == "message/disposition-notification":
            self.is_receipt = True
            return _Content([], [])
        if maintype == "message":
            return _Content([], [self._attached_message(part)])
        if ctype == "multipart/report":
            report_type = str(part.get_param("report-type") or "").lower()
            self.is_report |= report_type == "delivery-status"
            self.is_receipt |= report_type == "disposition-notification"
        if part.is_multipart():
            children = [c for c in part.get_payload() if isinstance(c, Message)]
            if ctype == "multipart/alternative":
                return self._alternative(children, depth)
            if ctype == "multipart/related":
                return self._related(part, children, depth)
            if ctype == "multipart/encrypted":
                self.notes.add("The mail is encrypted; its parts are kept as attachments.")
            return self._mixed(children, depth)
        if maintype == "multipart":
            return self._lost_boundary(part, ctype, depth)
        return self._leaf(part, ctype, alternative=alternative)

    def _mixed(self, children: list[Message], depth: int) -> _Content:
        content = _Content([], [])
        for child in children:
            found = self._walk(child, depth + 1)
            content.segments += found.segments
            content.attachments += found.attachments
        return content

    def _alternative(self, children: list[Message], depth: int) -> _Content:
        # The first plain-text version and the last (richest) HTML version; anything else
        # that is not a rendering of the text (a calendar invitation) stays an attachment.
        found = [self._walk(child, depth + 1, alternative=True) for child in children]
        plain = next((f for f in found if any(s.plain is not None for s in f.segments)), None)
        rich = next(
            (f for f in reversed(found) if any(s.html is not None for s in f.segments)), None
        )
        if plain is None and rich is None:
            return _merge(found)
        segment = _Segment()
        if plain is not None:
            segment.plain = "\n\n".join(s.plain for s in plain.segments if s.plain is not None)
        if rich is not None:
            segment.html = "".join(s.html for s in rich.segments if s.html is not None)
        attachments: list[_Pending] = []
        for f in found:
            if f is plain or f is rich or not f.segments:
                attachments += f.attachments
        return _Content([segment], attachments)

    def _related(self, part: Message, children: list[Message], depth: int) -> _Content:
        if not children:
            return _Content([], [])
        root = 0
        start = _strip_brackets(str(part.get_param("start") or ""))
        if start:
            for index, child in enumerate(children):
                if _strip_brackets(_first_raw(child, "content-id") or "") == start:
                    root = index
        content = self._walk(children[root], depth + 1)
        for index, child in enumerate(children):
            if index != root:
                content.attachments += self._resources(child, depth + 1)
        return content

    def _resources(self, part: Message, depth: int) -> list[_Pending]:
        # Everything beside the root of a multipart/related is a resource it shows inline.
        if depth > _MAX_DEPTH:
            return []
        self._note_defects(part)
        ctype = self._content_type(part)
        if ctype.startswith("message/"):
            return [self._attached_message(part)]
        if part.is_multipart():
            found: list[_Pending] = []
            for child in part.get_payload():
                if isinstance(child, Message):
                    found += self._resources(child, depth + 1)
            return found
        pending = self._attachment(part, ctype, related=True)
        return [pending] if pending else []

    def _leaf(self, part: Message, ctype: str, *, alternative: bool) -> _Content:
        if ctype == "text/rfc822-headers":
            return _Content([], [])  # the headers a bounce sends back; not the sender's text
        disposition = _disposition(part)
        is_text_body = ctype in ("text/plain", "text/html") and disposition != "attachment"
        if is_text_body and not _filename(part, self.notes):
            return _Content([self._body_segment(part, ctype)], [])
        if alternative and ctype.startswith("text/") and ctype != "text/calendar":
            return _Content([], [])  # another rendering of the body (enriched, watch-html)
        pending = self._attachment(part, ctype, related=False)
        return _Content([], [pending] if pending else [])

    def _body_segment(self, part: Message, ctype: str) -> _Segment:
        data = self._payload(part, ctype)
        label = _charset(part)
        if label is None and ctype == "text/html":
            label = _meta_charset(data)
        text = _decode(data, label, f"{ctype} part", self.notes)
        text = scrub(text).replace("\r\n", "\n").replace("\r", "\n")
        if ctype == "text/html":
            return _Segment(html=text)
        if str(part.get_param("format") or "").lower() == "flowed":
            text = _unflow(text, delsp=str(part.get_param("delsp") or "").lower() == "yes")
        return _Segment(plain=_trim_blank_lines(text))

    def _attachment(self, part: Message, ctype: str, *, related: bool) -> _Pending | None:
        filename = _filename(part, self.notes)
        content = self._payload(part, ctype)
        if not content and not filename:
            return None
        disposition = _disposition(part)
        content_id = _strip_brackets(_first_raw(part, "content-id") or "") or None
        return _Pending(
            filename=filename,
            content_type=ctype,
            content=content,
            content_id=content_id,
            is_inline=disposition == "inline" or (related and disposition is None),
        )

    def _attached_message(self, part: Message) -> _Pending:
        inner = part.get_payload()
        if isinstance(inner, list):
            inner = inner[0] if inner and isinstance(inner[0], Message) else None
        encoding = (_first_raw(part, "content-transfer-encoding") or "").strip().lower()
        if isinstance(inner, Message) and encoding not in ("base64", "quoted-printable"):
            content = _message_bytes(inner)
        else:
            # RFC 2046 forbids encoding a message/rfc822 part, yet some mailers do; the
            # parser then took the encoded text for the message. Decode, and read it again.
            if isinstance(inner, Message):
                encoded = _message_bytes(inner)
            else:
                encoded = str(part.get_payload()).encode("utf-8", "surrogateescape")
            if encoding == "base64":
                content = _lenient_b64(encoded)[0]
            elif encoding == "quoted-printable":
                content = binascii.a2b_qp(encoded.lstrip(b"\r\n"))
            else:
                content = encoded
            if encoding in ("base64", "quoted-printable"):
                self.notes.add(f"An attached message is {encoding}-encoded; decoded.")
            inner = BytesParser(policy=email.policy.compat32).parsebytes(content)
        subject = _HeaderFields(list(inner.raw_items()), _Notes()).subject()
        subject = subject.replace("/", "-").replace("\\", "-")  # not path separators here
        return _Pending(
            filename=(subject + ".eml") if subject else _filename(part, self.notes),
            content_type=self._content_type(part),
            content=content,
            content_id=_strip_brackets(_first_raw(part, "content-id") or "") or None,
            is_inline=False,
        )

    def _content_type(self, part: Message) -> str:
        """The part's lower-case type/subtype; a mangled one cleaned up or replaced, with a note."""
        declared = part.get_content_type()
        words = declared.replace('"', " ").replace("'", " ").replace(";", " ").split()
        cleaned = words[0] if words else ""
        if _MIME_TYPE.fullmatch(cleaned):
            if cleaned != declared:
                self.notes.add(f"Content-Type {declared!r} is malformed; read as {cleaned}.")
            return cleaned
        default = part.get_default_type()
        self.notes.add(f"Content-Type {declared!r} is not a media type; read as {default}.")
        return default

    def _payload(self, part: Message, ctype: str) -> bytes:
        """The part's decoded bytes; broken base64 decoded as far as it goes, with a note."""
        raw = part.get_payload()
        if isinstance(raw, list):
            return b""
        encoding = (_first_raw(part, "content-transfer-encoding") or "").strip().lower()
        if encoding == "base64":
            data, repaired = _lenient_b64(str(raw).encode("ascii", "ignore"))
            if repaired:
                self.notes.add(f"{ctype} part: broken base64 ({repaired}); decoded leniently.")
            return data
        try:
            data = part.get_payload(decode=True)
        except Exception:  # the undecoded bytes are better than nothing
            data = None
            self.notes.add(f"{ctype} part: its transfer encoding failed; kept undecoded.")
        if data is None:
            data = str(raw).encode("utf-8", "surrogateescape")
        return data

    def _lost_boundary(self, part: Message, ctype: str, depth: int) -> _Content:
        # A multipart whose declared boundary never appears: look for the one really used.
        body = part.get_payload()
        data = str(body).encode("utf-8", "surrogateescape")
        declared = str(part.get_param("boundary") or "")
        counts: dict[bytes, int] = {}
        for match in _OPENING_BOUNDARY.finditer(data.decode("ascii", "replace")):
            key = match.group(1).encode()
            counts[key] = counts.get(key, 0) + 1
        if counts:
            found = max(counts, key=counts.get)
            head = f'Content-Type: {ctype}; boundary="{found.decode()}"\r\n\r\n'.encode()
            reparsed = BytesParser(policy=part.policy).parsebytes(head + data)
            if reparsed.is_multipart():
                self.notes.add(
                    f"The MIME boundary {declared!r} never appears; used {found.decode()!r}, "
                    "found in the body."
                )
                return self._walk(reparsed, depth + 1)
        self.notes.add(f"The MIME boundary {declared!r} never appears; the body is kept as text.")
        text = _decode(data, _charset(part), f"{ctype} part", self.notes)
        return _Content([_Segment(plain=_trim_blank_lines(scrub(text)))], [])

    def _read_delivery_status(self, part: Message) -> None:
        blocks = part.get_payload()
        if isinstance(blocks, list):
            fields = [list(b.raw_items()) for b in blocks if isinstance(b, Message)]
        else:  # e.g. base64-encoded, which the parser does not look into
            text = _decode(self._payload(part, "delivery-status"), None, "DSN", self.notes)
            fields = [
                [tuple(line.split(":", 1)) for line in block.split("\n") if ":" in line]
                for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n"))
            ]
        for block in fields:
            values = {str(name).strip().lower(): str(value) for name, value in block}
            action = values.get("action", "failed").strip().lower()
            if not action.startswith("failed"):
                continue  # delayed, delivered, relayed: not a failure
            for name in ("final-recipient", "original-recipient"):
                if name in values:
                    addr = _clean_email(values[name].split(";", 1)[-1])
                    if addr:
                        self.bounced.append(addr)

    def _note_defects(self, part: Message) -> None:
        for defect in getattr(part, "defects", ()):
            doc = (type(defect).__doc__ or "").strip().split("\n")[0].rstrip(".")
            what = doc[:1].lower() + doc[1:] if doc else type(defect).__name__
            self.notes.add(f"Malformed MIME: {what} ({type(defect).__name__}).")


def _merge(found: list[_Content]) -> _Content:
    merged = _Content([], [])
    for f in found:
        merged.segments += f.segments
        merged.attachments += f.attachments
    return merged


def _first_raw(part: Message, name: str) -> str | None:
    for key, value in part.raw_items():
        if str(key).strip().lower() == name:
            return _FOLD.sub("", str(value))
    return None


def _strip_brackets(value: str) -> str:
    return value.strip().strip("<>").strip()


def _disposition(part: Message) -> str | None:
    value = _first_raw(part, "content-disposition")
    if not value:
        return None
    kind = value.split(";", 1)[0].strip().lower()
    return kind or None


def _charset(part: Message) -> str | None:
    label = part.get_param("charset")
    if isinstance(label, tuple):  # RFC 2231 form
        label = label[2]
    label = str(label or "").strip()
    return label or None


_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.I)


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _filename(part: Message, notes: _Notes) -> str:
    """The part's own file name (filename or name parameter), decoded but not yet safe."""
    try:
        name = part.get_filename() or ""
    except Exception:  # a bad parameter means no name, not no part
        name = ""
    if not name:
        value = part.get_param("name")
        name = value[2] if isinstance(value, tuple) else str(value or "")
    return _decode_words(scrub(name), "attachment name", notes)


def _message_bytes(inner: Message) -> bytes:
    # compat32 writes back the parsed headers as they came, without refolding them.
    try:
        return inner.as_bytes(policy=email.policy.compat32)
    except Exception:  # a re-encoding problem must not lose the part
        return str(inner).encode("utf-8", "surrogateescape")


_NOT_B64 = bytes(
    set(range(256)) - set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
)


def _lenient_b64(data: bytes) -> tuple[bytes, str]:
    """Base64 decoded as far as it goes, and what had to be repaired ('' if nothing)."""
    cleaned = data.translate(None, _NOT_B64)
    repairs = []
    if len(cleaned) != len(data) - sum(data.count(c) for c in b" \t\r\n="):
        repairs.append("invalid characters skipped")
    if len(cleaned) % 4 == 1:
        cleaned = cleaned[:-1]
        repairs.append("a stray last character dropped")
    cleaned += b"=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned), ", ".join(repairs)
    except binascii.Error:  # cannot happen with cleaned, padded input; never raise anyway
        return b"", "undecodable"


def _split_by_hand(source: bytes, notes: _Notes) -> tuple[list[tuple[str, str]], _Content]:
    """Header fields and the body as text, for mail even the lenient parser fails on."""
    text = source.decode("utf-8", "surrogateescape").replace("\r\n", "\n")
    head, _, body = text.partition("\n\n")
    headers: list[tuple[str, str]] = []
    for line in head.split("\n"):
        if line[:1] in (" ", "\t") and headers:
            headers[-1] = (headers[-1][0], headers[-1][1] + " " + line.strip())
        elif ":" in line:
            name, _, value = line.partition(":")
            if name.strip() and " " not in name.strip():
                headers.append((name.strip(), value.strip()))
    body_text = _decode(body.encode("utf-8", "surrogateescape"), None, "body", notes)
    return headers, _Content([_Segment(plain=_trim_blank_lines(scrub(body_text)))], [])


# --- Attachment names --------------------------------------------------------------------

# Fixed choices where the built-in table has several, so names do not vary by machine.
_EXTENSIONS = {
    "application/octet-stream": ".bin",
    "text/plain": ".txt",
    "image/jpeg": ".jpg",
    "message/rfc822": ".eml",
    "message/global": ".eml",
    "text/calendar": ".ics",
}
# Only the built-in table, not /etc/mime.types, for the same reason.
_MIME_TYPES = mimetypes.MimeTypes(filenames=())
_UNSAFE_IN_NAMES = re.compile(r"[\x00-\x1f\x7f-\x9f<>:\"|?*]")
_MAX_NAME = 200


def _name_attachments(pending: list[_Pending]) -> tuple[MailAttachment, ...]:
    return tuple(
        MailAttachment(
            filename=_safe_filename(p.filename) or _generated_name(p.content_type, number),
            content_type=p.content_type,
            content=p.content,
            content_id=_one_line(p.content_id) if p.content_id else None,
            is_inline=p.is_inline,
        )
        for number, p in enumerate(pending, start=1)
    )


def _safe_filename(name: str) -> str:
    """The last component of a name, without control or reserved characters."""
    name = unicodedata.normalize("NFC", scrub(name))
    # Format characters (right-to-left override…) can disguise "cod.exe" as "exe.doc".
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    name = re.split(r"[/\\]", name)[-1]
    name = _WHITESPACE.sub(" ", _UNSAFE_IN_NAMES.sub("_", name)).strip()
    name = name.lstrip(".").strip()  # no hidden files, no "..": also keeps the name a name
    if len(name) > _MAX_NAME:
        _, dot, ext = name.rpartition(".")
        ext = ext if dot and len(ext) <= 10 else ""
        name = name[: _MAX_NAME - len(ext) - 1].rstrip() + ("." + ext if ext else "")
    return name


def _generated_name(content_type: str, number: int) -> str:
    ext = _EXTENSIONS.get(content_type) or _MIME_TYPES.guess_extension(content_type) or ".bin"
    stem = "image" if content_type.startswith("image/") else "attachment"
    return f"{stem}-{number}{ext}"


# --- Auto-replies, bounces, bulk mail ----------------------------------------------------

_BOUNCE_SENDER = re.compile(r"^(mailer-daemon|postmaster)@", re.I)
_BOUNCE_SUBJECT = re.compile(
    r"undelivered mail returned to sender|delivery status notification \(failure\)"
    r"|mail delivery failed|^undeliverable:|^undelivered mail|failure notice|returned mail:",
    re.I,
)
# "Vacation" only as a reply ("Vacation reply", "Vacation: …"): a "Vacation request form"
# ticket to HR is mail from a person.
_AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(out of (the )?office|automat(ic|ed) reply|automatische antwort|auto:|auto-?reply"
    r"|abwesenheitsnotiz|réponse automatique|vacation(\s*:|\s+(reply|response|notice)\b))",
    re.I,
)


def _auto_kind(fields: _HeaderFields, subject: str, sender, content: _Content) -> str | None:
    if content.is_report:
        return "bounce"
    if sender and _BOUNCE_SENDER.match(sender.email) and _BOUNCE_SUBJECT.search(subject):
        return "bounce"

    auto_submitted = (fields.text("auto-submitted") or "").split(";", 1)[0].strip().lower()
    precedence = (fields.text("precedence") or "").strip().lower()
    if (
        (fields.has("auto-submitted") and auto_submitted != "no")
        or any(fields.has(h) for h in ("x-autoreply", "x-autorespond", "x-autoresponse"))
        or precedence == "auto_reply"
        or (
            fields.has("x-auto-response-suppress")
            and subject.lower().startswith("automatic reply:")
        )
        or _AUTO_REPLY_SUBJECT.match(subject)
        or content.is_receipt
    ):
        return "auto_reply"
    if (
        precedence in ("bulk", "junk", "list")
        or fields.has("list-id")
        or fields.has("list-unsubscribe")
    ):
        return "bulk"
    return None


_TICKET_TOKEN = re.compile(r"\[#(\d{4,12})\]")


def _ticket_number(subject: str) -> str | None:
    match = _TICKET_TOKEN.search(subject)
    return match.group(1) if match else None


# --- Plain text: flowed lines, quoted history, signatures ----------------------------------


def _trim_blank_lines(text: str) -> str:
    lines = text.split("\n")
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])


def _unflow(text: str, *, delsp: bool) -> str:
    """format=flowed (RFC 3676) text with its soft line breaks joined again."""
    out: list[str] = []
    paragraph: list[str] = []
    depth = 0

    def flush():
        if paragraph:
            out.append((">" * depth + " " if depth else "") + "".join(paragraph))
            paragraph.clear()

    for line in text.split("\n"):
        quotes = len(line) - len(line.lstrip(">"))
        content = line[quotes:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffing
        if paragraph and quotes != depth:
            flush()
        depth = quotes
        if content == "-- ":
            flush()
            out.append((">" * depth + " " if depth else "") + content)
            continue
        soft = content.endswith(" ")
        paragraph.append(content[:-1] if soft and delsp else content)
        if not soft:
            flush()
    flush()
    return "\n".join(out)


_MARKER_LINE = re.compile(
    r"^[\s>\-–—_*]*"
    + r"\s+".join(map(re.escape, REPLY_MARKER.strip("- ").split()))
    + r"[\s\-–—_*]*$",
    re.I,
)
_ON_WROTE = re.compile(r"^\s*On\s.*\swrote:\s*$")
_AM_SCHRIEB = re.compile(r"^\s*Am\s.*\sschrieb\s.*:\s*$")
_ORIGINAL_MESSAGE = re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.I)
_OUTLOOK_FROM = re.compile(r"^\s*\*?(From|Von|De)\s?:\*?\s*\S")
_OUTLOOK_NEXT = re.compile(r"^\s*\*?(Sent|Date|Gesendet|Datum|Envoyé)\s?:\*?\s*\S")
_SEPARATOR = re.compile(r"^\s*_{8,}\s*$")
_FORWARD_LINE = re.compile(
    r"^\s*-{2,}\s*(Forwarded message|Forwarded Message|Weitergeleitete Nachricht)\s*-{2,}\s*$"
    r"|^\s*Begin forwarded message:\s*$",
    re.I,
)
_FORWARD_SUBJECT = re.compile(r"^\s*(fwd?|wg|tr|rv)\s*:", re.I)


def _reply_text(text: str, *, forwarded: bool) -> str:
    """`text` cut above the quoted history and the signature; the full text if that is all.

    A forward is not history: nothing below a "Forwarded message" line is cut, and in a
    mail whose subject says it is a forward, Outlook's header blocks are its content.
    """
    lines = text.split("\n")
    forward_at = next((i for i, line in enumerate(lines) if _FORWARD_LINE.match(line)), None)
    limit = len(lines) if forward_at is None else forward_at
    cuts = [
        _marker_cut(lines),
        next((i for i, line in enumerate(lines[:limit]) if line == "-- "), None),
        _quote_header_cut(lines, limit),
    ]
    if not forwarded:
        cuts.append(_outlook_cut(lines, limit))
    if forward_at is None:
        cuts.append(_trailing_quote_cut(lines))
    found = [cut for cut in cuts if cut is not None]
    if not found:
        return text
    kept = _trim_blank_lines("\n".join(lines[: min(found)]))
    return kept if kept.strip() else text


def _marker_cut(lines: list[str]) -> int | None:
    at = next((i for i, line in enumerate(lines) if _MARKER_LINE.match(line)), None)
    if at is None:
        return None
    # The attribution line a mail client puts above the history belongs to the history.
    above = _previous_content(lines, at)
    if above is not None:
        header = _header_ending_at(lines, above)
        if header is not None:
            return header
    return at


def _quote_header_cut(lines: list[str], limit: int) -> int | None:
    for i in range(limit):
        end = _header_at(lines, i)
        if end is not None:
            following = _next_content(lines, end + 1)
            if following is not None and lines[following].lstrip().startswith(">"):
                return i
    return None


def _header_at(lines: list[str], i: int) -> int | None:
    """The index of the last line of an attribution starting at line i, or None."""
    if not lines[i].lstrip().startswith(("On ", "Am ")):
        return None
    if _is_attribution(lines[i]):
        return i
    if i + 1 < len(lines) and _is_attribution(lines[i] + " " + lines[i + 1]):
        return i + 1
    return None


def _header_ending_at(lines: list[str], end: int) -> int | None:
    """The first line of an attribution (one or two lines) ending at line `end`, or None."""
    if _is_attribution(lines[end]):
        return end
    if end > 0 and lines[end - 1].strip() and _header_at(lines, end - 1) == end:
        return end - 1
    return None


def _is_attribution(line: str) -> bool:
    # Attributions are short; the length bound also keeps the regexes cheap on long lines.
    return len(line) <= 400 and bool(_ON_WROTE.match(line) or _AM_SCHRIEB.match(line))


def _outlook_cut(lines: list[str], limit: int) -> int | None:
    for i in range(limit):
        if _ORIGINAL_MESSAGE.match(lines[i]):
            return i
        if _OUTLOOK_FROM.match(lines[i]) and any(
            _OUTLOOK_NEXT.match(line) for line in lines[i + 1 : i + 3]
        ):
            above = _previous_content(lines, i)
            if above is not None and (
                _SEPARATOR.match(lines[above]) or _ORIGINAL_MESSAGE.match(lines[above])
            ):
                return above
            return i
    return None


def _trailing_quote_cut(lines: list[str]) -> int | None:
    start = None
    for i in range(len(lines) - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped.startswith(">"):
            start = i
        elif stripped:
            break
    if start is None:
        return None
    above = _previous_content(lines, start)
    if above is not None:
        header = _header_ending_at(lines, above)
        if header is not None:
            return header
    return start


def _previous_content(lines: list[str], i: int) -> int | None:
    i -= 1
    while i >= 0 and not lines[i].strip():
        i -= 1
    return i if i >= 0 else None


def _next_content(lines: list[str], i: int) -> int | None:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i if i < len(lines) else None
