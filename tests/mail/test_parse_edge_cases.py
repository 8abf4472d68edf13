"""Odd but real input: what parse() makes of it, and the problems it reports."""

import base64
import os
import quopri
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from tests.mail.messages import message
from tickets.mail.parse import Address, UnparseableMail, parse


@pytest.mark.parametrize(
    "data",
    [b"", b"   \r\n\r\n  ", b"\xef\xbb\xbf", b"just some words, no header\n", b"\x00\xff\xfe\x01"],
    ids=["empty", "blank-lines", "byte-order-mark", "words", "binary"],
)
def test_input_without_any_header_is_not_mail(data):
    with pytest.raises(UnparseableMail):
        parse(data)


def test_headers_without_a_body_are_mail():
    mail = parse(b"From: ana.costa@example.com\nSubject: (no text)\n")

    assert mail.subject == "(no text)"
    assert mail.text == "" and mail.reply_text == ""


def test_decoded_text_is_refused_as_a_programming_error():
    with pytest.raises(TypeError):
        parse("From: ana.costa@example.com\n\nhi")


def test_a_byte_order_mark_and_blank_lines_before_the_headers_are_skipped():
    mail = parse(b"\xef\xbb\xbf\r\n\r\n" + message("Body"))

    assert mail.subject == "Help" and mail.text == "Body"


def test_bytearray_and_memoryview_are_accepted():
    assert parse(bytearray(message("Body"))).text == "Body"
    assert parse(memoryview(message("Body"))).text == "Body"


def test_a_date_without_a_time_zone_is_taken_as_utc_with_a_note():
    mail = parse(message(Date="Mon, 2 Mar 2026 09:00:00 -0000"))

    assert mail.date == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert "Date header has no time zone; taken as UTC." in mail.problems


def test_a_date_that_is_no_date_is_left_empty_with_a_note():
    mail = parse(message(Date="sometime last week"))

    assert mail.date is None
    assert any(note.startswith("Date header 'sometime last week'") for note in mail.problems)


def test_message_ids_without_brackets_or_with_repeats_are_still_read():
    mail = parse(
        message(
            Message_ID="  bare-id@example.com ",
            In_Reply_To="<a@example.com> (from Ana)",
            References="a@example.com b@example.com a@example.com",
        )
    )

    assert mail.message_id == "bare-id@example.com"
    assert mail.in_reply_to == ("a@example.com",)
    assert mail.references == ("a@example.com", "b@example.com")


def test_an_empty_message_id_is_none():
    assert parse(message(Message_ID="<>")).message_id is None


@pytest.mark.parametrize(
    ("subject", "number"),
    [
        ("Re: [#123456] Printer", "123456"),
        ("[#1234] short", "1234"),
        ("[#123456789012] long", "123456789012"),
        ("[#123] too short", None),
        ("[#1234567890123] too long", None),
        ("#123456 without brackets", None),
        ("Re: [#111111] and [#222222]", "111111"),
    ],
)
def test_the_ticket_number_comes_from_a_bracketed_token_of_4_to_12_digits(subject, number):
    assert parse(message(Subject=subject)).ticket_number == number


def test_an_encoded_word_in_an_unknown_charset_is_read_as_utf8_with_a_note():
    mail = parse(message(Subject="=?x-unknown?Q?caf=C3=A9?= menu"))

    assert mail.subject == "café menu"
    assert "Subject header: unknown charset 'x-unknown'; decoded as UTF-8." in mail.problems


def test_raw_windows_1252_bytes_in_a_header_are_read_with_a_note():
    data = message().replace(b"Subject: Help", b"Subject: Caf\xe9 \x80 5")

    mail = parse(data)

    assert mail.subject == "Café € 5"
    assert any("Subject header" in note and "Windows-1252" in note for note in mail.problems)


def test_8bit_text_without_a_charset_is_read_as_utf8():
    mail = parse(message("Grüße".encode(), Content_Type="text/plain"))

    assert mail.text == "Grüße"


def test_mostly_utf8_text_with_one_bad_byte_keeps_its_utf8():
    body = "Grüße aus Köln – ".encode() + b"caf\xe9"

    mail = parse(message(body))

    assert mail.text == "Grüße aus Köln – caf\ufffd"
    assert any("UTF-8 with the invalid bytes replaced" in note for note in mail.problems)


