"""The mail the ticket life cycle sends, with its default wording (helpdesk.mail.notices).

Administrators reword each in the admin panel (Email Templates) or switch it off; when and to
whom each goes is decided in tickets.notifications.
"""

from helpdesk.mail.notices import Notice, register

TICKET_VARIABLES = (
    ("ticket.number", "the ticket's number, such as 482913"),
    ("ticket.subject", "the ticket's subject"),
    ("ticket.status", "its status, such as Open"),
    ("ticket.priority", "its priority"),
    ("ticket.department", "its department"),
    ("ticket.help_topic", "its help topic"),
    ("ticket.assignee", "the agent or team it is assigned to, or nothing"),
    ("ticket.due", "when its resolution is due, or nothing"),
    ("ticket.link", "the ticket's page: the recipient's own link to it"),
    ("recipient.name", "the name of whom the message goes to"),
    ("recipient.email", "their address"),
    ("helpdesk.name", "the helpdesk's name"),
    ("helpdesk.url", "the helpdesk's address"),
)
ENTRY_VARIABLES = (
    ("entry.body", "the text of the message, response or note"),
    ("entry.author", "who wrote it"),
)
ACTOR_VARIABLES = (("agent.name", "the agent who made the change"),)
SURVEY_VARIABLES = (
    (
        "survey.good_url",
        "the link that rates the ticket Good (asks to confirm); empty where the help "
        "topic does not ask for a rating",
    ),
    ("survey.bad_url", "the link that rates it Bad (asks to confirm), or nothing"),
)


def sample() -> dict:
    """Values of a made-up ticket, for previews and for checking a new wording renders."""
    return {
        "ticket": {
            "number": "482913",
            "subject": "Printer on the third floor jams",
            "status": "Open",
            "priority": "Normal",
            "department": "Support",
            "help_topic": "Printers",
            "assignee": "Jane Cooper",
            "due": "Tue 8 Dec 2026 16:30 (Europe/Berlin)",
            "link": "https://helpdesk.example.com/tickets/view/sample/",
            "source": "Web",
        },
        "entry": {"body": "It jams on every page since this morning.", "author": "Karen Taylor"},
        "recipient": {"name": "Karen Taylor", "email": "karen@example.com"},
        "agent": {"name": "Jane Cooper"},
        "change": {
            "from": "Support",
            "to": "Online Banking",
            "target": "First response",
            "due": "Mon 7 Dec 2026 10:15 (Europe/Berlin)",
        },
        "helpdesk": {"name": "Helpdesk", "url": "https://helpdesk.example.com"},
        "survey": {
            "good_url": "https://helpdesk.example.com/survey/sample-good/",
            "bad_url": "https://helpdesk.example.com/survey/sample-bad/",
        },
    }


def _html(*paragraphs: str) -> str:
    return "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


SIGNATURE = "{{ helpdesk.name }}"

