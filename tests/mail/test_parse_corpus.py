"""What each message in tests/data/email becomes: one test per file, named for what it shows."""

import email
import email.policy
import hashlib
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tickets.mail.parse import REPLY_MARKER, Address, parse

CORPUS = Path(__file__).resolve().parent.parent / "data" / "email"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CET = timezone(timedelta(hours=1))


def raw(name):
    return (CORPUS / name).read_bytes()


def parsed(name):
    return parse(raw(name))


def attachment_summary(mail):
    return [
        (a.filename, a.content_type, len(a.content), a.content_id, a.is_inline)
        for a in mail.attachments
    ]


# The corpus itself


def test_every_corpus_message_has_a_test_of_its_own():
    source = Path(__file__).read_text()
    untested = [p.name for p in CORPUS.glob("*.eml") if f'"{p.name}"' not in source]

    assert untested == []


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.eml")), ids=lambda p: p.name)
def test_corpus_messages_are_small_and_carry_real_headers(path):
    data = path.read_bytes()
    msg = email.message_from_bytes(data, policy=email.policy.compat32)

    assert len(data) < 50_000
    assert msg["From"] and msg["Date"] and msg["To"]
    assert msg["MIME-Version"] or msg.get_content_type() == "text/plain"


def test_the_corpus_has_at_least_thirty_messages():
    assert len(list(CORPUS.glob("*.eml"))) >= 30


# Plain, HTML and both


def test_a_plain_text_request_keeps_its_headers_and_body_as_written():
    mail = parsed("plain-text.eml")

    assert mail.message_id == "20260302081402.GA12345@mail.example.com"
    assert mail.subject == "Printer on the 3rd floor jams on every job"
    assert mail.sender == Address("Maria Lopez", "maria.lopez@example.com")
    assert mail.to == (Address("", "support@helpdesk.example"),)
    assert mail.cc == () and mail.reply_to is None
    assert mail.date == datetime(2026, 3, 2, 8, 14, 2, tzinfo=UTC)
    assert mail.text.startswith("Hello,\n\nthe printer next to the kitchen on the 3rd floor")
    assert mail.text.endswith("Could someone have a look?\n\nThanks,\nMaria")
    assert mail.reply_text == mail.text
    assert mail.html is None
    assert mail.attachments == ()
    assert mail.auto is None and mail.ticket_number is None
    assert mail.in_reply_to == () and mail.references == ()
    assert mail.fingerprint == hashlib.sha256(raw("plain-text.eml")).hexdigest()
    assert mail.problems == ()


def test_an_html_only_message_gets_its_text_from_the_html():
    mail = parsed("html-only.eml")

    assert mail.text == (
        "Hi team,\n\n"
        "Since the update to version 4.2 the VPN client drops every 10 minutes.\n"
        "It happens on:\n\n"
        "- Windows 11 laptops\n"
        "- the macOS 14 MacBooks\n\n"
        "Logs are on the shared drive (https://files.example.com/vpn-logs) & I'm happy to help.\n\n"
        "Regards,\n"
        "Tom Becker"
    )
    assert "<b>VPN client</b>" in mail.html
    assert "Ignored title" not in mail.html and "<style" not in mail.html
    assert mail.sender == Address("Tom Becker", "tom.becker@example.org")
    assert mail.to == (Address("IT Support", "support@helpdesk.example"),)


def test_multipart_alternative_takes_text_from_the_plain_part_and_html_from_the_html_part():
    mail = parsed("multipart-alternative.eml")

    assert mail.text == (
        "Hi,\n\nOutlook asks for my password *every time* I open it since Friday.\n"
        "I already restarted the laptop twice.\n\nKind regards,\nLena"
    )
    assert "<strong>every time</strong>" in mail.html
    assert "dir=" not in mail.html
    assert mail.attachments == ()


def test_inline_images_of_a_related_part_are_inline_attachments_named_by_their_content_id():
    mail = parsed("inline-image-related.eml")

    assert mail.text.startswith("Here is what I see when I start the app:\n\n[Error dialog]")
    assert 'src="cid:screenshot-1@example.com"' in mail.html
    assert attachment_summary(mail) == [
        ("screenshot.png", "image/png", 85, "screenshot-1@example.com", True),
        ("image-2.gif", "image/gif", 48, "logo@example.com", True),
    ]
    assert mail.attachments[0].content.startswith(PNG_SIGNATURE)
    assert mail.attachments[1].content.startswith(b"GIF8")


