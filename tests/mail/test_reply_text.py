"""reply_text: what a person wrote, without the quoted history and signature under it."""

import pytest

from tests.mail.messages import message
from tickets.mail.parse import REPLY_MARKER, parse


def reply_text(body, **headers):
    return parse(message(body, **headers)).reply_text


@pytest.mark.parametrize(
    "marker",
    [
        REPLY_MARKER,
        "--- REPLY ABOVE THIS LINE ---",
        "> -- Reply above this line --",
        "   reply above this line",
        "-- Reply  above this   line --",
    ],
    ids=["as-sent", "upper-case-more-dashes", "quoted", "indented-no-dashes", "extra-spaces"],
)
def test_the_reply_is_cut_at_the_marker_however_the_client_mangled_it(marker):
    body = f"Done, thanks.\n\n{marker}\n\nSam replied to ticket #123456:\nOld history"

    assert reply_text(body) == "Done, thanks."


def test_the_attribution_line_above_an_unquoted_marker_goes_with_the_history():
    body = (
        "Done.\n\nOn Mon, 2 Mar 2026, Helpdesk <support@helpdesk.example> wrote:\n"
        f"{REPLY_MARKER}\nHistory"
    )

    assert reply_text(body) == "Done."


def test_a_sentence_that_mentions_the_marker_is_not_a_cut():
    body = "You asked me to reply above this line, so here I am.\nSecond line."

    assert reply_text(body) == body


def test_trailing_quoted_lines_without_an_attribution_are_cut():
    assert reply_text("Answer\n\n> old question\n>\n> older") == "Answer"


def test_a_bottom_posted_answer_keeps_the_full_text():
    # Cutting at the attribution would leave nothing, so nothing is cut.
    body = "On Mon, Sam wrote:\n> Does it work now?\n\nYes, it does."

    assert reply_text(body) == body


def test_interleaved_answers_keep_the_full_text():
    body = "> Which floor?\nThe third.\n> Which printer?\nThe one by the kitchen."

    assert reply_text(body) == body


def test_an_all_quoted_message_keeps_the_full_text():
    assert reply_text("> only\n> quotes") == "> only\n> quotes"


def test_a_signature_is_cut_only_after_dash_dash_space():
    assert reply_text("Text\n-- \nAna Costa\nFinance") == "Text"
    assert reply_text("Text\n--\nnot a signature") == "Text\n--\nnot a signature"


def test_a_mail_that_is_all_signature_keeps_the_full_text():
    assert reply_text("-- \nAna Costa") == "-- \nAna Costa"


def test_a_german_outlook_header_block_is_cut():
    body = (
        "Danke!\n\n"
        "Von: Helpdesk <support@helpdesk.example>\n"
        "Gesendet: Montag, 2. März 2026 10:00\n"
        "An: Ana Costa\n\nAlter Text"
    )

    assert reply_text(body) == "Danke!"


def test_outlook_headers_in_a_forward_are_the_content_not_history():
    body = (
        "See below.\n\n________________________________\n"
        "From: Legal <legal@example.com>\nSent: Monday, March 2, 2026 10:00\n"
        "To: Ana Costa <ana.costa@example.com>\nSubject: Contract\n\nPlease sign the contract."
    )

    assert reply_text(body, Subject="FW: Contract") == body


def test_an_html_only_outlook_reply_is_cut_at_its_header_block():
    body = (
        "<div>Works now.</div><hr><div id='divRplyFwdMsg'><b>From:</b> Helpdesk<br>"
        "<b>Sent:</b> Monday, March 2, 2026 10:00<br><b>Subject:</b> [#123456] VPN</div>"
        "<div>Old answer</div>"
    )

    assert reply_text(body, Content_Type="text/html; charset=utf-8") == "Works now."
