"""auto: mail no person wrote (auto-replies, bounces, lists) is told from mail people write."""

import pytest

from tests.mail.messages import message
from tickets.mail.parse import parse


def auto(body="Hello", **headers):
    return parse(message(body, **headers)).auto


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: Printer",
        "Out of the office until Monday",
        "Automatic reply: [#123456] Printer",
        "Automated reply",
        "Auto: Printer",
        "Autoreply: Printer",
        "Auto-Reply: Printer",
        "Abwesenheitsnotiz: Drucker",
        "Automatische Antwort: Drucker",
        "Réponse automatique : Imprimante",
        "Vacation reply",
        "Vacation: back on Monday",
    ],
)
def test_auto_reply_subjects_make_an_auto_reply(subject):
    assert auto(Subject=subject) == "auto_reply"


@pytest.mark.parametrize(
    "subject",
    [
        "Vacation request form is broken",
        "Automatic replies do not work in my mailbox",
        "Re: Autopilot enrolment",
        "Undeliverable: the monitor never arrived",
    ],
)
def test_subjects_that_only_look_alike_are_from_a_person(subject):
    assert auto(Subject=subject) is None


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("Auto-Submitted", "auto-replied"),
        ("Auto-Submitted", "auto-generated"),
        ("X-Autoreply", "yes"),
        ("X-Autorespond", "Out of office"),
        ("X-Autoresponse", "1"),
        ("Precedence", "auto_reply"),
    ],
)
def test_auto_reply_headers_make_an_auto_reply(header, value):
    assert auto(**{header: value}) == "auto_reply"


def test_auto_submitted_no_is_mail_from_a_person():
    assert auto(Auto_Submitted="no") is None


def test_x_auto_response_suppress_alone_is_mail_from_a_person():
    assert auto(X_Auto_Response_Suppress="All", Subject="Monitor flickers") is None


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("Precedence", "bulk"),
        ("Precedence", "junk"),
        ("Precedence", "list"),
        ("List-Id", "<news.example.com>"),
        ("List-Unsubscribe", "<mailto:leave@example.com>"),
    ],
)
def test_list_and_bulk_headers_make_bulk_mail(header, value):
    assert auto(**{header: value}) == "bulk"


def test_an_auto_reply_from_a_list_is_an_auto_reply():
    assert auto(Precedence="bulk", Auto_Submitted="auto-replied") == "auto_reply"


def test_a_failure_subject_from_postmaster_is_a_bounce():
    mail = parse(
        message(
            "Your message could not be delivered.",
            From="postmaster@example.org",
            Subject="Undeliverable: [#123456] Printer",
            X_Failed_Recipients="gone@Example.ORG",
        )
    )

    assert mail.auto == "bounce"
    assert mail.bounced == ("gone@example.org",)


def test_postmaster_writing_about_something_else_is_not_a_bounce():
    assert auto(From="postmaster@example.org", Subject="Mail server maintenance") is None


def test_a_read_receipt_is_an_auto_reply():
    body = (
        "--r\nContent-Type: text/plain\n\nYour message was displayed.\n"
        "--r\nContent-Type: message/disposition-notification\n\n"
        "Reporting-UA: mail.example.com\nFinal-Recipient: rfc822;ana.costa@example.com\n"
        "Disposition: manual-action/MDN-sent-manually; displayed\n"
        "--r--\n"
    )
    mail = parse(
        message(
            body,
            Content_Type="multipart/report; report-type=disposition-notification; boundary=r",
        )
    )

    assert mail.auto == "auto_reply"
    assert mail.text == "Your message was displayed."
    assert mail.attachments == ()