def test_an_attached_pdf_and_photo_are_decoded_with_their_names_and_types():
    mail = parsed("attached-pdf-and-image.eml")

    assert attachment_summary(mail) == [
        ("quote-2026-031.pdf", "application/pdf", 218, None, False),
        ("IMG_2041.JPG", "image/jpeg", 644, None, False),
    ]
    assert mail.attachments[0].content.startswith(b"%PDF-1.4")
    assert mail.attachments[1].content.startswith(b"\xff\xd8\xff")
    assert mail.text == (
        "Hello,\n\nattached are the supplier's quote and a photo of the broken monitor.\n\n"
        "Procurement"
    )
    assert mail.to == (Address("support@helpdesk.example", "support@helpdesk.example"),)


def test_a_message_with_only_an_attachment_has_an_empty_body():
    mail = parsed("attachment-only.eml")

    assert mail.text == "" and mail.reply_text == "" and mail.html is None
    assert attachment_summary(mail) == [
        ("form-signed.pdf", "application/pdf", 218, "f_lm2x9k0a0", False)
    ]


# Charsets


def test_utf8_in_the_body_and_raw_in_the_subject_arrives_intact():
    mail = parsed("utf8.eml")

    assert mail.subject == "Zugang für neue Kollegin – Café-Team ☕"
    assert mail.sender == Address("Jürgen Müller", "juergen.mueller@example.de")
    assert "Zoë Łukasiewicz fängt am Montag an." in mail.text
    assert "Café-Kassensystem ein. 🙏" in mail.text
    assert mail.problems == ()


def test_iso_8859_1_is_read_as_windows_1252_so_its_curly_quotes_survive():
    mail = parsed("iso-8859-1.eml")

    assert mail.subject == "Passwort zurücksetzen geht nicht"
    assert mail.sender == Address("Sören Åberg", "soeren.aaberg@example.de")
    assert "Die Seite zeigt nur „Fehler 500“." in mail.text
    assert mail.text.endswith("Mit freundlichen Grüßen\nSören Åberg")
    assert mail.problems == ()


def test_windows_1252_smart_quotes_dashes_and_euro_signs_arrive_intact():
    mail = parsed("windows-1252.eml")

    assert "the invoice says “€ 1,250.00” — but we agreed on €1,100…" in mail.text
    assert mail.text.endswith("Nora O’Brien")
    assert mail.sender == Address("Nora O'Brien", "nora.obrien@example.ie")


def test_shift_jis_with_windows_extensions_is_read_in_full():
    mail = parsed("shift-jis.eml")

    assert mail.subject == "請求書システムにログインできません"
    assert mail.sender == Address("山田 花子", "hanako.yamada@example.co.jp")
    assert "①パスワード入力後に画面が白くなります。" in mail.text
    assert mail.problems == ()


def test_koi8_r_body_and_encoded_subject_are_read_as_russian():
    mail = parsed("koi8-r.eml")

    assert mail.subject == "Не работает принтер"
    assert mail.sender == Address("Иван Петров", "ivan.petrov@example.ru")
    assert "Не работает принтер в кабинете 305." in mail.text


def test_iso_2022_jp_body_and_subject_are_read_as_japanese():
    mail = parsed("iso-2022-jp.eml")

    assert mail.subject == "会議室Bのプロジェクター"
    assert mail.sender == Address("佐藤 健", "ken.sato@example.jp")
    assert (
        mail.text
        == "サポート各位\n\n会議室Bのプロジェクターが映りません。\n至急確認をお願いします。\n\n佐藤"
    )
    assert mail.date == datetime(2026, 3, 5, 4, 45, 12, tzinfo=UTC)


def test_b_and_q_encoded_words_in_several_charsets_make_one_subject():
    # The last two words split "é" between them, as some mailers do.
    mail = parsed("encoded-word-subject.eml")

    assert mail.subject == "[Action required] Réunion annulée for the café team"
    assert mail.sender == Address("Renée Faure", "renee.faure@example.fr")


def test_latin_1_bytes_declared_as_utf8_are_read_as_windows_1252_with_a_note():
    mail = parsed("wrong-charset-latin1-as-utf8.eml")

    assert mail.text == (
        "Grüß Gott,\n\nder Drucker im Erdgeschoß druckt nur noch leere Seiten.\n\nFranz Huber"
    )
    assert mail.problems == (
        "text/plain part: the bytes are not valid utf-8; decoded as Windows-1252.",
    )


