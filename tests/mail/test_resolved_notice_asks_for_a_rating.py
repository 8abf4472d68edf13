"""The resolved notice asks the requester "How did we do?" with a Good and a Bad link (each
opens a page that asks to confirm), unless the ticket's help topic switches the survey off.
Its wording stays the administrator's."""

import re

import pytest

from helpdesk import memo
from helpdesk.mail.models import EmailTemplate
from tests import factories
from tests.worker import send_queued_mail
from tickets import services
from tickets.models import SatisfactionRating
from tickets.survey import current_rating

LINK = r"https?://[^/\s\"]+(/survey/[^/\s\"]+/)"


@pytest.fixture
def make(karen, support, inquiry_topic):
    """Karen's open ticket in Support, about a general inquiry."""
    return lambda: factories.TicketFactory(
        requester=karen, department=support, help_topic=inquiry_topic
    )


@pytest.fixture
def base_url(settings):
    settings.HELPDESK_BASE_URL = "https://help.example.com"


def resolved_notice(smtp_mailer):
    send_queued_mail()
    [received] = smtp_mailer.wait_for(1)
    assert received.recipients == ("karen@example.com",)
    return received.message


def text_and_html(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def test_the_good_link_in_the_mail_leads_to_the_confirm_step(
    smtp_mailer, base_url, client, make, john
):
    ticket = services.change_status(make(), status="resolved", by=john)

    text, html = text_and_html(resolved_notice(smtp_mailer))

    assert "How did we do?" in text
    good = re.search(r"Good: " + LINK, text)
    bad = re.search(r"Bad: " + LINK, text)
    assert good and bad and good.group(1) != bad.group(1)
    assert "https://help.example.com/survey/" in text
    assert re.search(r'href="' + LINK + r'">Good</a>', html)

    page = client.get(good.group(1))
    assert "Send my rating" in page.content.decode()
    assert not SatisfactionRating.objects.exists()  # following the link is not rating
    client.post(good.group(1), {"rating": "good", "comment": ""})
    assert current_rating(ticket).rating == "good"


def test_the_bad_link_preselects_bad(smtp_mailer, base_url, client, make, john):
    services.change_status(make(), status="resolved", by=john)
    text, _ = text_and_html(resolved_notice(smtp_mailer))

    page = client.get(re.search(r"Bad: " + LINK, text).group(1))

    assert page.context["survey_form"].initial["rating"] == "bad"


def test_a_topic_with_the_survey_off_sends_the_notice_without_links(
    smtp_mailer, base_url, make, john, inquiry_topic
):
    inquiry_topic.survey_enabled = False
    inquiry_topic.save()
    services.change_status(make(), status="resolved", by=john)

    text, html = text_and_html(resolved_notice(smtp_mailer))

    assert "resolved" in text
    assert "How did we do?" not in text
    assert "/survey/" not in text + html


def test_a_reworded_notice_may_place_the_links_itself(smtp_mailer, base_url, make, john):
    EmailTemplate.objects.filter(key="ticket.resolved").update(
        text_body="Done. Rate us: {{ survey.good_url }} or {{ survey.bad_url }}",
        html_body="",
    )
    memo.forget()
    services.change_status(make(), status="resolved", by=john)

    send_queued_mail()
    [received] = smtp_mailer.wait_for(1)
    body = received.message.get_body(("plain",)).get_content()

    assert re.search(r"Rate us: " + LINK + r" or " + LINK, body)