register(
    Notice(
        key="ticket.autoresponse",
        name="New ticket auto-response",
        audience="End user",
        description="When a ticket is opened for them, by the web form, by mail or by an agent.",
        subject="We received your request: {{ ticket.subject }}",
        text=(
            "Dear {{ recipient.name }},\n\n"
            "Thank you for contacting us. We have opened ticket #{{ ticket.number }} for your "
            "request:\n\n  {{ ticket.subject }}\n\n"
            "We will get back to you as soon as we can. To add to it or follow it, reply to "
            "this message or open\n{{ ticket.link }}\n\n" + SIGNATURE
        ),
        html=_html(
            "Dear {{ recipient.name }},",
            "Thank you for contacting us. We have opened ticket "
            "<strong>#{{ ticket.number }}</strong> for your request: {{ ticket.subject }}",
            "We will get back to you as soon as we can. To add to it or follow it, reply to "
            'this message or <a href="{{ ticket.link }}">open the ticket</a>.',
            SIGNATURE,
        ),
        variables=TICKET_VARIABLES + ENTRY_VARIABLES,
        sample=sample,
        order=10,
    )
)
register(
    Notice(
        key="ticket.response",
        name="Response to the end user",
        audience="End user",
        description="When an agent posts a reply: the reply itself, by mail.",
        subject="{{ ticket.subject }}",
        text=(
            "{{ entry.body }}\n\n-- \n{{ entry.author }}, {{ helpdesk.name }}\n"
            "Ticket #{{ ticket.number }}: {{ ticket.link }}"
        ),
        html=(
            '<div style="white-space: pre-wrap">{{ entry.body }}</div>\n'
            "<p>{{ entry.author }}, {{ helpdesk.name }}<br>"
            '<a href="{{ ticket.link }}">Ticket #{{ ticket.number }}</a></p>'
        ),
        variables=TICKET_VARIABLES + ENTRY_VARIABLES,
        sample=sample,
        order=20,
    )
)
register(
    Notice(
        key="ticket.resolved",
        name="Resolved notice",
        audience="End user",
        description="When an agent marks their ticket resolved.",
        subject="Resolved: {{ ticket.subject }}",
        text=(
            "Dear {{ recipient.name }},\n\n"
            "We have marked ticket #{{ ticket.number }} resolved:\n\n  {{ ticket.subject }}\n\n"
            "If it is not, reply to this message and the ticket opens again.\n"
            "{{ ticket.link }}\n\n"
            "{% if survey.good_url %}How did we do?\n"
            "  Good: {{ survey.good_url }}\n"
            "  Bad: {{ survey.bad_url }}\n\n{% endif %}" + SIGNATURE
        ),
        html=_html(
            "Dear {{ recipient.name }},",
            "We have marked ticket <strong>#{{ ticket.number }}</strong> resolved: "
            "{{ ticket.subject }}",
            "If it is not, reply to this message and the ticket opens again. "
            '<a href="{{ ticket.link }}">Open the ticket</a>',
        )
        + "\n{% if survey.good_url %}"
        + _html(
            'How did we do? <a href="{{ survey.good_url }}">Good</a> · '
            '<a href="{{ survey.bad_url }}">Bad</a>'
        )
        + "{% endif %}\n"
        + _html(SIGNATURE),
        variables=TICKET_VARIABLES + SURVEY_VARIABLES,
        sample=sample,
        order=30,
    )
)
register(
    Notice(
        key="ticket.access_link",
        name="Link to a ticket",
        audience="End user",
        description="When they ask for a link to their ticket on the status page, or for a "
        "fresh one after theirs expired.",
        subject="Your link to ticket #{{ ticket.number }}",
        text=(
            "Dear {{ recipient.name }},\n\n"
            "Here is your link to ticket #{{ ticket.number }}, {{ ticket.subject }}:\n"
            "{{ ticket.link }}\n\n"
            "If you did not ask for it, you can ignore this message.\n\n" + SIGNATURE
        ),
        html=_html(
            "Dear {{ recipient.name }},",
            'Here is your link to ticket #{{ ticket.number }}: <a href="{{ ticket.link }}">'
            "{{ ticket.subject }}</a>",
            "If you did not ask for it, you can ignore this message.",
            SIGNATURE,
        ),
        variables=TICKET_VARIABLES,
        sample=sample,
        order=40,
    )
)

_AGENT_FOOTER = "\n\nTicket #{{ ticket.number }}: {{ ticket.link }}"

