"""Writes to people: end users found or created, agents and their access, activation.

Nothing here deletes: an account that tickets point to is deactivated, never removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.timesince import timeuntil
from django.utils.timezone import now

from accounts import emails
from accounts.forms import OutboxPasswordResetForm
from accounts.models import Agent, DepartmentAccess, Organization, Role, User
from helpdesk.errors import Refused as _Refused
from helpdesk.mail import notices, outbox

if TYPE_CHECKING:
    from django.http import HttpRequest


class Refused(_Refused):
    """A change to people or their access that a rule refuses; the message says why."""


class StaffAddress(Refused):
    """An agent's address used where nobody signed in: it may not act as that agent."""


def find_or_create_end_user(
    *, email: str, full_name: str, phone: str = "", public: bool = False
) -> User:
    """Return the user with this email (normalised by accounts.emails, matched
    case-insensitively), creating one if new. Raises emails.RefusedAddress for a look-alike,
    and, from the `public` side (nobody signed in), StaffAddress for an agent's address:
    a form, a mail or an API call cannot prove an agent sent it.

    A new user takes the name and phone given; an existing user's profile is never changed:
    anyone can type anybody's address into a ticket form, so what they type is kept on the
    ticket (Ticket.given_name, given_phone), not written into the account agents rely on.
    """
    email = User.objects.normalize_email(email)
    # With its agent row, so that the public side's question costs no query.
    user = User.objects.with_email(email).select_related("agent").first()
    if user is None:
        try:
            with transaction.atomic():
                # A new user is nobody's agent.
                return User.objects.create_user(email, full_name=full_name, phone=phone)
        except IntegrityError:
            # Another request created this address a moment ago.
            user = User.objects.with_email(email).select_related("agent").get()
    if public and user.is_agent:
        raise StaffAddress(emails.STAFF_ADDRESS)
    return user


def lockout_refusal(agent: Agent, *, by: Agent, is_active: bool, is_admin: bool) -> str | None:
    """Why giving this agent these flags would lock administrators out, or None.

    One active administrator always remains, and nobody deactivates or demotes
    themselves (they would lose the page they are on).
    """
    if agent.pk is None or (is_active and is_admin):
        return None
    is_active_admin = Agent.objects.filter(pk=agent.pk, is_admin=True, user__is_active=True)
    if not is_active_admin.exists():
        return None
    others = Agent.objects.filter(is_admin=True, user__is_active=True).exclude(pk=agent.pk)
    if not others.exists():
        return (
            f"{agent} is the last active administrator; make another agent an administrator first."
        )
    if agent.pk == by.pk:
        if not is_active:
            return "You cannot deactivate yourself; ask another administrator."
        return "You cannot remove your own administrator flag; ask another administrator."
    return None


def _lock_active_admins() -> None:
    # Two administrators demoting each other at once must not both succeed.
    list(Agent.objects.select_for_update().filter(is_admin=True, user__is_active=True))


def _refuse_lockout(agent: Agent, *, by: Agent, is_active: bool, is_admin: bool) -> None:
    _lock_active_admins()
    refusal = lockout_refusal(agent, by=by, is_active=is_active, is_admin=is_admin)
    if refusal is not None:
        raise Refused(refusal)


@transaction.atomic
def set_agent_active(agent: Agent, *, is_active: bool, by: Agent) -> None:
    """Let an agent sign in again, or stop them. Refuses to lock the administrators out."""
    _refuse_lockout(agent, by=by, is_active=is_active, is_admin=agent.is_admin)
    user = agent.user
    user.is_active = is_active
    user.save(update_fields=["is_active"])


@transaction.atomic
def update_profile(agent: Agent, *, full_name: str, signature: str, timezone: str) -> Agent:
    """An agent's own name, signature and time zone."""
    agent.user.full_name = full_name.strip()
    agent.user.save(update_fields=["full_name"])
    agent.signature = signature.strip()
    agent.timezone = timezone
    agent.save(update_fields=["signature", "timezone"])
    return agent


def set_user_active(user: User, *, is_active: bool, by: Agent | None = None) -> None:
    """Let an end user sign in and be found again, or stop them."""
    user.is_active = is_active
    user.save(update_fields=["is_active"])


