"""Reads of people that other apps' pages and forms share."""

from django.db.models import Q, QuerySet

from accounts.models import Agent, User


def active_agents(*current_pks) -> QuerySet:
    """Agents who may sign in, plus those already chosen, with the user their name needs."""
    return (
        Agent.objects.select_related("user")
        .filter(Q(user__is_active=True) | Q(pk__in=[pk for pk in current_pks if pk]))
        .order_by("user__full_name", "user__email")
    )


def is_staff_address(email: str) -> bool:
    """Whether this address (normalised as stored) is an agent's: the public side (web form,
    mail, the osTicket API) cannot prove who sent it, so it may not write as that agent."""
    return User.objects.with_email(email).filter(agent__isnull=False).exists()
