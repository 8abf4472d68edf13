"""A resolved ticket's portal page asks its requester "How did we do?", shows the rating
given, and lets them change it within the window; an open ticket, a topic with the survey
off and a collaborator are not asked."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tickets import services
from tickets.access import ticket_access_token, ticket_access_url
from tickets.models import Collaborator
from tickets.survey import current_rating


@pytest.fixture
def resolved(make, john):
    return services.change_status(make(), status="resolved", by=john)


def rate_url(ticket, person=None):
    return reverse("portal:rate-ticket", args=[ticket_access_token(ticket, person)])


def test_a_resolved_ticket_asks_its_requester(client, resolved):
    page = client.get(ticket_access_url(resolved)).content.decode()

    assert "How did we do?" in page
    assert "Send my rating" in page


def test_an_open_ticket_does_not_ask(client, make):
    page = client.get(ticket_access_url(make())).content.decode()

    assert "How did we do?" not in page


def test_a_topic_with_the_survey_off_does_not_ask(client, resolved, inquiry_topic):
    inquiry_topic.survey_enabled = False
    inquiry_topic.save()

    page = client.get(ticket_access_url(resolved)).content.decode()

    assert "How did we do?" not in page
    response = client.post(rate_url(resolved), {"rating": "good"}, follow=True)
    assert "does not ask for a rating" in response.content.decode()
    assert current_rating(resolved) is None


def test_the_requester_rates_from_the_page_and_sees_their_rating(client, resolved):
    response = client.post(rate_url(resolved), {"rating": "bad", "comment": "Too slow"})

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Thank you for your rating." in page
    assert "Your rating: <strong>Bad</strong>" in page
    assert "Too slow" in page


def test_the_requester_changes_the_rating_within_the_window(client, resolved):
    services.rate(resolved, rating="bad")

    client.post(rate_url(resolved), {"rating": "good"})

    assert current_rating(resolved).rating == "good"


def test_after_the_window_the_page_shows_the_rating_without_the_form(client, resolved, settings):
    settings.HELPDESK_SURVEY_CHANGE_DAYS = 7
    services.rate(resolved, rating="good", now=timezone.now() - timedelta(days=8))

    page = client.get(ticket_access_url(resolved)).content.decode()

    assert "Your rating: <strong>Good</strong>" in page
    assert "can no longer be changed" in page
    assert "Send my rating" not in page


def test_a_refused_rating_says_why_once_and_keeps_the_comment(client, resolved):
    response = client.post(rate_url(resolved), {"comment": "Kept comment"})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Choose Good or Bad.") == 1
    assert "Kept comment" in page
    assert current_rating(resolved) is None


def test_a_collaborator_is_not_asked(client, resolved, ken):
    Collaborator.objects.create(ticket=resolved, user=ken)

    page = client.get(ticket_access_url(resolved, ken)).content.decode()
    assert "How did we do?" not in page
    client.post(rate_url(resolved, ken), {"rating": "bad"})

    assert current_rating(resolved) is None


def test_rating_from_the_page_is_post_only(client, resolved):
    assert client.get(rate_url(resolved)).status_code == 405


def test_a_bad_rating_that_reopens_the_ticket_says_so(client, resolved, settings):
    settings.HELPDESK_SURVEY_BAD_REOPENS = True

    response = client.post(rate_url(resolved), {"rating": "bad"}, follow=True)

    assert "We have reopened the ticket" in response.content.decode()
