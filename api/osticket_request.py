"""What an osTicket client posts to create a ticket, read and checked.

osTicket documents one set of fields in two forms (its setup/doc/api/tickets.md): a JSON object,
and a <ticket> XML element whose simple fields may be attributes or child elements. Both are
read here into one `TicketRequest`. Anything wrong is a `BadRequest` whose one line names the
field, for the 400 answer; keys we do not know are ignored, never refused (this helpdesk has
no custom fields for them to fill).

Priorities are osTicket's default ones, which are ours: 1 Low, 2 Normal, 3 High, 4 Emergency,
by id (`priority` or `priorityId`, a number or numeric string) or by name in any case.
"""

import base64
import binascii
import codecs
import ipaddress
import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.emails import clean_address
from tickets.attachments import problems_with
from tickets.forms import PHONE_RE
from tickets.mail.html import html_to_text, sanitise_html, scrub
from tickets.models import HelpTopic, Priority, Source
from tickets.services.intake import TOPIC_READS


class BadRequest(Exception):
    """The request cannot make a ticket; the text is the answer's one line."""


@dataclass
class TicketRequest:
    """A checked request: everything opening the ticket needs, in our terms."""

    email: str
    name: str
    subject: str
    body: str
    help_topic: HelpTopic
    phone: str = ""
    priority: int | None = None
    source: str = Source.API
    alert: bool = True
    autorespond: bool = True
    ip: str = ""
    note: str = ""
    attachments: list[SimpleUploadedFile] = field(default_factory=list)


# Reading the two forms ------------------------------------------------------------------------


def from_json(body: bytes) -> TicketRequest:
    """A request from osTicket's JSON form (its message and files as data URLs)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise BadRequest(f"Invalid JSON: {_short(error)}") from None
    if not isinstance(data, dict):
        raise BadRequest("Invalid JSON: the body must be one object of fields, {…}.")
    posted = {name: value for name, value in data.items() if name not in _COMPLEX}
    posted["message"] = _json_message(data.get("message"))
    posted["attachments"] = _json_attachments(data.get("attachments"))
    return check(posted)


def from_xml(body: bytes) -> TicketRequest:
    """A request from osTicket's XML form. No DTD is read: no entity is ever expanded and
    nothing outside the body is fetched (billion laughs, external entities)."""
    try:
        root = SafeElementTree.fromstring(body, forbid_dtd=True)
    except DefusedXmlException:
        raise BadRequest("Invalid XML: a DOCTYPE or entity declaration is not accepted.") from None
    except (ParseError, ValueError, RecursionError, LookupError) as error:
        # LookupError: an XML declaration naming an encoding Python does not know.
        raise BadRequest(f"Invalid XML: {_short(error)}") from None
    if _local(root.tag) != "ticket":
        raise BadRequest("Invalid XML: the root element must be <ticket>.")
    posted: dict[str, Any] = dict(root.attrib)
    posted["attachments"] = []
    for child in root:
        name = _local(child.tag)
        if name == "attachments":
            posted["attachments"] = [_xml_file(f) for f in child if _local(f.tag) == "file"]
        elif name == "message":
            posted["message"] = _xml_message(child)
        elif name == "phone":
            posted["phone"] = (child.text or "").strip()
            if child.get("ext"):
                posted["phone_ext"] = child.get("ext")
        elif len(child) == 0:
            posted[name] = (child.text or "").strip()
    posted.setdefault("message", None)
    if isinstance(posted["message"], str):  # given as an attribute of <ticket>
        posted["message"] = ("text/plain", posted["message"])
    return check(posted)


_COMPLEX = {"message", "attachments"}


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _short(error: Exception) -> str:
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__


# Messages and files -----------------------------------------------------------------------


def _json_message(value) -> tuple[str, str] | None:
    """(media type, text) of the message: plain text, or a data URL of text/plain or HTML."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest("message: expected text or a data URL such as data:text/html,…")
    if value[:5].lower() != "data:":
        return ("text/plain", value)
    media_type, charset, content = decode_data_url(value, "message")
    if media_type not in ("text/plain", "text/html"):
        raise BadRequest(f"message: a data URL of text/plain or text/html, not {media_type}.")
    return (media_type, _decode_text(content, charset, "message"))


def _xml_message(element: Element) -> tuple[str, str]:
    media_type = (element.get("type") or "text/plain").split(";")[0].strip().lower()
    text = (element.text or "").strip()
    if (element.get("encoding") or "").lower() == "base64":
        charset = element.get("charset") or "utf-8"
        text = _decode_text(_base64(text, "message"), charset, "message")
    if media_type not in ("text/plain", "text/html"):
        raise BadRequest(f"message: type must be text/plain or text/html, not {media_type[:40]}.")
    return (media_type, text)