register(
    Notice(
        key="agent.new_ticket",
        name="New ticket alert",
        audience="Agents of the department",
        description="When a ticket is opened in a department they see.",
        subject="New ticket: {{ ticket.subject }}",
        text=(
            "{{ entry.author }} opened a ticket in {{ ticket.department }} "
            "({{ ticket.help_topic }}, priority {{ ticket.priority }}):\n\n"
            "{{ entry.body }}" + _AGENT_FOOTER
        ),
        variables=TICKET_VARIABLES + ENTRY_VARIABLES,
        sample=sample,
        order=110,
    )
)
register(
    Notice(
        key="agent.bad_rating",
        name="Bad rating alert",
        audience="The assignee (else its team) and the department's manager",
        description="When the requester rates the resolution of a ticket Bad.",
        subject="Rated Bad: {{ ticket.subject }}",
        text="{{ entry.body }}" + _AGENT_FOOTER,
        variables=TICKET_VARIABLES + ENTRY_VARIABLES,
        sample=sample,
        order=135,
    )
)
register(
    Notice(
        key="agent.new_message",
        name="New message alert",
        audience="The assignee, else agents of the department",
        description="When the end user adds a message to a ticket.",
        subject="New message: {{ ticket.subject }}",
        text="{{ entry.author }} wrote:\n\n{{ entry.body }}" + _AGENT_FOOTER,
        variables=TICKET_VARIABLES + ENTRY_VARIABLES,
        sample=sample,
        order=120,
    )
)
register(
    Notice(
        key="agent.internal_note",
        name="Internal note alert",
        audience="The assignee, else agents of the department",
        description="When an agent posts an internal note.",
        subject="Internal note: {{ ticket.subject }}",
        text="{{ entry.author }} noted:\n\n{{ entry.body }}" + _AGENT_FOOTER,
        variables=TICKET_VARIABLES + ENTRY_VARIABLES,
        sample=sample,
        order=130,
    )
)
register(
    Notice(
        key="agent.assigned",
        name="Assignment alert",
        audience="The new assignee, or the team's members",
        description="When a ticket is assigned to them or their team.",
        subject="Assigned to you: {{ ticket.subject }}",
        text=(
            "{{ agent.name|default:'The help topic' }} assigned ticket #{{ ticket.number }} to "
            "{{ ticket.assignee }}.\n\n{{ ticket.subject }}, priority {{ ticket.priority }}, "
            "due {{ ticket.due|default:'—' }}." + _AGENT_FOOTER
        ),
        variables=TICKET_VARIABLES + ACTOR_VARIABLES,
        sample=sample,
        order=140,
    )
)
register(
    Notice(
        key="agent.transferred",
        name="Transfer alert",
        audience="Agents of the new department",
        description="When a ticket is transferred to a department they see.",
        subject="Transferred to {{ ticket.department }}: {{ ticket.subject }}",
        text=(
            "{{ agent.name }} transferred ticket #{{ ticket.number }} from {{ change.from }} to "
            "{{ change.to }}.\n\n{{ ticket.subject }}, priority {{ ticket.priority }}."
            + _AGENT_FOOTER
        ),
        variables=TICKET_VARIABLES
        + ACTOR_VARIABLES
        + (("change.from", "the department it came from"), ("change.to", "where it went")),
        sample=sample,
        order=150,
    )
)
_SLA_VARIABLES = (
    *TICKET_VARIABLES,
    ("change.target", "which target: First response or Resolution"),
    ("change.due", "when that target is due"),
)
register(
    Notice(
        key="agent.overdue",
        name="Overdue alert",
        audience="The assignee, else the team, else the department",
        description="When a ticket misses its first response or resolution target.",
        subject="Overdue: {{ ticket.subject }}",
        text=(
            "Ticket #{{ ticket.number }} is overdue: its {{ change.target|lower }} was due "
            "{{ change.due }}.\n\n{{ ticket.subject }}, priority {{ ticket.priority }}."
            + _AGENT_FOOTER
        ),
        variables=_SLA_VARIABLES,
        sample=sample,
        order=160,
    )
)
register(
    Notice(
        key="agent.sla_warning",
        name="SLA warning",
        audience="The assignee, else the team, else the department",
        description="When most of a target's time has passed (the plan's warning share).",
        subject="Due soon: {{ ticket.subject }}",
        text=(
            "Ticket #{{ ticket.number }} is due soon: its {{ change.target|lower }} is due "
            "{{ change.due }}.\n\n{{ ticket.subject }}, priority {{ ticket.priority }}."
            + _AGENT_FOOTER
        ),
        variables=_SLA_VARIABLES,
        sample=sample,
        order=170,
    )
)
register(
    Notice(
        key="agent.weekly_summary",
        name="Weekly summary",
        audience="The department's manager",
        description="Every Monday at 07:00 in the manager's time zone, with last week's "
        "figures of the department's tickets they can see (where the department has the "
        "weekly summary on).",
        subject="Weekly summary for {{ department.name }}: {{ period.label }}",
        text=(
            "Dear {{ recipient.name }},\n\n"
            "Here is how {{ department.name }} did from {{ period.label }} "
            "({{ period.zone }}), counting the tickets you can see.\n\n"
            "In the week\n"
            "  Tickets created: {{ week.created }}\n"
            "  Resolved or closed: {{ week.resolved }}\n"
            "  Reopened: {{ week.reopened }}\n"
            "  Became overdue: {{ week.overdue }}\n"
            "  First responses on time: {{ week.first_responses_on_time }}\n"
            "  Resolutions on time: {{ week.resolutions_on_time }}\n"
            "  Median time to first response: {{ week.first_response_median }}\n"
            "  Median time to resolution: {{ week.resolution_median }}\n"
            "  Satisfaction: {{ week.satisfaction }}\n"
            "(Times are working hours of each ticket's SLA schedule.)\n\n"
            "Now\n"
            "  Open: {{ backlog.open }}\n"
            "  Overdue: {{ backlog.overdue }}\n"
            "  Unassigned: {{ backlog.unassigned }}\n\n"
            "The dashboard for this week:\n{{ dashboard_url }}\n\n" + SIGNATURE
        ),
        variables=(
            ("department.name", "the department's name"),
            ("period.label", "the week, such as Mon 7 Dec 2026 to Sun 13 Dec 2026"),
            ("period.start", "its first day, such as 2026-12-07"),
            ("period.end", "its last day, such as 2026-12-13"),
            ("period.zone", "the manager's time zone, in which the days are counted"),
            ("week.created", "tickets created in the week"),
            ("week.resolved", "tickets resolved or closed in the week"),
            ("week.reopened", "tickets reopened in the week"),
            ("week.overdue", "tickets that became overdue in the week"),
            (
                "week.first_responses_on_time",
                "first responses made by their due time, such as 67 % (2 of 3), or “no first "
                "responses in the week”",
            ),
            (
                "week.resolutions_on_time",
                "resolutions made by their due time, likewise, or “no resolutions in the week”",
            ),
            (
                "week.first_response_median",
                "the median working time to a first response, such as 2 h 10 min, or “not "
                "measured”",
            ),
            ("week.resolution_median", "the median working time to a resolution, likewise"),
            ("week.satisfaction", "such as 75 % good of 4 ratings, or “no ratings”"),
            ("backlog.open", "the department's open tickets now"),
            ("backlog.overdue", "of those, overdue"),
            ("backlog.unassigned", "of those, assigned to nobody"),
            ("dashboard_url", "the dashboard for the department and the week"),
            ("recipient.name", "the manager's name"),
            ("recipient.email", "their address"),
            ("helpdesk.name", "the helpdesk's name"),
            ("helpdesk.url", "the helpdesk's address"),
        ),
        sample=lambda: {
            "department": {"name": "Support"},
            "period": {
                "label": "Mon 7 Dec 2026 to Sun 13 Dec 2026",
                "start": "2026-12-07",
                "end": "2026-12-13",
                "zone": "Europe/Berlin",
            },
            "week": {
                "created": 42,
                "resolved": 38,
                "reopened": 3,
                "overdue": 5,
                "first_responses_on_time": "90 % (36 of 40)",
                "resolutions_on_time": "82 % (31 of 38)",
                "first_response_median": "1 h 5 min",
                "resolution_median": "6 h 40 min",
                "satisfaction": "75 % good of 12 ratings",
            },
            "backlog": {"open": 17, "overdue": 2, "unassigned": 4},
            "dashboard_url": "https://helpdesk.example.com/scp/dashboard/?period=range"
            "&start=2026-12-07&end=2026-12-13&department=1",
            "recipient": {"name": "John Miller", "email": "john@example.com"},
            "helpdesk": {"name": "Helpdesk", "url": "https://helpdesk.example.com"},
        },
        order=180,
    )
)
register(
    Notice(
        key="admin.mailbox_failing",
        name="Mailbox failing alert",
        audience="Administrators",
        description="When a mailbox could not be fetched several times in a row (once, until "
        "it works again).",
        subject="Mailbox {{ mailbox.name }} is failing",
        text=(
            "The helpdesk could not fetch mail from {{ mailbox.name }} ({{ mailbox.address }}) "
            "{{ mailbox.failures }} times in a row. Mail sent to it is not reaching the "
            "helpdesk until this is fixed.\n\nThe last answer was:\n{{ mailbox.error }}\n\n"
            "Check the mailbox's settings in the admin panel:\n{{ mailbox.link }}\n"
        ),
        variables=(
            ("mailbox.name", "the mailbox's name"),
            ("mailbox.address", "its email address"),
            ("mailbox.failures", "how many fetches in a row failed"),
            ("mailbox.error", "what the mail server (or the network) answered last"),
            ("mailbox.link", "its page in the admin panel"),
            ("recipient.name", "the administrator's name"),
        ),
        sample=lambda: {
            "mailbox": {
                "name": "Support",
                "address": "support@example.com",
                "failures": 3,
                "error": "IMAP4.error: [AUTHENTICATIONFAILED] Authentication failed.",
                "link": "https://helpdesk.example.com/scp/admin/mailboxes/1/",
            },
            "recipient": {"name": "Ada Lovelace"},
        },
        order=300,
    )
)
