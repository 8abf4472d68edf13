"""One satisfaction rating per resolution of a ticket: changeable for a while, asked again
after the ticket is reopened and resolved again, not asked where the help topic says so."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tickets import services
from tickets.models import Event, SatisfactionRating
from tickets.survey import current_rating, survey_applies


@pytest.fixture
def resolved(make, john):
    """Karen's ticket, resolved by John."""
    return services.change_status(make(), status="resolved", by=john)


def test_a_resolved_ticket_asks_for_a_rating(resolved):
    assert survey_applies(resolved)


def test_an_open_ticket_does_not_ask(make):
    assert not survey_applies(make())


def test_a_topic_with_the_survey_off_does_not_ask(resolved, inquiry_topic):
    inquiry_topic.survey_enabled = False
    inquiry_topic.save()
    resolved.refresh_from_db()

    assert not survey_applies(resolved)
    with pytest.raises(services.SurveyRefused):
        services.rate(resolved, rating="good")


def test_the_requester_rates_once_a_round_and_the_event_says_so(resolved, karen):
    services.rate(resolved, rating="bad", comment="  Took a week.  ")

    rating = current_rating(resolved)
    assert (rating.rating, rating.comment) == ("bad", "Took a week.")
    event = Event.objects.get(ticket=resolved, kind=Event.Kind.RATED)
    assert event.actor == karen
    assert event.data["rating"] == "bad"


def test_a_rating_may_be_changed_within_the_window(resolved, settings):
    settings.HELPDESK_SURVEY_CHANGE_DAYS = 7
    first = timezone.now()
    services.rate(resolved, rating="bad", now=first)

    services.rate(resolved, rating="good", comment="Fixed after all", now=first + timedelta(6))

    assert SatisfactionRating.objects.count() == 1
    assert current_rating(resolved).rating == "good"


def test_a_rating_cannot_be_changed_after_the_window(resolved, settings):
    settings.HELPDESK_SURVEY_CHANGE_DAYS = 7
    first = timezone.now()
    services.rate(resolved, rating="good", now=first)

    with pytest.raises(services.SurveyRefused, match="can no longer be changed"):
        services.rate(resolved, rating="bad", now=first + timedelta(days=8))
    assert current_rating(resolved).rating == "good"


def test_a_reopened_and_resolved_again_ticket_asks_again(resolved, john):
    services.rate(resolved, rating="bad")
    services.change_status(resolved, status="open", by=john)
    again = services.change_status(resolved, status="resolved", by=john)

    assert survey_applies(again)
    assert current_rating(again) is None
    services.rate(again, rating="good")
    assert SatisfactionRating.objects.filter(ticket=again).count() == 2


def test_a_rating_is_good_or_bad_and_its_comment_has_a_limit(resolved):
    with pytest.raises(services.SurveyRefused, match="Good or Bad"):
        services.rate(resolved, rating="meh")
    with pytest.raises(services.SurveyRefused, match="too long"):
        services.rate(resolved, rating="good", comment="x" * 2001)
    assert current_rating(resolved) is None
