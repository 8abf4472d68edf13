"""Who is told what by mail when something happens to a ticket.

The services call these inside the transaction of the change, so that the message is
recorded with the change or not at all (helpdesk.mail.outbox). Rules for every notice:

- nobody is told of their own action;
- agents hear only of tickets they can see (tickets.permissions), and only while active;
- the end user's mail goes to the requester with the ticket's collaborators on Cc, in one
  message, threaded: its Message-ID names the ticket (and entry), References and
  In-Reply-To tie it to the conversation, the subject carries "[#number]", and a line
  says where to reply above; a message that carries something for the requester alone
  (the survey links, which rate as them) goes to them alone, and the collaborators get
  their own copy without it;
- inactive accounts, bouncing, banned and malformed addresses get nothing.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Agent, User
from helpdesk import moments
from helpdesk.mail import notices, outbox
from helpdesk.mail.models import OutgoingMail
from helpdesk.mail.notices import Rendered
from tickets.access import ticket_access_url
from tickets.mail import message_ids
from tickets.mail.parse import REPLY_MARKER
from tickets.models import SLAAlert, ThreadEntry, Ticket
from tickets.permissions import load_access, sees
from tickets.survey import survey_applies, survey_url


def absolute(path: str) -> str:
    return settings.HELPDESK_BASE_URL + path


def root_message_id(ticket: Ticket) -> str:
    return message_ids.root_message_id(ticket.number, outbox.mail_domain())


def ticket_number_in(message_id: str) -> str | None:
    """The ticket number one of our Message-IDs names, or None for anybody else's."""
    return message_ids.ticket_number_in(message_id, outbox.mail_domain())


def _message_id(ticket: Ticket, what: str = "") -> str:
    return outbox.make_message_id(message_ids.local_part(ticket.number, what))


def _with_token(subject: str, ticket: Ticket) -> str:
    if f"[#{ticket.number}]" in subject:
        return subject
    return f"[#{ticket.number}] {subject}"


def _with_reply_marker(rendered: Rendered) -> Rendered:
    text = rendered.text if REPLY_MARKER in rendered.text else f"{REPLY_MARKER}\n\n{rendered.text}"
    html = rendered.html
    if html and REPLY_MARKER not in html:
        html = f'<p style="color:#888">{escape(REPLY_MARKER)}</p>\n{html}'
    return Rendered(rendered.subject, text, html)


def _when(moment) -> str:
    return moments.moment(moment) if moment else ""


def _values(
    ticket: Ticket,
    *,
    name: str,
    email: str,
    link: str,
    entry: ThreadEntry | None = None,
    actor: Agent | None = None,
    change: dict | None = None,
) -> dict:
    assignee = ticket.assignee.user.display_name if ticket.assignee_id else ""
    return {
        "ticket": {
            "number": ticket.number,
            "subject": ticket.subject,
            "status": ticket.get_status_display(),
            "priority": ticket.get_priority_display(),
            "department": ticket.department.name,
            "help_topic": ticket.help_topic.name if ticket.help_topic_id else "",
            "assignee": assignee or (ticket.team.name if ticket.team_id else ""),
            "due": _when(ticket.resolution_due_at),
            "link": link,
            "source": ticket.get_source_display(),
        },
        "entry": {
            "body": entry.body if entry else "",
            "author": entry.author_name if entry else "",
        },
        "recipient": {"name": name, "email": email},
        "agent": {"name": actor.user.display_name if actor else ""},
        "change": change or {},
        "helpdesk": {"name": settings.HELPDESK_NAME, "url": settings.HELPDESK_BASE_URL},
    }


def _may_write_to(user: User | None) -> bool:
    return user is not None and user.is_active and user.email_bounced_at is None


def _last_inbound_id(ticket: Ticket) -> str:
    return (
        ticket.thread.filter(kind=ThreadEntry.Kind.MESSAGE)
        .exclude(message_id="")
        .order_by("-created_at", "-pk")
        .values_list("message_id", flat=True)
        .first()
        or ""
    )


