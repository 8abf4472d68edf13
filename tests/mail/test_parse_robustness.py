"""parse() on any bytes: a safe ParsedMail or UnparseableMail, never another exception.

Hypothesis throws random bytes, mangled corpus messages and random MIME skeletons at it,
and every result is checked for the promises the rest of the helpdesk relies on.
"""

import base64
import hashlib
import os
import re
import time
import tracemalloc
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickets.mail.parse import ParsedMail, UnparseableMail, parse

CORPUS = sorted((Path(__file__).resolve().parent.parent / "data" / "email").glob("*.eml"))
CORPUS_BYTES = [path.read_bytes() for path in CORPUS]
FUZZ = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def parse_or_refuse(data: bytes) -> ParsedMail | None:
    try:
        mail = parse(data)
    except UnparseableMail:
        return None
    assert_safe(mail, data)
    return mail


def assert_safe(mail: ParsedMail, data: bytes) -> None:
    """The promises ParsedMail makes, whatever the input was."""
    texts = [mail.subject, mail.text, mail.reply_text, mail.html or ""]
    texts += [mail.message_id or "", *mail.in_reply_to, *mail.references, *mail.problems]
    addresses = [a for a in (mail.sender, mail.reply_to, *mail.to, *mail.cc) if a]
    texts += [part for a in addresses for part in (a.name, a.email)]
    texts += [a.filename for a in mail.attachments]
    for text in texts:
        assert isinstance(text, str)
        assert "\x00" not in text
        text.encode("utf-8")  # no lone surrogates: databases and templates refuse them

    assert "\n" not in mail.subject and "\r" not in mail.subject
    for address in addresses:
        local, _, domain = address.email.rpartition("@")
        assert local and domain and domain == domain.lower()
    for attachment in mail.attachments:
        assert attachment.filename and attachment.filename.strip() == attachment.filename
        assert not re.search(r"[/\\\x00-\x1f\x7f]", attachment.filename)
        assert not attachment.filename.startswith(".")
        assert isinstance(attachment.content, bytes)
        assert re.fullmatch(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+", attachment.content_type)
    if mail.html is not None:
        assert_harmless(mail.html)
    if mail.text:
        assert mail.reply_text
    assert mail.date is None or mail.date.tzinfo is not None
    assert mail.ticket_number is None or re.fullmatch(r"\d{4,12}", mail.ticket_number)
    assert mail.auto in (None, "auto_reply", "bounce", "bulk")
    assert not mail.bounced or mail.auto == "bounce"
    assert mail.fingerprint == hashlib.sha256(data).hexdigest()


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))