def test_nul_characters_are_removed_from_text():
    mail = parse(message(b"a\x00b", Subject="x\x00y"))

    assert mail.text == "ab"
    assert mail.subject == "xy"


def test_a_missing_from_gives_no_sender_and_a_note():
    mail = parse(message(From=None))

    assert mail.sender is None
    assert "No usable From address." in mail.problems


def test_a_malformed_address_list_is_read_leniently_with_a_note():
    mail = parse(message(To="ana@example.com@bad, <bo@Example.com"))

    assert mail.to == (Address("", "bo@example.com"),)
    assert "To header is malformed; its addresses were read leniently." in mail.problems


def test_outlook_quotes_around_display_names_are_removed():
    assert parse(message(From="'Ana Costa' <ana.costa@example.com>")).sender == Address(
        "Ana Costa", "ana.costa@example.com"
    )


def test_mail_nested_too_deeply_for_the_mail_library_is_split_by_hand():
    nesting = "".join(
        f"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n" for i in range(2000)
    )
    data = b"From: ana.costa@example.com\nSubject: Deep\n" + nesting.encode() + b"\nhi\n"

    mail = parse(data)

    assert mail.subject == "Deep"
    assert mail.text.endswith("hi")
    assert any("split the mail by hand" in note for note in mail.problems)


def test_html_nested_too_deeply_to_sanitise_is_kept_as_text_with_a_note():
    mail = parse(message("<div>" * 30_000 + "deep text", Content_Type="text/html"))

    assert mail.html == "<div>deep text</div>"
    assert mail.text == "deep text"
    assert any("nested too deeply" in note for note in mail.problems)


def alternative(*parts):
    body = "".join(f"--alt\n{part}\n" for part in parts) + "--alt--\n"
    return message(body, Content_Type="multipart/alternative; boundary=alt")


def test_a_calendar_invitation_beside_the_text_is_kept_as_an_attachment():
    data = alternative(
        "Content-Type: text/plain\n\nTeam meeting",
        "Content-Type: text/html\n\n<p>Team meeting</p>",
        "Content-Type: text/calendar; method=REQUEST\n\nBEGIN:VCALENDAR\nEND:VCALENDAR",
    )

    mail = parse(data)

    assert mail.text == "Team meeting" and mail.html == "<p>Team meeting</p>"
    assert [(a.filename, a.content_type) for a in mail.attachments] == [
        ("attachment-1.ics", "text/calendar")
    ]


def test_other_renderings_of_the_body_are_neither_text_nor_attachments():
    data = alternative(
        "Content-Type: text/plain\n\nShort version",
        "Content-Type: text/watch-html\n\n<b>Watch</b>",
        "Content-Type: text/html\n\n<p>Rich version</p>",
    )

    mail = parse(data)

    assert mail.text == "Short version" and mail.html == "<p>Rich version</p>"
    assert mail.attachments == ()


def test_text_parts_on_both_sides_of_an_inline_image_are_joined():
    body = (
        "--m\nContent-Type: text/plain\n\nHere is the photo:\n"
        "--m\nContent-Type: image/png\nContent-Disposition: inline; filename=photo.png\n"
        "Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
        "--m\nContent-Type: text/plain\n\nThanks!\n--m--\n"
    )

    mail = parse(message(body, Content_Type="multipart/mixed; boundary=m"))

    assert mail.text == "Here is the photo:\n\nThanks!"
    assert [(a.filename, a.is_inline) for a in mail.attachments] == [("photo.png", True)]
    assert mail.attachments[0].content == b"\x89PNG\r\n\x1a\n"


def test_an_html_part_beside_a_plain_part_in_mixed_mail_keeps_both_in_html():
    body = (
        "--m\nContent-Type: text/html\n\n<p>Main <b>text</b></p>\n"
        "--m\nContent-Type: text/plain\n\nList footer <unsubscribe>\n--m--\n"
    )

    mail = parse(message(body, Content_Type="multipart/mixed; boundary=m"))

    assert mail.text == "Main text\n\nList footer <unsubscribe>"
    assert mail.html == "<p>Main <b>text</b></p><div>List footer &lt;unsubscribe&gt;</div>"


def test_a_pgp_signature_is_kept_as_an_attachment_beside_the_signed_text():
    body = (
        "--s\nContent-Type: text/plain\n\nSigned text\n"
        "--s\nContent-Type: application/pgp-signature; name=signature.asc\n\n"
        "-----BEGIN PGP SIGNATURE-----\n--s--\n"
    )

    mail = parse(message(body, Content_Type="multipart/signed; boundary=s"))

    assert mail.text == "Signed text"
    assert [a.filename for a in mail.attachments] == ["signature.asc"]