def _entry_id(entry: ThreadEntry | None) -> str:
    # An end user's message that came by mail is what an alert about it answers.
    if entry is not None and entry.kind == ThreadEntry.Kind.MESSAGE:
        return entry.message_id
    return ""


def _thread_headers(ticket: Ticket, *, auto: str | None, parent: str = "") -> dict:
    root = root_message_id(ticket)
    parent = parent or _last_inbound_id(ticket) or root
    references = " ".join(f"<{mid}>" for mid in dict.fromkeys([root, parent]))
    headers = {"References": references, "In-Reply-To": f"<{parent}>"}
    if auto:
        # RFC 3834: no auto-replies to this, please; Exchange reads the second header.
        headers["Auto-Submitted"] = auto
        headers["X-Auto-Response-Suppress"] = "All"
    return headers


# To the end user --------------------------------------------------------------------------


def _render_to_end_user(key: str, values: dict, ticket: Ticket) -> Rendered | None:
    rendered = notices.render(key, values)
    if rendered is None:
        return None
    rendered = _with_reply_marker(rendered)
    return Rendered(_with_token(rendered.subject, ticket), rendered.text, rendered.html)


def _to_requester(
    ticket: Ticket,
    key: str,
    *,
    entry: ThreadEntry | None = None,
    actor: User | None = None,
    auto: str | None = "auto-generated",
    tag: str = "",
    collaborators: list[User] | None = None,
    extra: dict | None = None,
    extra_for_collaborators: dict | None = None,
    parent: str | None = None,
):
    """The notice to the requester, with the collaborators on Cc; given
    `extra_for_collaborators` (values that replace `extra`'s where they are the requester's
    alone), the collaborators get their own message instead. Returns the requester's."""
    requester = ticket.requester
    if not _may_write_to(requester) or requester == actor:
        return None
    if collaborators is None:
        collaborators = [c.user for c in ticket.collaborators.select_related("user")]
    copied = [user.email for user in collaborators if _may_write_to(user) and user != actor]
    values = _values(
        ticket,
        name=ticket.given_name or requester.display_name,
        email=requester.email,
        # The requester's link: in one message, the collaborators on Cc get it too.
        link=absolute(ticket_access_url(ticket, requester)),
        entry=entry,
    )
    values.update(extra or {})
    rendered = _render_to_end_user(key, values, ticket)
    if rendered is None:
        return None
    apart = extra_for_collaborators is not None and bool(copied)
    if parent is None:
        parent = entry.message_id if entry else ""
    headers = _thread_headers(ticket, auto=auto, parent=parent)
    what = f"entry-{entry.pk}" if entry else ""
    mail = outbox.queue(
        notice=key,
        to=[requester.email],
        cc=[] if apart else copied,
        rendered=rendered,
        message_id=_message_id(ticket, what),
        headers=headers,
        regarding=f"Ticket #{ticket.number}",
        tag=tag,
    )
    if mail is None or not apart:
        # When the requester's message goes nowhere (say, their address is banned), the
        # collaborators get nothing either, as when it was one message.
        return mail
    outbox.queue(
        notice=key,
        to=copied,
        rendered=_render_to_end_user(key, {**values, **extra_for_collaborators}, ticket),
        message_id=_message_id(ticket, what),
        headers=headers,
        regarding=f"Ticket #{ticket.number}",
        tag=tag,
    )
    return mail


def _autoresponses_lately(address: str) -> int:
    since = timezone.now() - timedelta(hours=1)
    return OutgoingMail.objects.filter(
        tag=f"autoresponse:{address.lower()}", created_at__gte=since
    ).count()


def ticket_opened(
    ticket: Ticket,
    entry: ThreadEntry,
    *,
    by: Agent | None = None,
    collaborators: list[User],
    alert: bool = True,
    autorespond: bool = True,
) -> None:
    """A new ticket (with the collaborators it was opened with): the auto-response to its
    requester, the alert to its department; an API client may switch either off."""
    address = ticket.requester.email.lower()
    # The opening entry is the ticket's only message: the notices answer it if it came by
    # mail, else the ticket's root (what _last_inbound_id would find, without asking).
    parent = entry.message_id or root_message_id(ticket)
    if autorespond and _autoresponses_lately(address) < settings.HELPDESK_AUTORESPONSES_PER_HOUR:
        _to_requester(
            ticket,
            "ticket.autoresponse",
            entry=entry,
            auto="auto-replied",
            tag=f"autoresponse:{address}",
            collaborators=collaborators,
            parent=parent,
        )
    if alert:
        agents = department_agents(ticket)
        _to_agents(ticket, "agent.new_ticket", agents, entry=entry, actor=by, parent=parent)


