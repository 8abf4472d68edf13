"""A bad rating is followed up: an internal note with the comment, a mail to the assignee
and the department's manager, and, where SURVEY_BAD_REOPENS says so, the ticket reopened.
Once a round: changing the rating back and forth, or its comment, does not do it again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from helpdesk.mail.models import OutgoingMail
from tests import factories
from tests.worker import send_queued_mail
from tickets import services
from tickets.models import Event, ThreadEntry
from tickets.status import Status
from tickets.survey import current_rating


@pytest.fixture
def manager(support, all_access):
    """Support's manager."""
    agent = factories.AgentFactory(
        user__email="maria@example.com",
        user__full_name="Maria Boss",
        department=support,
        role=all_access,
    )
    support.manager = agent
    support.save()
    return agent


@pytest.fixture
def resolved(karen, support, inquiry_topic, john, manager):
    """Karen's ticket, assigned to John, resolved by him."""
    ticket = factories.TicketFactory(
        requester=karen, department=support, help_topic=inquiry_topic, assignee=john
    )
    return services.change_status(ticket, status="resolved", by=john)


def test_a_bad_rating_notes_the_comment_and_alerts_assignee_and_manager(
    smtp_mailer, resolved, settings
):
    settings.HELPDESK_SURVEY_BAD_REOPENS = False
    send_queued_mail()
    smtp_mailer.wait_for(1)  # the resolved notice to Karen
    smtp_mailer.clear()

    services.rate(resolved, rating="bad", comment="Nobody called me back.")

    note = ThreadEntry.objects.get(ticket=resolved, kind=ThreadEntry.Kind.NOTE)
    assert note.author is None
    assert note.author_name == "Satisfaction survey"
    assert "Nobody called me back." in note.body
    send_queued_mail()
    received = smtp_mailer.wait_for(2)
    assert sorted(r for m in received for r in m.recipients) == [
        "john@example.com",
        "maria@example.com",
    ]
    for message in received:
        assert "Rated Bad" in message.message["Subject"]
        assert "Nobody called me back." in message.message.get_body(("plain",)).get_content()
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED  # the setting is off


def test_a_good_rating_alerts_nobody(smtp_mailer, resolved):
    send_queued_mail()
    smtp_mailer.wait_for(1)
    smtp_mailer.clear()

    services.rate(resolved, rating="good", comment="Thanks!")
    send_queued_mail()

    assert smtp_mailer.messages == []
    assert not ThreadEntry.objects.filter(ticket=resolved, kind=ThreadEntry.Kind.NOTE).exists()


def test_a_bad_rating_reopens_the_ticket_where_the_setting_says_so(resolved, settings, karen):
    settings.HELPDESK_SURVEY_BAD_REOPENS = True

    services.rate(resolved, rating="bad")

    resolved.refresh_from_db()
    assert resolved.status == Status.OPEN
    reopened = Event.objects.get(ticket=resolved, kind=Event.Kind.REOPENED)
    assert reopened.actor == karen
    assert reopened.data["by_rating"] is True


def alerted() -> list[str]:
    """Who was alerted of a bad rating, once for each alert."""
    mails = OutgoingMail.objects.filter(notice="agent.bad_rating")
    return sorted(address for mail in mails for address in mail.recipients)


def survey_notes(ticket) -> int:
    return ThreadEntry.objects.filter(ticket=ticket, kind=ThreadEntry.Kind.NOTE).count()


def test_changing_a_bad_comment_does_not_alert_twice(resolved, settings):
    settings.HELPDESK_SURVEY_BAD_REOPENS = False
    services.rate(resolved, rating="bad", comment="Slow")
    services.rate(resolved, rating="bad", comment="Slow and rude")

    assert survey_notes(resolved) == 1
    assert alerted() == ["john@example.com", "maria@example.com"]


def test_a_good_rating_changed_to_bad_is_followed_up(resolved):
    services.rate(resolved, rating="good")
    services.rate(resolved, rating="bad", comment="It broke again")

    note = ThreadEntry.objects.get(ticket=resolved, kind=ThreadEntry.Kind.NOTE)
    assert "It broke again" in note.body


def test_bad_then_good_then_bad_again_is_followed_up_once(resolved, settings):
    settings.HELPDESK_SURVEY_BAD_REOPENS = False
    first = timezone.now()
    services.rate(resolved, rating="bad", comment="Slow", now=first)
    services.rate(resolved, rating="good", now=first + timedelta(hours=1))

    services.rate(resolved, rating="bad", comment="Broke again", now=first + timedelta(hours=2))

    assert survey_notes(resolved) == 1
    assert alerted() == ["john@example.com", "maria@example.com"]
    rating = current_rating(resolved)
    assert rating.rating == "bad"
    assert rating.bad_followed_up_at == first


def test_a_new_round_is_followed_up_again(resolved, john, settings):
    settings.HELPDESK_SURVEY_BAD_REOPENS = False
    services.rate(resolved, rating="bad")
    services.change_status(resolved, status="open", by=john)
    again = services.change_status(resolved, status="resolved", by=john)

    services.rate(again, rating="bad", comment="Still broken")

    assert survey_notes(again) == 2
    assert alerted() == ["john@example.com"] * 2 + ["maria@example.com"] * 2


def test_a_manager_who_is_also_the_assignee_gets_one_mail(resolved, manager, settings):
    settings.HELPDESK_SURVEY_BAD_REOPENS = False
    services.assign_ticket(resolved, agent=manager, by=manager)

    services.rate(resolved, rating="bad")

    [mail] = OutgoingMail.objects.filter(notice="agent.bad_rating")
    assert mail.to == ["maria@example.com"]