def test_an_unknown_charset_label_falls_back_to_utf8_with_a_note():
    mail = parsed("unknown-charset.eml")

    assert mail.text.startswith("Olá, não consigo aceder ao portal desde ontem.")
    assert mail.subject == "Não consigo aceder ao portal"
    assert mail.problems == ("text/plain part: unknown charset 'utf8x'; decoded as UTF-8.",)


# Replies and their quoted history


def test_a_reply_names_its_ticket_entry_and_loses_the_wrapped_on_wrote_history():
    mail = parsed("reply-on-wrote.eml")

    assert mail.in_reply_to == ("ticket-123456.entry-42@helpdesk.example",)
    assert mail.references == (
        "ticket-123456@helpdesk.example",
        "ticket-123456.entry-42@helpdesk.example",
    )
    assert mail.ticket_number == "123456"
    assert mail.reply_text == (
        "Hi Sam,\n\ntray 2 is empty now and it still jams. I switched it off and on\n"
        "again, no change.\n\nMaria"
    )
    assert "> please take all paper out of tray 2 and try again." in mail.text


def test_a_reply_is_cut_at_the_reply_marker():
    mail = parsed("reply-above-marker.eml")

    assert REPLY_MARKER in mail.text
    assert mail.reply_text == "Yes, that fixed it. You can close the ticket.\n\nThanks!\nTom"
    assert mail.in_reply_to == ("ticket-123457.entry-7@helpdesk.example",)
    assert mail.references == (
        "ticket-123457@helpdesk.example",
        "ticket-123457.entry-7@helpdesk.example",
    )


def test_a_reply_with_only_the_subject_token_has_a_ticket_number_but_no_thread_ids():
    mail = parsed("reply-subject-token-only.eml")

    assert mail.ticket_number == "123456"
    assert mail.in_reply_to == () and mail.references == ()
    # format=flowed with DelSp: the soft line break is joined without its space.
    assert mail.text == (
        "The technician was here, the printer works again. Thank you for the quick help!\n\nMaria"
    )


def test_a_collaborator_reply_has_its_own_sender_and_cc_the_requester():
    mail = parsed("reply-from-collaborator.eml")

    assert mail.sender == Address("Priya Nair", "priya.nair@example.com")
    assert mail.cc == (Address("Maria Lopez", "maria.lopez@example.com"),)
    assert mail.in_reply_to == ("ticket-123456.entry-43@helpdesk.example",)
    assert mail.reply_text == (
        "I'm Maria's team lead: the same printer also jams for me, so it is not her account. "
        "Please treat this as urgent, we print shipping labels on it.\n\nPriya"
    )


def test_an_agents_reply_by_mail_is_cut_at_the_quote():
    mail = parsed("reply-from-agent.eml")

    assert mail.sender == Address("John Miller", "john@example.com")
    assert mail.in_reply_to == ("ticket-123456.entry-42@helpdesk.example",)
    assert mail.reply_text == (
        "I checked the printer on my way out: the fuser unit is worn. Ordering\n"
        "a new one from the vendor.\n\nJohn"
    )


def test_a_strangers_reply_names_the_ticket_like_anyone_elses():
    mail = parsed("reply-from-stranger.eml")

    assert mail.sender == Address("Rick Stone", "rick.stone@outsider.example")
    assert mail.in_reply_to == ("ticket-123456.entry-42@helpdesk.example",)
    assert mail.ticket_number == "123456"
    assert mail.auto is None


def test_an_outlook_reply_is_cut_at_original_message_and_is_no_auto_reply():
    # Outlook sets X-Auto-Response-Suppress on every message, not only on auto-replies.
    mail = parsed("outlook-original-message.eml")

    assert mail.reply_text == (
        "Hi,\n\nthe new laptop arrived, thanks. Can you also set up the docking station?\n\n"
        "Best regards\nAhmed"
    )
    assert mail.auto is None
    assert mail.to == (Address("Helpdesk", "support@helpdesk.example"),)
    assert mail.ticket_number == "123458"


def test_an_outlook_reply_is_cut_above_its_from_and_sent_header_block():
    mail = parsed("outlook-header-block.eml")

    assert mail.reply_text == "Thanks, the mailbox works now.\n\nGreta"
    assert "Sent: Wednesday, March 4, 2026 09:40" in mail.text
    assert "<b>From:</b>" in mail.html