def save_agent(
    agent: Agent,
    *,
    email: str,
    full_name: str,
    is_active: bool,
    password: str,
    extended_access: Iterable[tuple[object, Role]],
    existing_user: User | None = None,
    by: Agent,
) -> Agent:
    """Save an agent (its department, role and flags set) with their user and extended
    access, in one transaction.

    A new agent whose address belongs to an end user (`existing_user`) takes over that
    user. `extended_access` is every (department, role) the agent holds besides their
    primary department; rows not in it are removed. A new agent without a password is sent
    an invitation to choose one. Refuses to lock the administrators out, and an address
    another account took meanwhile.
    """
    creating = agent.pk is None
    try:
        with transaction.atomic():
            if not creating:
                _refuse_lockout(agent, by=by, is_active=is_active, is_admin=agent.is_admin)
                user = agent.user
            else:
                user = existing_user or User()
            user.email = email
            user.full_name = full_name
            user.is_active = is_active
            if password:
                user.set_password(password)
            elif user.pk is None:
                user.set_unusable_password()
            user.save()
            agent.user = user
            agent.save()
            _replace_extended_access(agent, extended_access)
            if creating and is_active and not user.has_usable_password():
                send_invitation(agent, by=by)
    except IntegrityError as error:
        raise Refused(
            "Another account took this email address a moment ago; check the address and "
            "save again."
        ) from error
    return agent


def _replace_extended_access(agent: Agent, chosen: Iterable[tuple[object, Role]]) -> None:
    roles = {department.pk: role for department, role in chosen}
    rows = {row.department_id: row for row in agent.extended_access.all()}
    agent.extended_access.exclude(department_id__in=list(roles)).delete()
    for department_id, role in roles.items():
        row = rows.get(department_id)
        if row is None:
            DepartmentAccess.objects.create(agent=agent, department_id=department_id, role=role)
        elif row.role_id != role.pk:
            row.role = role
            row.save(update_fields=["role"])


def save_end_user(user: User, *, new_organization: str = "") -> User:
    """Save an end user; a typed new organization is created (or found, ignoring case).

    Refuses an address or organization another account created meanwhile.
    """
    try:
        with transaction.atomic():
            if new_organization:
                organization = Organization.objects.filter(name__iexact=new_organization).first()
                user.organization = organization or Organization.objects.create(
                    name=new_organization
                )
            if user._state.adding:
                # End users follow their tickets through links until they choose a password.
                user.set_unusable_password()
            user.save()
    except IntegrityError as error:
        raise Refused(
            "Another account or organization with this name was saved a moment ago; check "
            "and save again."
        ) from error
    return user


class _OneUserPasswordResetForm(OutboxPasswordResetForm):
    """Django's reset mail for one chosen user.

    Django's form skips users without a usable password (right for the public form); an
    administrator resetting an agent's password means this one agent.
    """

    def __init__(self, user: User):
        super().__init__({"email": user.email})
        self.user = user

    def get_users(self, email):
        return [self.user]


def _refuse_inactive(agent: Agent, what: str) -> None:
    if not agent.user.is_active:
        raise Refused(
            f"{agent} is inactive and cannot sign in; reactivate them before sending {what}."
        )


def send_password_reset_email(agent: Agent, *, request: HttpRequest) -> None:
    """Email the agent a link to choose a new password. Refuses an inactive agent."""
    user = agent.user
    _refuse_inactive(agent, "a password reset email")
    form = _OneUserPasswordResetForm(user)
    if not form.is_valid():
        raise Refused(f"{user.email} is not an address mail can be sent to.")
    form.save(
        request=request,
        use_https=request.is_secure(),
        email_template_name="emails/password_reset.txt",
        subject_template_name="emails/password_reset_subject.txt",
        extra_email_context={"confirm_url_name": "staff:password-reset-confirm"},
    )


def is_invited(agent: Agent) -> bool:
    """An agent who has never chosen a password: what they need is an invitation."""
    return not agent.user.has_usable_password()


def send_invitation(agent: Agent, *, by: Agent | None) -> None:
    """Invite the agent to choose their first password (a link that works once). Refuses
    an inactive agent and one who has a password (they get a password reset instead)."""
    user = agent.user
    _refuse_inactive(agent, "an invitation")
    if user.has_usable_password():
        raise Refused(f"{agent} has a password already; send a password reset email instead.")
    path = reverse(
        "staff:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    expires = timeuntil(now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT), now())
    values = {
        "recipient": {"name": user.display_name, "email": user.email},
        "invitation": {"link": settings.HELPDESK_BASE_URL + path, "expires": expires},
        "agent": {"name": by.user.display_name if by else ""},
        "helpdesk": {"name": settings.HELPDESK_NAME, "url": settings.HELPDESK_BASE_URL},
    }
    rendered = notices.render("agent.invitation", values)
    if rendered is None:
        raise Refused("The invitation is switched off (Email Templates); switch it on first.")
    outbox.queue(
        notice="agent.invitation",
        to=[user.email],
        rendered=rendered,
        message_id=outbox.make_message_id("invitation"),
        headers={"Auto-Submitted": "auto-generated"},
        regarding=f"Agent {user.display_name}",
    )