def _json_attachments(value) -> list[tuple[str, bytes]]:
    """osTicket's list of one-entry objects, {"name.ext": "data:<type>;base64,<data>"}."""
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        raise BadRequest('attachments: expected a list of {"name.ext": "data:…"} objects.')
    files = []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("data"), str) and "name" in item:
            name, url = item["name"], item["data"]  # the older {name, data} form
        elif isinstance(item, dict) and len(item) == 1:
            [(name, url)] = item.items()
        else:
            raise BadRequest('attachments: each file is one {"name.ext": "data:…"} object.')
        if not isinstance(name, str) or not isinstance(url, str) or not name.strip():
            raise BadRequest('attachments: each file is one {"name.ext": "data:…"} object.')
        _, _, content = decode_data_url(url, f"attachments: {name[:80]}")
        files.append((name, content))
    return files


def _xml_file(element: Element) -> tuple[str, bytes]:
    name = element.get("name") or ""
    if not name.strip():
        raise BadRequest("attachments: each <file> needs a name attribute.")
    text = element.text or ""
    if (element.get("encoding") or "").lower() == "base64":
        return (name, _base64(text, f"attachments: {name[:80]}"))
    return (name, scrub(text.strip()).encode("utf-8"))


def decode_data_url(url: str, where: str) -> tuple[str, str | None, bytes]:
    """(media type, charset, content) of an RFC 2397 data URL; BadRequest naming `where`."""
    head, comma, data = url.partition(",")
    if head[:5].lower() != "data:" or not comma:
        raise BadRequest(f"{where}: not a data URL such as data:text/plain;base64,….")
    media_type, *parameters = [part.strip() for part in head[5:].split(";")]
    media_type = media_type.lower() or "text/plain"
    is_base64 = bool(parameters) and parameters[-1].lower() == "base64"
    charset = None
    for parameter in parameters:
        if parameter.lower().startswith("charset="):
            charset = parameter[8:].strip().strip('"')
    if is_base64:
        content = _base64(urllib.parse.unquote(data) if "%" in data else data, where)
    else:
        content = urllib.parse.unquote_to_bytes(data)
    return media_type, charset, content


def _base64(text: str, where: str) -> bytes:
    cleaned = "".join(text.split()).translate(_URL_SAFE)
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest(f"{where}: the data is not valid base64.") from None


_URL_SAFE = str.maketrans("-_", "+/")


def _decode_text(content: bytes, charset: str | None, where: str) -> str:
    try:
        codecs.lookup(charset or "utf-8")
    except LookupError:
        raise BadRequest(f"{where}: unknown character set {charset[:40]}.") from None
    return scrub(content.decode(charset or "utf-8", "replace"))


# Checking the fields ------------------------------------------------------------------------


def check(posted: dict[str, Any]) -> TicketRequest:
    """The request the fields make, or BadRequest naming the first field that is wrong."""
    return TicketRequest(
        email=_email(posted.get("email")),
        name=_one_line(_required_text(posted, "name"))[:150],
        # Cut, not refused, as mail subjects are: a monitoring system's long line still counts.
        subject=_one_line(_required_text(posted, "subject"))[:255],
        body=_body(posted.get("message")),
        help_topic=_help_topic(posted.get("topicId")),
        phone=_phone(posted.get("phone"), posted.get("phone_ext")),
        priority=_priority(posted),
        source=_source(posted.get("source")),
        alert=_boolean(posted, "alert"),
        autorespond=_boolean(posted, "autorespond"),
        ip=_ip(posted.get("ip")),
        note=_note(posted.get("notes")),
        attachments=_uploads(posted.get("attachments") or []),
    )


