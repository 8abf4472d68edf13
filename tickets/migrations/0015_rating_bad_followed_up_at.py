"""A rating remembers when its Bad was followed up, so that the follow-up runs once a round.

Ratings given before were followed up when they turned Bad, each leaving the survey's
internal note: those are marked with the note's time, so that changing such a rating to
Good and back does not alert again."""

from django.db import migrations, models

SURVEY_AUTHOR = "Satisfaction survey"  # tickets.services.survey.SURVEY_AUTHOR, as of now


def mark_ratings_already_followed_up(apps, schema_editor):
    SatisfactionRating = apps.get_model("tickets", "SatisfactionRating")
    ThreadEntry = apps.get_model("tickets", "ThreadEntry")
    for rating in SatisfactionRating.objects.filter(bad_followed_up_at=None).iterator():
        noted_at = (
            ThreadEntry.objects.filter(
                ticket_id=rating.ticket_id,
                kind="note",
                author=None,
                author_name=SURVEY_AUTHOR,
                created_at__gte=rating.created_at,
            )
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if noted_at is None and rating.rating == "bad":
            noted_at = rating.updated_at  # a Bad is always followed up; its note is gone
        if noted_at is not None:
            rating.bad_followed_up_at = noted_at
            rating.save(update_fields=["bad_followed_up_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0014_resolved_notice_offers_the_survey"),
    ]

    operations = [
        migrations.AddField(
            model_name="satisfactionrating",
            name="bad_followed_up_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_ratings_already_followed_up, migrations.RunPython.noop),
    ]