def agent_responded(ticket: Ticket, entry: ThreadEntry) -> None:
    """The agent's response goes to the end user, and becomes the entry's Message-ID."""
    mail = _to_requester(ticket, "ticket.response", entry=entry, auto=None)
    if mail is not None:
        entry.message_id = mail.message_id
        entry.save(update_fields=["message_id"])


NO_SURVEY = {"good_url": "", "bad_url": ""}


def survey_values(ticket: Ticket) -> dict:
    """The resolved notice's "How did we do?" links, or none where the survey is off."""
    if not survey_applies(ticket):
        return dict(NO_SURVEY)
    return {
        "good_url": absolute(survey_url(ticket, "good")),
        "bad_url": absolute(survey_url(ticket, "bad")),
    }


def ticket_resolved(ticket: Ticket, *, by: User | None) -> None:
    """The resolved notice. Its survey links rate as the requester, who alone may rate, so
    where it carries them the collaborators get a copy of their own without them."""
    survey = survey_values(ticket)
    _to_requester(
        ticket,
        "ticket.resolved",
        actor=by,
        extra={"survey": survey},
        extra_for_collaborators={"survey": NO_SURVEY} if survey["good_url"] else None,
    )


def access_link_tag(user: User) -> str:
    """The tag of the access-link mail to this person, by which they are counted."""
    return f"access-link:{user.pk}"


def access_link(ticket: Ticket, user: User) -> OutgoingMail | None:
    """A link to the ticket, asked for by its requester or a collaborator: their own link,
    to their address on file. None when nothing could be queued."""
    if not _may_write_to(user):
        return None
    values = _values(
        ticket,
        name=user.display_name,
        email=user.email,
        link=absolute(ticket_access_url(ticket, user)),
    )
    rendered = notices.render("ticket.access_link", values)
    if rendered is None:
        return None
    return outbox.queue(
        notice="ticket.access_link",
        to=[user.email],
        rendered=Rendered(_with_token(rendered.subject, ticket), rendered.text, rendered.html),
        message_id=_message_id(ticket, "link"),
        headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
        regarding=f"Ticket #{ticket.number}",
        tag=access_link_tag(user),
    )


# To agents --------------------------------------------------------------------------------


def _active_seeing(agents: Iterable[Agent], ticket: Ticket) -> list[Agent]:
    return [a for a in agents if a.user.is_active and sees(a, ticket)]


def department_agents(ticket: Ticket, department=None) -> list[Agent]:
    """The active agents of the ticket's department (its manager, its members, those with
    extended access to it) who can see the ticket."""
    department = department or ticket.department
    agents = load_access(
        Agent.objects.filter(
            Q(pk=department.manager_id)
            | Q(department=department)
            | Q(extended_access__department=department)
        )
        .distinct()
        .order_by("pk")
    )
    return _active_seeing(agents, ticket)


def assigned_agents(ticket: Ticket) -> list[Agent]:
    """Who works the ticket: its assignee, else its team's members (who can see it)."""
    if ticket.assignee_id:
        return _active_seeing([ticket.assignee], ticket)
    if ticket.team_id:
        return _active_seeing(load_access(ticket.team.members.all()), ticket)
    return []


def assignee_else_department(ticket: Ticket) -> list[Agent]:
    return assigned_agents(ticket) or department_agents(ticket)