def test_a_german_reply_is_cut_at_am_schrieb_wrapped_over_two_lines():
    mail = parsed("german-schrieb.eml")

    assert mail.reply_text == (
        "Hallo Sam,\n\ndanke, jetzt funktioniert der Drucker wieder.\n\nViele Grüße\nFranz"
    )
    assert mail.ticket_number == "123462"


def test_an_html_only_reply_is_cut_at_its_quoted_blockquote():
    mail = parsed("html-reply-gmail.eml")

    assert mail.reply_text == "It works again after the restart, thank you!\n\nLena"
    assert mail.text.endswith(
        "On Tue, 3 Mar 2026 at 11:20, Helpdesk <support@helpdesk.example> wrote:\n\n"
        "> Hello Lena,\n> please restart Outlook once more."
    )


def test_a_flowed_thunderbird_reply_is_unwrapped_and_cut_at_on_wrote():
    mail = parsed("thunderbird-flowed.eml")

    assert mail.reply_text == (
        "I removed the account and added it again as you suggested, and now the calendar "
        "syncs within a minute. Thanks for the help, you can close this ticket.\n\nKai"
    )
    assert mail.text.endswith(
        "> Please remove the Exchange account from the phone and add it again; "
        "this resets the sync state."
    )


def test_a_signature_after_dash_dash_space_is_left_out_of_the_reply_text():
    mail = parsed("signature.eml")

    assert (
        mail.reply_text == "The badge reader at the side entrance rejects every badge since noon."
    )
    assert mail.text.endswith("-- \nJane Smith\nHead of Facilities\n+44 20 7946 0000")


# Forwards


def test_a_forward_attached_as_a_message_is_an_eml_attachment_not_our_body():
    mail = parsed("forwarded-attached.eml")

    assert mail.text == (
        "FYI, see the attached mail from our supplier. The new docking stations for the "
        "onboarding next week will be late."
    )
    assert [(a.filename, a.content_type) for a in mail.attachments] == [
        ("Shipment for order 88412 is delayed.eml", "message/rfc822")
    ]
    forwarded = parse(mail.attachments[0].content)
    assert forwarded.subject == "Shipment for order 88412 is delayed"
    assert forwarded.sender == Address("Dispatch", "dispatch@supplier.example")
    assert "delayed by one week" in forwarded.text
    assert "delayed by one week" not in mail.text


def test_an_inline_forward_keeps_the_forwarded_message_in_the_reply_text():
    mail = parsed("forwarded-inline.eml")

    assert mail.subject == "Fwd: Invoice 2026-0113 overdue"
    assert mail.reply_text == mail.text
    assert "---------- Forwarded message ---------\nFrom: Accounts" in mail.reply_text
    assert mail.reply_text.endswith("Please pay within 7 days.\n\nAccounts Receivable")


# Auto-replies, bounces and lists


def test_an_auto_submitted_reply_is_an_auto_reply():
    mail = parsed("auto-submitted.eml")

    assert mail.auto == "auto_reply"
    assert mail.ticket_number == "123456"
    assert mail.bounced == ()


def test_an_outlook_out_of_office_is_an_auto_reply():
    mail = parsed("outlook-out-of-office.eml")

    assert mail.auto == "auto_reply"
    assert mail.subject == "Automatic reply: [#123457] VPN client drops every 10 minutes"
    assert mail.text == (
        "I am on leave until Monday 9 March. For urgent matters please contact "
        "servicedesk@example.nl."
    )


def test_a_vacation_message_told_only_by_its_subject_is_an_auto_reply():
    data = raw("vacation-subject-only.eml")
    assert not re.search(rb"(?im)^(auto-submitted|x-auto|precedence)", data)

    assert parse(data).auto == "auto_reply"


def test_a_delivery_status_report_is_a_bounce_listing_the_failed_recipients():
    mail = parsed("bounce-dsn.eml")

    assert mail.auto == "bounce"
    # Domains lower-cased; the delayed recipient is not a failure.
    assert mail.bounced == ("old.user@example.com", "J.Doe@example.org")
    assert mail.sender == Address("Mail Delivery System", "MAILER-DAEMON@mx.helpdesk.example")
    assert mail.text.startswith("This is the mail system at host mx.helpdesk.example.")
    assert "Reporting-MTA" not in mail.text and "[#123460]" not in mail.text
    assert mail.attachments == ()


def test_a_mailer_daemon_failure_without_a_report_is_a_bounce_from_x_failed_recipients():
    mail = parsed("exim-bounce.eml")

    assert mail.auto == "bounce"
    assert mail.bounced == ("gone@example.net",)


