"""Writes of the admin panel that are more than a ModelForm.save().

Nothing here deletes: configuration that tickets point to is deactivated, never removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.forms import PasswordResetForm
from django.db import IntegrityError, transaction

from accounts.models import Agent, Organization, User

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.admin_forms import AgentForm, BaseExtendedAccessFormSet, EndUserForm


class AdminPanelError(Exception):
    """A change the admin panel refuses; the message is for the administrator."""


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


def set_active(obj, *, is_active: bool, by: Agent) -> None:
    """Deactivate or reactivate a configuration object, an agent or an end user.

    Agents and end users are (de)activated through their user's is_active. Refuses to
    lock the administrators out (see lockout_refusal).
    """
    with transaction.atomic():
        if isinstance(obj, Agent):
            _lock_active_admins()
            refusal = lockout_refusal(obj, by=by, is_active=is_active, is_admin=obj.is_admin)
            if refusal is not None:
                raise AdminPanelError(refusal)
            obj = obj.user
        obj.is_active = is_active
        obj.save(update_fields=["is_active"])


def save_agent(form: AgentForm, access: BaseExtendedAccessFormSet, *, by: Agent) -> Agent:
    """Save an agent with their user and extended access in one transaction.

    A new agent whose address belongs to an end user takes over that user. Refuses to
    lock the administrators out, and an address another account took meanwhile.
    """
    data = form.cleaned_data
    try:
        with transaction.atomic():
            if form.instance.pk:
                _lock_active_admins()
                refusal = lockout_refusal(
                    form.instance, by=by, is_active=data["is_active"], is_admin=data["is_admin"]
                )
                if refusal is not None:
                    raise AdminPanelError(refusal)
                user = form.instance.user
            else:
                user = form.existing_user or User()
            user.email = data["email"]
            user.full_name = data["full_name"]
            user.is_active = data["is_active"]
            if form.password:
                user.set_password(form.password)
            elif user.pk is None:
                user.set_unusable_password()
            user.save()
            agent = form.save(commit=False)
            agent.user = user
            agent.save()
            access.instance = agent
            access.save()
    except IntegrityError as error:
        raise AdminPanelError(
            "Another account took this email address a moment ago; check the address and "
            "save again."
        ) from error
    return agent


def save_end_user(form: EndUserForm) -> User:
    """Save an end user; a typed new organization is created (or found, ignoring case).

    Refuses an address or organization another account created meanwhile.
    """
    try:
        with transaction.atomic():
            user = form.save(commit=False)
            name = form.cleaned_data["new_organization"]
            if name:
                organization = Organization.objects.filter(name__iexact=name).first()
                user.organization = organization or Organization.objects.create(name=name)
            if user._state.adding:
                # End users follow their tickets through links until they choose a password.
                user.set_unusable_password()
            user.save()
    except IntegrityError as error:
        raise AdminPanelError(
            "Another account or organization with this name was saved a moment ago; check "
            "and save again."
        ) from error
    return user


class _OneUserPasswordResetForm(PasswordResetForm):
    """Django's reset mail for one chosen user, also when they have no password yet.

    Django's form skips users without a usable password (right for the public form);
    an administrator sends this mail precisely to give a new agent their first one.
    """

    def __init__(self, user: User):
        super().__init__({"email": user.email})
        self.user = user

    def get_users(self, email):
        return [self.user]


def send_password_reset_email(agent: Agent, *, request: HttpRequest) -> None:
    """Email the agent a link to choose a new password. Refuses an inactive agent."""
    user = agent.user
    if not user.is_active:
        raise AdminPanelError(
            f"{agent} is inactive and cannot sign in; reactivate them before sending a "
            f"password reset email."
        )
    form = _OneUserPasswordResetForm(user)
    if not form.is_valid():
        raise AdminPanelError(f"{user.email} is not an address mail can be sent to.")
    form.save(
        request=request,
        use_https=request.is_secure(),
        email_template_name="emails/password_reset.txt",
        subject_template_name="emails/password_reset_subject.txt",
        extra_email_context={"confirm_url_name": "staff:password-reset-confirm"},
    )
