"""What the tickets app does when a lower app announces a change it cannot act on itself."""

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from accounts.models import Agent, Team, User
from helpdesk import memo
from helpdesk.mail.signals import mail_sent
from sla.models import SLAPlan
from sla.signals import plans_changed
from tickets import search, timing
from tickets.forms import OFFERED_TOPICS
from tickets.inbound.intake import MAILBOX_ADDRESSES
from tickets.models import CannedResponse, Department, HelpTopic, Mailbox, SLAAlert
from tickets.selectors import ACTION_CHOICES, CANNED_RESPONSES, DIRECTORY


@receiver(plans_changed, dispatch_uid="tickets.recompute_open_tickets")
def recompute_due_times(sender, plans, **kwargs) -> None:
    """A plan's targets or schedule changed: its open tickets' due times follow."""
    timing.recompute_open_tickets(plans)


@receiver(post_save, sender=Mailbox, dispatch_uid="tickets.forget_mailbox_addresses")
@receiver(post_delete, sender=Mailbox, dispatch_uid="tickets.forget_mailbox_addresses_deleted")
def forget_mailbox_addresses(sender, **kwargs) -> None:
    """A saved mailbox's address is one of ours at once (helpdesk.memo)."""
    memo.forget(MAILBOX_ADDRESSES)


def forget_staff_directory(sender, **kwargs) -> None:
    """A department, agent, team, topic or name changed: the queues' filter bar shows it at
    once (tickets.selectors.staff_directory keeps a short-lived copy)."""
    memo.forget(DIRECTORY)


for _model in (Department, HelpTopic, Agent, Team, User):
    _name = f"{_model._meta.app_label}.{_model._meta.model_name}"
    post_save.connect(forget_staff_directory, sender=_model, dispatch_uid=f"directory.{_name}")
    post_delete.connect(forget_staff_directory, sender=_model, dispatch_uid=f"directory.{_name}-")


@receiver(post_save, sender=HelpTopic, dispatch_uid="tickets.forget_offered_topics")
@receiver(post_delete, sender=HelpTopic, dispatch_uid="tickets.forget_offered_topics_deleted")
def forget_offered_topics(sender, **kwargs) -> None:
    """A saved topic is listed (or no longer) on the portal's form at once (helpdesk.memo)."""
    memo.forget(OFFERED_TOPICS)


def forget_action_choices(sender, **kwargs) -> None:
    """A saved agent, user, team, department, topic or plan shows at once on the ticket
    page's action bar and in its field history (tickets.selectors.action_choices)."""
    memo.forget(ACTION_CHOICES)


def forget_canned_responses(sender, **kwargs) -> None:
    """A saved canned response is offered at once (tickets.selectors.canned_responses_for)."""
    memo.forget(CANNED_RESPONSES)


_FORGETTING = [
    *((model, forget_action_choices) for model in (Agent, User, Team, Department, HelpTopic)),
    (SLAPlan, forget_action_choices),
    (CannedResponse, forget_canned_responses),
]
for _model, _forget in _FORGETTING:
    _uid = f"tickets.{_forget.__name__}.{_model._meta.label}"
    post_save.connect(_forget, sender=_model, dispatch_uid=_uid)
    post_delete.connect(_forget, sender=_model, dispatch_uid=f"{_uid}.deleted")


@receiver(mail_sent, dispatch_uid="tickets.mark_sla_alert_delivered")
def mark_sla_alert_delivered(sender, mail, **kwargs) -> None:
    """The mail server took an SLA alert's message: the alert is delivered."""
    kind, _, pk = mail.tag.partition(":")
    if kind == "sla-alert" and pk.isdigit():
        SLAAlert.objects.filter(pk=int(pk), delivered_at__isnull=True).update(
            delivered_at=mail.sent_at
        )


@receiver(post_migrate, dispatch_uid="tickets.keep_thread_search_index")
def keep_thread_search_index(sender, using="default", **kwargs) -> None:
    """After every migrate: SQLite's thread search keeps its triggers (tickets.search)."""
    if sender.name == "tickets":
        search.keep_sqlite_index(using)