def _text(value, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadRequest(f"{name}: expected text.")
    return scrub(str(value)).strip()


def _one_line(text: str) -> str:
    """Line breaks and runs of spaces as one space: a name or subject goes into mail headers."""
    return " ".join(text.split())


def _required_text(posted: dict, name: str) -> str:
    text = _text(posted.get(name), name)
    if not text:
        raise BadRequest(f"{name}: required field missing.")
    return text


def _email(value) -> str:
    email = _text(value, "email")
    if not email:
        raise BadRequest("email: required field missing.")
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        # Normalised and look-alikes refused as on every other path (accounts.emails).
        return clean_address(email)
    except ValidationError as error:
        if error.code == "refused_address":
            raise BadRequest(f"email: {email[:80]!a}: {error.messages[0]}") from None
        raise BadRequest(f"email: {email[:80]!r} is not a valid email address.") from None


def _body(message) -> str:
    if message is None:
        raise BadRequest("message: required field missing.")
    media_type, text = message
    if media_type == "text/html":
        text = html_to_text(sanitise_html(text))
    text = scrub(text).strip()
    if not text:
        raise BadRequest("message: required field missing.")
    return _within_body_limit(text, "message")


def _within_body_limit(text: str, name: str) -> str:
    limit = settings.HELPDESK_MAX_BODY_CHARS
    if len(text) > limit:
        raise BadRequest(
            f"{name}: {len(text):,} characters; the limit is {limit:,}. Attach the rest as a file."
        )
    return text


def _note(value) -> str:
    return _within_body_limit(_text(value, "notes"), "notes")


def _number(value, name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        return int(value.strip())
    raise BadRequest(f"{name}: expected a number, not {str(value)[:40]!r}.")


def _help_topic(value) -> HelpTopic:
    topics = HelpTopic.objects.filter(is_active=True).select_related(*TOPIC_READS)
    topic_id = _number(value, "topicId")
    if topic_id is not None:
        topic = topics.filter(pk=topic_id).first()
        if topic is None:
            raise BadRequest(f"topicId: there is no active help topic {topic_id}.")
        return topic
    for name in (settings.HELPDESK_API_HELP_TOPIC, settings.HELPDESK_EMAIL_HELP_TOPIC):
        topic = topics.filter(name__iexact=name).first() if name else None
        if topic is not None:
            return topic
    topic = topics.order_by("-is_public", "name").first()
    if topic is None:
        raise BadRequest("topicId: none was given, and there is no active help topic to use.")
    return topic


def _phone(value, extension) -> str:
    phone = _text(value, "phone")
    ext = _text(extension, "phone_ext")
    if not phone:
        return ""
    # osTicket's JSON puts the extension after a capital X: "3185558634X123".
    number, x, embedded = phone.rpartition("X")
    if x and embedded.strip().isdigit():
        phone, ext = number.strip(), ext or embedded.strip()
    if ext:
        phone = f"{phone} x{ext}"
    if len(phone) > 40 or not PHONE_RE.match(phone):
        raise BadRequest(
            f"phone: {phone[:40]!r} is not a phone number (digits, spaces, + ( ) - and an "
            "extension after X)."
        )
    return phone


_PRIORITY_NAMES = {label.lower(): value for value, label in Priority.choices}


def _priority(posted: dict) -> int | None:
    name = "priorityId" if posted.get("priorityId") not in (None, "") else "priority"
    value = posted.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().lower() in _PRIORITY_NAMES:
        return _PRIORITY_NAMES[value.strip().lower()]
    number = _number(value, name) if not isinstance(value, str) or value.strip().isdigit() else 0
    if number in Priority.values:
        return number
    known = ", ".join(f"{v} ({label})" for v, label in Priority.choices)
    raise BadRequest(f"{name}: {str(value)[:40]!r} is not a priority; use one of {known}.")


def _source(value) -> str:
    text = _text(value, "source")
    if not text:
        return Source.API
    for source, label in Source.choices:
        if text.casefold() in (source.casefold(), label.casefold()):
            return source
    known = ", ".join(label for _, label in Source.choices)
    raise BadRequest(f"source: {text[:40]!r} is not a known source; use one of {known}.")


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def _boolean(posted: dict, name: str) -> bool:
    value = posted.get(name)
    if value is None or value == "" or value is True or value is False:
        return value is not False
    if isinstance(value, int | str) and str(value).strip().lower() in _TRUE | _FALSE:
        return str(value).strip().lower() in _TRUE
    raise BadRequest(f"{name}: expected true or false.")


def _ip(value) -> str:
    text = _text(value, "ip")
    if not text:
        return ""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise BadRequest(f"ip: {text[:60]!r} is not an IP address.") from None


def _uploads(files: list[tuple[str, bytes]]) -> list[SimpleUploadedFile]:
    """The files as uploads, held to the web form's rules (count, size, kind)."""
    limit = settings.HELPDESK_MAX_ATTACHMENTS
    if len(files) > limit:
        raise BadRequest(f"attachments: at most {limit} files; {len(files)} were sent.")
    uploads = []
    for name, content in files:
        upload = SimpleUploadedFile(scrub(name)[:255], content)
        problems = problems_with(upload)
        if problems:
            raise BadRequest("attachments: " + " ".join(problems))
        uploads.append(upload)
    return uploads