def _to_agents(
    ticket: Ticket,
    key: str,
    agents: Iterable[Agent],
    *,
    entry: ThreadEntry | None = None,
    actor: Agent | None = None,
    change: dict | None = None,
    tag: str = "",
    parent: str | None = None,
) -> list:
    """Each agent's own copy of the notice, recorded together (one query however many)."""
    messages = []
    link = absolute(reverse("staff:ticket", kwargs={"number": ticket.number}))
    headers = None
    for agent in agents:
        if actor is not None and agent.pk == actor.pk:
            continue
        user = agent.user
        if not _may_write_to(user):
            continue
        values = _values(
            ticket,
            name=user.display_name,
            email=user.email,
            link=link,
            entry=entry,
            actor=actor,
            change=change,
        )
        rendered = notices.render(key, values)
        if rendered is None:
            return []  # switched off: for everybody
        if headers is None:
            if parent is None:
                parent = _entry_id(entry)
            headers = _thread_headers(ticket, auto="auto-generated", parent=parent)
        messages.append(
            {
                "notice": key,
                "to": [user.email],
                "rendered": Rendered(
                    _with_token(rendered.subject, ticket), rendered.text, rendered.html
                ),
                "message_id": _message_id(ticket, "alert"),
                "headers": headers,
                "regarding": f"Ticket #{ticket.number}",
                "tag": tag,
            }
        )
    return outbox.queue_many(messages) if messages else []


def user_replied(ticket: Ticket, entry: ThreadEntry) -> None:
    _to_agents(ticket, "agent.new_message", assignee_else_department(ticket), entry=entry)


def note_posted(ticket: Ticket, entry: ThreadEntry, *, by: Agent) -> None:
    _to_agents(
        ticket, "agent.internal_note", assignee_else_department(ticket), entry=entry, actor=by
    )


def rated_bad(ticket: Ticket, note: ThreadEntry) -> None:
    """The assignee (else its team) and the department's manager hear of a bad rating."""
    agents = assigned_agents(ticket)
    manager_id = ticket.department.manager_id
    if manager_id is not None and manager_id not in {a.pk for a in agents}:
        agents += _active_seeing(load_access(Agent.objects.filter(pk=manager_id)), ticket)
    _to_agents(ticket, "agent.bad_rating", agents, entry=note)


def ticket_assigned(ticket: Ticket, *, by: Agent | None) -> None:
    _to_agents(ticket, "agent.assigned", assigned_agents(ticket), actor=by)


def ticket_transferred(ticket: Ticket, *, before: str, by: Agent) -> None:
    change = {"from": before, "to": ticket.department.name}
    _to_agents(ticket, "agent.transferred", department_agents(ticket), actor=by, change=change)


_TARGETS = {"first_response": "First response", "resolution": "Resolution"}


def sla_alerts(ticket: Ticket, alerts: Iterable[SLAAlert]) -> None:
    """The sweep's alerts, each to its recipient; marked delivered once the server took it."""
    for alert in alerts:
        key = "agent.overdue" if alert.kind == SLAAlert.Kind.OVERDUE else "agent.sla_warning"
        change = {"target": _TARGETS.get(alert.target, alert.target), "due": _when(alert.due_at)}
        _to_agents(ticket, key, [alert.recipient], change=change, tag=f"sla-alert:{alert.pk}")


def mailbox_failing(mailbox) -> None:
    """Tell the active administrators that a mailbox keeps failing."""
    link = absolute(reverse("admin-panel:mailbox-edit", args=[mailbox.pk]))
    admins = Agent.objects.filter(is_admin=True, user__is_active=True).select_related("user")
    for admin in admins:
        if not _may_write_to(admin.user):
            continue
        values = {
            "mailbox": {
                "name": mailbox.name,
                "address": mailbox.address,
                "failures": mailbox.failures_in_row,
                "error": mailbox.last_error,
                "link": link,
            },
            "recipient": {"name": admin.user.display_name, "email": admin.user.email},
            "helpdesk": {"name": settings.HELPDESK_NAME, "url": settings.HELPDESK_BASE_URL},
        }
        rendered = notices.render("admin.mailbox_failing", values)
        if rendered is None:
            return
        outbox.queue(
            notice="admin.mailbox_failing",
            to=[admin.user.email],
            rendered=rendered,
            message_id=outbox.make_message_id("mailbox"),
            headers={"Auto-Submitted": "auto-generated"},
            regarding=f"Mailbox {mailbox.name}",
        )