def assert_harmless(html: str) -> None:
    """No element or attribute that runs code; text that merely mentions them is fine."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.elements:
        assert tag not in ("script", "style", "iframe", "object", "embed", "base", "meta", "form")
        for name, value in attrs:
            assert not name.startswith("on")
            assert name != "style"
            url = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            assert not url.startswith(("javascript:", "data:", "vbscript:"))


def test_every_corpus_message_keeps_the_promises():
    for data in CORPUS_BYTES:
        assert parse_or_refuse(data) is not None


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise_anything_but_unparseable_mail(data):
    parse_or_refuse(data)


@st.composite
def mangled_corpus_messages(draw):
    data = bytearray(draw(st.sampled_from(CORPUS_BYTES)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        change = draw(st.sampled_from(["flip", "insert", "delete", "repeat", "truncate"]))
        if change == "flip" and at < len(data):
            data[at] ^= draw(st.integers(1, 255))
        elif change == "insert":
            data[at:at] = draw(st.sampled_from([*FRAGMENTS, b"\x00", b"\xff\xfe", b"\r"]))
        elif change == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        elif change == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 400))] * draw(st.integers(2, 5))
        else:
            del data[at:]
    return bytes(data)


@FUZZ
@given(mangled_corpus_messages())
def test_mangled_corpus_messages_never_raise_anything_but_unparseable_mail(data):
    parse_or_refuse(data)


# Pieces of headers and MIME structure, so random messages reach the deeper code paths.
FRAGMENTS = [
    b"From: Ana <ana@example.com>\n",
    b"From: =?utf-8?b?w6k=?= <@>\n",
    b'To: a@b, "c, d" <e@F.G>, group: h@i;,\n',
    b"Subject: =?utf-8?q?caf=C3=A9?= =?iso-8859-1?b?6Q==?= [#123456]\n",
    b"Subject: =?unknown?x?broken\n",
    b"Date: Mon, 2 Mar 2026 09:00:00 +0100\n",
    b"Date: 99 Foo 99999 99:99:99 +9999\n",
    b"Message-ID: <a@b>\nReferences: <c@d> e@f\nIn-Reply-To: <>\n",
    b"MIME-Version: 1.0\n",
    b"Content-Type: multipart/mixed; boundary=x\n",
    b'Content-Type: multipart/alternative; boundary="x"\n',
    b'Content-Type: multipart/related; boundary=x; start="<r@x>"\n',
    b"Content-Type: multipart/report; report-type=delivery-status; boundary=x\n",
    b"Content-Type: message/rfc822\n",
    b"Content-Type: message/delivery-status\n",
    b"Content-Type: text/plain; charset=utf8x; format=flowed; delsp=yes\n",
    b"Content-Type: text/html; charset=shift_jis\n",
    b"Content-Type: text/plain; charset*=utf-8''%E2%82%AC\n",
    b'Content-Type: image/png; name="../x.png"\n',
    b"Content-Transfer-Encoding: base64\n",
    b"Content-Transfer-Encoding: quoted-printable\n",
    b"Content-Transfer-Encoding: x-uuencode\n",
    b"Content-Disposition: attachment; filename*0*=utf-8''%C3; filename*1=x\n",
    b"Content-Disposition: inline\n",
    b"Content-ID: <r@x>\n",
    b"Auto-Submitted: auto-replied\nPrecedence: bulk\n",
    b"Final-Recipient: rfc822; a@B\nAction: failed\n",
    b"\n",
    b"\r\n",
    b" folded continuation\n",
    b"--x\n",
    b"--x--\n",
    b"--y\nContent-Type: text/plain\n",
    b"begin 644 f\n#0V%T\n`\nend\n",
    b"aGVsbG8gd29ybGQ=\n",
    b"=C3=A9=\n",
    b"<html><body><p onclick=x>Hi<script>alert(1)</script><a href=javascript:x>y</a>",
    b"<![foo[x]]><blockquote>On Mon, Sam wrote:",
    b"> quoted line\n",
    b"-- Reply above this line --\n",
    b"-- \nsignature\n",
    b"On Mon, 2 Mar 2026, Sam <s@x>\nwrote:\n",
    b"\xc3\xa9\xe9\x80\x81\xff",
]


@FUZZ
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=40).map(b"".join))
def test_random_mime_skeletons_never_raise_anything_but_unparseable_mail(data):
    parse_or_refuse(data)


def test_a_25_mb_message_parses_in_bounded_time_and_memory():
    content = os.urandom(18 * 1024 * 1024)
    encoded = base64.encodebytes(content).replace(b"\n", b"\r\n")
    data = (
        b"From: Ana Costa <ana.costa@example.com>\r\nTo: support@helpdesk.example\r\n"
        b"Subject: Disk image\r\nMessage-ID: <big@example.com>\r\n"
        b"Date: Mon, 2 Mar 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: text/plain\r\n\r\nThe image is attached.\r\n"
        b"--b\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Disposition: attachment; filename=disk.img\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + encoded + b"--b--\r\n"
    )
    assert len(data) > 24_000_000

    tracemalloc.start()
    started = time.perf_counter()
    try:
        mail = parse(data)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert mail.text == "The image is attached."
    assert [a.filename for a in mail.attachments] == ["disk.img"]
    assert mail.attachments[0].content == content
    # About a second here; quadratic string building would take minutes.
    assert elapsed < 30
    # The standard library's parser alone peaks near 8 times the input; a copy per part
    # or per line on our side would show.
    assert peak < 12 * len(data)
