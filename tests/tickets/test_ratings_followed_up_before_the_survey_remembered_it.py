"""Ratings given before a rating remembered its follow-up: those once rated Bad were
followed up then, and are marked so, so that Good and back to Bad does not alert again."""

import importlib
from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from tests import factories
from tickets.models import SatisfactionRating, ThreadEntry
from tickets.services.survey import SURVEY_AUTHOR

migration = importlib.import_module("tickets.migrations.0015_rating_bad_followed_up_at")


def rating(ticket, value, at):
    return SatisfactionRating.objects.create(
        ticket=ticket, resolved_at=at, rating=value, created_at=at, updated_at=at
    )


def survey_note(ticket):
    return factories.ThreadEntryFactory(
        ticket=ticket, kind=ThreadEntry.Kind.NOTE, author=None, author_name=SURVEY_AUTHOR
    )


def test_ratings_with_the_surveys_note_or_still_bad_are_marked_followed_up(make):
    an_hour_ago = timezone.now() - timedelta(hours=1)
    turned_good = rating(make(), "good", an_hour_ago)
    note = survey_note(turned_good.ticket)
    still_bad = rating(make(), "bad", an_hour_ago)
    always_good = rating(make(), "good", an_hour_ago)

    migration.mark_ratings_already_followed_up(apps, None)

    for each in (turned_good, still_bad, always_good):
        each.refresh_from_db()
    assert turned_good.bad_followed_up_at == note.created_at
    assert still_bad.bad_followed_up_at == an_hour_ago
    assert always_good.bad_followed_up_at is None


def test_a_note_of_an_earlier_round_does_not_count(make):
    ticket = make()
    survey_note(ticket)
    later = rating(ticket, "good", timezone.now() + timedelta(minutes=1))

    migration.mark_ratings_already_followed_up(apps, None)

    later.refresh_from_db()
    assert later.bad_followed_up_at is None
