"""The requester's satisfaction rating of a resolved ticket (the rules: tickets.survey)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tickets import notifications
from tickets import status as status_machine
from tickets.models import Event, SatisfactionRating, ThreadEntry, Ticket
from tickets.services.base import locked, save_change
from tickets.services.lifecycle import set_status
from tickets.services.records import add_entry, record_event
from tickets.status import Actor
from tickets.survey import (
    MAX_COMMENT_CHARS,
    NOT_ASKED,
    TOO_LATE,
    Rating,
    SurveyRefused,
    may_change,
    survey_applies,
)


@transaction.atomic
def rate(ticket: Ticket, *, rating: str, comment: str = "", now=None) -> SatisfactionRating:
    """The requester rates the ticket's current resolution, or changes their rating.

    Refuses a ticket that does not ask for a rating now, a rating that is neither good nor
    bad, a comment over MAX_COMMENT_CHARS, and a change after HELPDESK_SURVEY_CHANGE_DAYS.
    """
    now = now or timezone.now()
    if rating not in Rating.values:
        raise SurveyRefused("Choose Good or Bad.")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise SurveyRefused(f"The comment is too long: at most {MAX_COMMENT_CHARS} characters.")
    ticket = locked(ticket)
    if not survey_applies(ticket):
        raise SurveyRefused(NOT_ASKED)
    given = ticket.ratings.select_for_update().filter(resolved_at=ticket.resolved_at).first()
    if given is None:
        given = SatisfactionRating.objects.create(
            ticket=ticket,
            resolved_at=ticket.resolved_at,
            rating=rating,
            comment=comment,
            created_at=now,
            updated_at=now,
        )
        changed = first = True
    else:
        if not may_change(given, now):
            raise SurveyRefused(TOO_LATE.format(days=settings.HELPDESK_SURVEY_CHANGE_DAYS))
        changed = (given.rating, given.comment) != (rating, comment)
        first = False
        given.rating, given.comment, given.updated_at = rating, comment, now
        given.save(update_fields=["rating", "comment", "updated_at"])
    if changed:
        record_event(
            ticket,
            Event.Kind.RATED,
            actor=ticket.requester,
            rating=rating,
            comment=comment,
            **({} if first else {"changed": True}),
        )
    if rating == Rating.BAD and given.bad_followed_up_at is None:
        _follow_up_bad_rating(ticket, given, now=now)
    return given


SURVEY_AUTHOR = "Satisfaction survey"


def _follow_up_bad_rating(ticket: Ticket, given: SatisfactionRating, *, now) -> None:
    """A bad rating: an internal note with the comment, an alert to the assignee and the
    department's manager, and (where HELPDESK_SURVEY_BAD_REOPENS says so) the ticket open
    again; marked done on the rating, so that Bad, Good, Bad again in one round does not
    alert twice. The caller holds the ticket's lock."""
    given.bad_followed_up_at = now
    given.save(update_fields=["bad_followed_up_at"])
    comment = given.comment or "(no comment)"
    note = add_entry(
        ticket,
        ThreadEntry.Kind.NOTE,
        author=None,
        author_name=SURVEY_AUTHOR,
        body=f"{ticket.requester.display_name} rated the resolution Bad.\n\n"
        f"Their comment:\n{comment}",
    )
    notifications.rated_bad(ticket, note)
    if settings.HELPDESK_SURVEY_BAD_REOPENS:
        fields = set_status(
            ticket,
            status_machine.Status.OPEN,
            actor=Actor.REQUESTER,
            by=ticket.requester,
            now=now,
            by_rating=True,
        )
        save_change(ticket, fields)
