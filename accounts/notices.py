"""The mail about people's accounts, with its default wording (helpdesk.mail.notices)."""

from helpdesk.mail.notices import Notice, register


def sample() -> dict:
    return {
        "recipient": {"name": "Bob Novak", "email": "bob@example.com"},
        "invitation": {
            "link": "https://helpdesk.example.com/scp/password-reset/Mg/set-password/",
            "expires": "3 days",
        },
        "agent": {"name": "Ada Lovelace"},
        "helpdesk": {"name": "Helpdesk", "url": "https://helpdesk.example.com"},
    }


register(
    Notice(
        key="agent.invitation",
        name="New agent invitation",
        audience="New agent",
        description="When an administrator adds an agent without a password, or sends one "
        "who has none an invitation from their page.",
        subject="You are invited to {{ helpdesk.name }}",
        text=(
            "Hello {{ recipient.name }},\n\n"
            "{{ agent.name|default:'An administrator' }} has added you as an agent of "
            "{{ helpdesk.name }}, with the address {{ recipient.email }}.\n"
            "Open this link to choose your password and sign in; it works once, for "
            "{{ invitation.expires }}:\n\n{{ invitation.link }}\n\n"
            "If you were not expecting this, ignore this message.\n"
        ),
        html=(
            "<p>Hello {{ recipient.name }},</p>\n"
            "<p>{{ agent.name|default:'An administrator' }} has added you as an agent of "
            "{{ helpdesk.name }}, with the address {{ recipient.email }}.</p>\n"
            '<p><a href="{{ invitation.link }}">Choose your password and sign in</a>; the link '
            "works once, for {{ invitation.expires }}.</p>\n"
            "<p>If you were not expecting this, ignore this message.</p>"
        ),
        variables=(
            ("recipient.name", "the new agent's name"),
            ("recipient.email", "their address, which they sign in with"),
            ("invitation.link", "the link to choose a password (works once)"),
            ("invitation.expires", "how long the link works, such as 3 days"),
            ("agent.name", "the administrator who sent it"),
            ("helpdesk.name", "the helpdesk's name"),
            ("helpdesk.url", "the helpdesk's address"),
        ),
        sample=sample,
        order=200,
    )
)
