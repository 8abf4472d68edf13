"""The satisfaction survey: "How did we do?" asked of the requester once a ticket is resolved.

A rating belongs to one resolution of the ticket, named by its `resolved_at` (the round):
one rating a round, which its giver may change for HELPDESK_SURVEY_CHANGE_DAYS after first
giving it; a ticket reopened and resolved again starts a new round and asks again.

The links in the resolved notice carry a signed token (the ticket, the round and the rating
chosen) that needs no sign-in and expires after HELPDESK_SURVEY_LINK_MAX_AGE_DAYS. Following
one records nothing: mail scanners follow links, so the page it opens asks to confirm.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from helpdesk.errors import Refused
from tickets import status as status_machine
from tickets.models import SatisfactionRating, Ticket

SALT = "tickets.survey"
MAX_COMMENT_CHARS = 2000

Rating = SatisfactionRating.Rating


class SurveyRefused(Refused):
    """The rating cannot be given or changed; the message is for the person rating."""


EXPIRED = "This rating link has expired. You can still see your ticket on our portal."
INVALID = "This rating link is not valid: it may be incomplete. Please copy the whole link."
NOT_CURRENT = (
    "This rating link is for an earlier resolution of the ticket: it was reopened since, "
    "so there is nothing to rate now."
)
NOT_ASKED = "This ticket does not ask for a rating now."
TOO_LATE = "Your rating can no longer be changed: it was given more than {days} days ago."


def survey_applies(ticket: Ticket) -> bool:
    """Whether the requester is asked to rate the ticket now: it is resolved, its help
    topic asks, and it has a requester."""
    if not status_machine.asks_for_rating(ticket.status) or ticket.resolved_at is None:
        return False
    if ticket.requester_id is None:
        return False
    return ticket.help_topic is None or ticket.help_topic.survey_enabled


def current_rating(ticket: Ticket) -> SatisfactionRating | None:
    """The rating given for the ticket's current resolution, if any."""
    if ticket.resolved_at is None:
        return None
    return ticket.ratings.filter(resolved_at=ticket.resolved_at).first()


def may_change(rating: SatisfactionRating, now=None) -> bool:
    """Whether this rating may still be changed."""
    now = now or timezone.now()
    return now - rating.created_at <= timedelta(days=settings.HELPDESK_SURVEY_CHANGE_DAYS)


# Links ------------------------------------------------------------------------------------


def survey_token(ticket: Ticket, rating: str) -> str:
    """The signed token of a link that rates the ticket's current resolution."""
    return signing.dumps([ticket.pk, ticket.resolved_at.isoformat(), str(rating)], salt=SALT)


def survey_url(ticket: Ticket, rating: str) -> str:
    """The path of the confirm page for rating the current resolution so."""
    return reverse("portal:survey", kwargs={"token": survey_token(ticket, rating)})


@dataclass(frozen=True)
class SurveyLink:
    """What a survey link opens: the ticket and the rating it was made for."""

    ticket: Ticket
    rating: str
    round: str  # the resolved_at of the resolution it rates, as ISO text


def read_survey_token(token: str, *, current: bool = True) -> SurveyLink:
    """The ticket and rating a link names; refuses an expired, tampered or foreign token,
    and (unless `current` is False) one for a resolution that is no longer the ticket's
    current one, or for a ticket that no longer asks."""
    max_age = timedelta(days=settings.HELPDESK_SURVEY_LINK_MAX_AGE_DAYS)
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise SurveyRefused(EXPIRED) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise SurveyRefused(INVALID) from error
    try:
        pk, round_, rating = payload
        pk = int(pk)
    except (ValueError, TypeError) as error:
        raise SurveyRefused(INVALID) from error
    if rating not in Rating.values:
        raise SurveyRefused(INVALID)
    ticket = (
        Ticket.objects.select_related("requester", "help_topic", "department").filter(pk=pk).first()
    )
    if ticket is None or not isinstance(round_, str):
        raise SurveyRefused(INVALID)
    if not current:
        return SurveyLink(ticket, rating, round_)
    if ticket.resolved_at is None or ticket.resolved_at.isoformat() != round_:
        raise SurveyRefused(NOT_CURRENT)
    if not survey_applies(ticket):
        raise SurveyRefused(NOT_ASKED)
    return SurveyLink(ticket, rating, round_)


def rating_of_link(link: SurveyLink) -> SatisfactionRating | None:
    """The rating given for the resolution a link names (current or not), if any."""
    try:
        resolved_at = parse_datetime(link.round)
    except ValueError:
        return None
    if resolved_at is None:
        return None
    return link.ticket.ratings.filter(resolved_at=resolved_at).first()