def test_a_mailing_list_message_is_bulk():
    mail = parsed("mailing-list.eml")

    assert mail.auto == "bulk"
    assert mail.subject == "[it-announce] Planned maintenance on Saturday"


# Headers


def test_a_message_without_message_id_is_identified_by_its_fingerprint():
    mail = parsed("no-message-id.eml")

    assert mail.message_id is None
    assert mail.fingerprint == hashlib.sha256(raw("no-message-id.eml")).hexdigest()
    assert mail.problems == (
        "No Message-ID; the fingerprint of the raw bytes identifies this mail.",
    )
    assert mail.sender == Address("", "backup@nas01.example.com")


def test_reply_to_is_kept_apart_from_from():
    mail = parsed("reply-to-differs.eml")

    assert mail.sender == Address("Website contact form", "noreply@forms.example.com")
    assert mail.reply_to == Address("Linda Park", "Linda.Park@example.com")


def test_all_to_and_cc_addresses_are_listed_including_ours_and_group_members():
    mail = parsed("many-recipients.eml")

    assert mail.to == (
        Address("", "support@helpdesk.example"),
        Address("Nguyen, An", "an.nguyen@example.com"),
        Address("Björn Ström", "bjorn.strom@example.org"),
    )
    assert mail.cc == (
        Address("", "it-lead@example.com"),
        Address("Ops", "OPS@example.com"),
        Address("Helpdesk", "Support@helpdesk.example"),
    )
    assert mail.date == datetime(2026, 3, 4, 16, 0, tzinfo=CET)


# Broken MIME


def test_a_boundary_that_never_appears_is_found_in_the_body_with_a_note():
    mail = parsed("boundary-never-appears.eml")

    assert mail.text == (
        "Please set the scanner to send PDFs to my new address. Current settings attached.\n\nGreta"
    )
    assert attachment_summary(mail) == [("settings.png", "image/png", 85, None, False)]
    assert mail.attachments[0].content.startswith(PNG_SIGNATURE)
    assert any("never appears" in note for note in mail.problems)


def test_a_missing_closing_boundary_keeps_every_part_with_a_note():
    mail = parsed("missing-closing-boundary.eml")

    assert mail.text == "The scanner log is attached."
    assert [(a.filename, a.content_type) for a in mail.attachments] == [
        ("scanner.log", "text/plain")
    ]
    assert mail.attachments[0].content.endswith(b"AUTH failed (535)")
    assert any("CloseBoundaryNotFoundDefect" in note for note in mail.problems)


def test_broken_base64_is_decoded_leniently_with_a_note():
    mail = parsed("broken-base64.eml")
    intact = parsed("inline-image-related.eml").attachments[0].content  # the same image

    assert [a.filename for a in mail.attachments] == ["error.png"]
    assert mail.attachments[0].content == intact
    assert any("broken base64" in note for note in mail.problems)


# Attachment names


def test_rfc_2231_and_encoded_word_file_names_are_decoded():
    mail = parsed("rfc2231-filename.eml")

    assert [a.filename for a in mail.attachments] == [
        "Rechnung März 2026 – €.pdf",
        "Übersicht Quartal 1.xlsx",
        "Kostenställen.csv",
    ]
    assert mail.attachments[2].content == b"Kostenstelle;Betrag\n4711;120,00\n"


def test_file_names_lose_paths_and_direction_tricks_and_empty_ones_get_a_name():
    mail = parsed("path-in-filename.eml")

    assert [a.filename for a in mail.attachments] == [
        "passwd",
        "notes.txt",
        "invoicefdp.exe",  # a right-to-left override made it read "invoiceexe.pdf"
        "attachment-4.bin",
    ]
    assert mail.attachments[0].content == b"root:x:0:0:root:/root:/bin/bash\n"


# Hostile HTML


def test_script_laden_html_is_sanitised_and_its_text_has_no_code():
    mail = parsed("script-laden-html.eml")

    html = mail.html.lower()
    for gone in (
        "<script",
        "alert(",
        "onerror",
        "onload",
        "javascript:",
        "<style",
        "<iframe",
        "<form",
        "<meta",
        "<base",
        "data:text/html",
        "position:fixed",
        'href="/staff',
    ):
        assert gone not in html
    assert "<p>Real question: how do I reset my PIN?</p>" in mail.html
    assert "Real question: how do I reset my PIN?" in mail.text
    for gone in ("alert", "document.cookie", "iframe fallback", "Win"):
        assert gone not in mail.text
