"""The Good / Bad links of the resolved notice open a page that asks to confirm: following
one records nothing (mail scanners follow links), the button does. A link that rates
nothing says why, whatever it holds."""

import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from tickets import services
from tickets.models import SatisfactionRating
from tickets.survey import current_rating, survey_url


@pytest.fixture
def resolved(make, john):
    return services.change_status(make(), status="resolved", by=john)


def test_following_the_link_shows_the_choice_and_records_nothing(client, resolved):
    response = client.get(survey_url(resolved, "bad"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "How did we do?" in page
    assert "Send my rating" in page
    assert response.context["survey_form"].initial["rating"] == "bad"
    assert re.search(r'value="bad"[^>]*checked', page)
    assert not re.search(r'value="good"[^>]*checked', page)
    assert not SatisfactionRating.objects.exists()


def test_the_button_records_the_rating_and_thanks(client, resolved):
    url = survey_url(resolved, "good")

    response = client.post(url, {"rating": "good", "comment": "Quick and kind."})

    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert "Thank you for your rating" in thanks.content.decode()
    rating = current_rating(resolved)
    assert (rating.rating, rating.comment) == ("good", "Quick and kind.")


def test_the_page_needs_no_sign_in_but_a_csrf_token(resolved):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(survey_url(resolved, "good"), {"rating": "good"})

    assert response.status_code == 403
    assert not SatisfactionRating.objects.exists()


def test_no_rating_and_a_long_comment_are_said_once_and_what_was_typed_stays(client, resolved):
    response = client.post(survey_url(resolved, "good"), {"comment": "x" * 2001})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Choose Good or Bad.") == 1
    assert page.count("The comment is too long") == 1
    assert "x" * 2001 in page
    assert not SatisfactionRating.objects.exists()


def test_a_changed_rating_within_the_window_shows_the_one_given(client, resolved):
    services.rate(resolved, rating="bad", comment="Slow")
    url = survey_url(resolved, "good")

    page = client.get(url).content.decode()
    assert "Your rating: <strong>Bad</strong>" in page
    client.post(url, {"rating": "good", "comment": "Fixed"})

    assert current_rating(resolved).rating == "good"


def test_after_the_window_the_page_says_it_can_no_longer_be_changed(client, resolved, settings):
    settings.HELPDESK_SURVEY_CHANGE_DAYS = 7
    services.rate(resolved, rating="good", now=timezone.now() - timedelta(days=8))
    url = survey_url(resolved, "bad")

    assert "can no longer be changed" in client.get(url).content.decode()
    response = client.post(url, {"rating": "bad"})

    assert "can no longer be changed" in response.content.decode()
    assert current_rating(resolved).rating == "good"


def test_an_expired_link_says_so_and_leads_to_the_portal(client, resolved, settings, monkeypatch):
    settings.HELPDESK_SURVEY_LINK_MAX_AGE_DAYS = 1
    two_days_ago = int(time.time()) - 2 * 86400
    # The link was mailed two days ago.
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(two_days_ago)
    )
    url = survey_url(resolved, "good")
    monkeypatch.undo()

    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    assert "This rating link has expired" in page
    assert reverse("portal:check-status") in page


def test_a_link_of_a_reopened_ticket_rates_nothing(client, resolved, john):
    url = survey_url(resolved, "good")
    services.change_status(resolved, status="open", by=john)

    response = client.post(url, {"rating": "good"})

    assert "it was reopened since" in response.content.decode()
    assert not SatisfactionRating.objects.exists()


def test_a_link_of_a_topic_without_the_survey_rates_nothing(client, resolved, inquiry_topic):
    url = survey_url(resolved, "good")
    inquiry_topic.survey_enabled = False
    inquiry_topic.save()

    response = client.post(url, {"rating": "good"})

    assert "does not ask for a rating" in response.content.decode()
    assert not SatisfactionRating.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "x" * 5000,
        signing.dumps([1, "2026-01-01", "good"], salt="another.salt"),
        signing.dumps("not a list", salt="tickets.survey"),
        signing.dumps(["abc", "2026-01-01", "good"], salt="tickets.survey"),
        signing.dumps([999999, "2026-01-01", "good"], salt="tickets.survey"),
        signing.dumps([1, "2026-01-01", "excellent"], salt="tickets.survey"),
        signing.dumps([None, None, None], salt="tickets.survey"),
    ],
)
def test_a_tampered_or_foreign_token_is_answered_clearly(client, resolved, token):
    for response in (
        client.get(reverse("portal:survey", args=[token])),
        client.post(reverse("portal:survey", args=[token]), {"rating": "good"}),
        client.get(reverse("portal:survey-thanks", args=[token])),
    ):
        assert response.status_code == 200
        assert "This rating link cannot be used" in response.content.decode()
    assert not SatisfactionRating.objects.exists()


def test_a_link_answers_only_get_and_post(client, resolved):
    assert client.put(survey_url(resolved, "good")).status_code == 405


def test_a_bad_rating_that_reopens_the_ticket_still_thanks(client, resolved, settings):
    settings.HELPDESK_SURVEY_BAD_REOPENS = True

    response = client.post(survey_url(resolved, "bad"), {"rating": "bad"}, follow=True)

    page = response.content.decode()
    assert "Thank you for your rating" in page
    assert "You rated ticket" in page and "<strong>Bad</strong>" in page
    assert "We have reopened the ticket" in page