def test_a_forwarded_message_without_a_subject_gets_a_generated_name():
    body = (
        "--m\nContent-Type: text/plain\n\nSee attached\n"
        "--m\nContent-Type: message/rfc822\n\nFrom: x@example.com\n\nInner text\n--m--\n"
    )

    mail = parse(message(body, Content_Type="multipart/mixed; boundary=m"))

    assert [a.filename for a in mail.attachments] == ["attachment-1.eml"]
    assert parse(mail.attachments[0].content).text == "Inner text"


def test_an_empty_plain_part_beside_html_takes_the_text_from_the_html():
    data = alternative(
        "Content-Type: text/plain\n\n \n",
        "Content-Type: text/html\n\n<p>Only the <b>HTML</b> says it</p>",
    )

    assert parse(data).text == "Only the HTML says it"


def test_slashes_in_a_forwarded_subject_do_not_shorten_its_file_name():
    body = (
        "--m\nContent-Type: message/rfc822\n\n"
        "From: x@example.com\nSubject: Invoice 1/2 for 03/2026\n\nInner\n--m--\n"
    )

    mail = parse(message(body, Content_Type="multipart/mixed; boundary=m"))

    assert [a.filename for a in mail.attachments] == ["Invoice 1-2 for 03-2026.eml"]


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [("base64", base64.encodebytes), ("quoted-printable", quopri.encodestring)],
)
def test_a_transfer_encoded_forwarded_message_is_decoded(encoding, encode):
    inner = b"From: x@example.com\nSubject: =?utf-8?q?=C3=9Cbergabe?=\n\nInner text\n"
    body = (
        b"--m\nContent-Type: text/plain\n\nSee attached\n"
        b"--m\nContent-Type: message/rfc822\nContent-Transfer-Encoding: "
        + encoding.encode()
        + b"\n\n"
        + encode(inner)
        + b"--m--\n"
    )

    mail = parse(message(body, Content_Type="multipart/mixed; boundary=m"))

    assert [a.filename for a in mail.attachments] == ["Übergabe.eml"]
    assert parse(mail.attachments[0].content).text == "Inner text"
    assert f"An attached message is {encoding}-encoded; decoded." in mail.problems


def test_the_parser_imports_without_django_or_other_project_modules():
    # Pipes, pollers and the API call it; it must not need settings or apps loaded.
    code = (
        "import sys, tickets.mail.parse\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in "
        "('django', 'accounts', 'sla', 'helpdesk') or m.startswith('tickets.') "
        "and not m.startswith('tickets.mail')]\n"
        "print(loaded)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}

    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )

    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("declared", "read_as"),
    [
        ('"text/plain; charset="utf-8"', "text/plain"),
        ("text/plain folded continuation", "text/plain"),
        ("/", "text/plain"),
    ],
)
def test_a_mangled_content_type_is_cleaned_up_with_a_note(declared, read_as):
    mail = parse(message("Body", Content_Type=declared))

    assert mail.text == "Body"
    assert any(
        note.startswith("Content-Type ") and note.endswith(f"; read as {read_as}.")
        for note in mail.problems
    )


def test_encrypted_mail_keeps_its_parts_as_attachments_with_a_note():
    body = (
        "--e\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n"
        "--e\nContent-Type: application/octet-stream; name=encrypted.asc\n\n"
        "-----BEGIN PGP MESSAGE-----\n--e--\n"
    )

    mail = parse(message(body, Content_Type="multipart/encrypted; boundary=e"))

    assert mail.text == ""
    assert [a.filename for a in mail.attachments] == ["attachment-1.bin", "encrypted.asc"]
    assert "The mail is encrypted; its parts are kept as attachments." in mail.problems


def test_parts_nested_deeper_than_the_limit_are_skipped_with_a_note():
    nesting = "".join(
        f"--b{i}\nContent-Type: multipart/mixed; boundary=b{i + 1}\n\n" for i in range(60)
    )
    body = nesting + "--b60\nContent-Type: text/plain\n\nToo deep\n"

    mail = parse(message(body, Content_Type="multipart/mixed; boundary=b0"))

    assert mail.text == ""
    assert "MIME parts nested deeper than 40 levels were skipped." in mail.problems
