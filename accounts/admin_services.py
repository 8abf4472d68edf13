"""Writes of the admin panel that are more than a ModelForm.save().

Nothing here deletes: configuration that tickets point to is deactivated, never removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.forms import PasswordResetForm
from django.db import IntegrityError, transaction

from accounts.models import Agent, Organization, User
from sla import timing
from sla.models import Schedule, SLAPlan

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.admin_forms import (
        AgentForm,
        BaseExtendedAccessFormSet,
        EndUserForm,
        ScheduleForm,
        SLAPlanForm,
    )


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


def builtin_schedule_pk() -> int | None:
    """The built-in "24/7" schedule: the first 24/7 one, made by the migration.

    Known by being first rather than by name, because administrators may rename it (and
    it stays 24/7: its form does not let that change).
    """
    first = Schedule.objects.filter(is_always=True).order_by("pk").values_list("pk", flat=True)
    return first.first()


def is_builtin_schedule(schedule: Schedule) -> bool:
    return schedule.pk is not None and schedule.is_always and schedule.pk == builtin_schedule_pk()


def _names(items) -> str:
    names = [str(item) for item in items]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def schedule_deactivation_refusal(schedule: Schedule) -> str | None:
    """Why this schedule may not be deactivated, or None.

    The built-in 24/7 schedule stays, and so does one an active SLA plan counts in (the
    plans are named, so the administrator knows what to change first).
    """
    if schedule.pk is None:
        return None
    if is_builtin_schedule(schedule):
        return (
            f"“{schedule}” is the built-in 24/7 schedule; it can be renamed or given another "
            f"time zone, but it stays active."
        )
    plans = list(SLAPlan.objects.filter(schedule=schedule, is_active=True).order_by("name"))
    if not plans:
        return None
    if len(plans) == 1:
        return (
            f"The active SLA plan {plans[0]} counts its hours in “{schedule}”; give it another "
            f"schedule or deactivate it first."
        )
    return (
        f"The active SLA plans {_names(plans)} count their hours in “{schedule}”; give them "
        f"another schedule or deactivate them first."
    )


def plan_schedule_refusal(schedule: Schedule) -> str | None:
    """Why an active SLA plan may not count in this schedule (an inactive one), or None."""
    if schedule.is_active:
        return None
    return (
        f"The schedule “{schedule}” is inactive; choose an active schedule, or reactivate "
        f"“{schedule}” first."
    )


def _locked_schedule(pk: int) -> Schedule:
    # A plan being switched on and its schedule being switched off must not cross.
    return Schedule.objects.select_for_update().get(pk=pk)


def set_active(obj, *, is_active: bool, by: Agent) -> None:
    """Deactivate or reactivate a configuration object, an agent or an end user.

    Agents and end users are (de)activated through their user's is_active. Refuses to
    lock the administrators out (see lockout_refusal), to deactivate a schedule that is
    built in or that an active plan uses, and to reactivate a plan on an inactive schedule.
    """
    with transaction.atomic():
        if isinstance(obj, Agent):
            _lock_active_admins()
            refusal = lockout_refusal(obj, by=by, is_active=is_active, is_admin=obj.is_admin)
            if refusal is not None:
                raise AdminPanelError(refusal)
            obj = obj.user
        elif isinstance(obj, Schedule) and not is_active:
            refusal = schedule_deactivation_refusal(_locked_schedule(obj.pk))
            if refusal is not None:
                raise AdminPanelError(refusal)
        elif isinstance(obj, SLAPlan) and is_active:
            refusal = plan_schedule_refusal(_locked_schedule(obj.schedule_id))
            if refusal is not None:
                raise AdminPanelError(refusal)
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


def save_schedule(form: ScheduleForm) -> Schedule:
    """Save a schedule with its working hours and holidays in one transaction.

    Refuses to deactivate a schedule that is built in or that an active plan uses, and a
    name or holiday another administrator saved meanwhile.
    """
    try:
        with transaction.atomic():
            if form.instance.pk and not form.cleaned_data["is_active"]:
                refusal = schedule_deactivation_refusal(_locked_schedule(form.instance.pk))
                if refusal is not None:
                    raise AdminPanelError(refusal)
            schedule = form.save()
            for rows in (form.hours, form.holidays):
                rows.instance = schedule
                rows.save()
            # New hours or holidays move the due times of every open ticket counting on them.
            timing.recompute_open_tickets(SLAPlan.objects.filter(schedule=schedule))
    except IntegrityError as error:
        raise AdminPanelError(
            "Another administrator saved a schedule with this name, or a holiday on one of "
            "these days, a moment ago; check and save again."
        ) from error
    return schedule


def save_sla_plan(form: SLAPlanForm) -> SLAPlan:
    """Save an SLA plan. Refuses an active plan on a schedule deactivated meanwhile, and a
    name another administrator saved meanwhile."""
    try:
        with transaction.atomic():
            plan = form.save(commit=False)
            if plan.is_active:
                refusal = plan_schedule_refusal(_locked_schedule(plan.schedule_id))
                if refusal is not None:
                    raise AdminPanelError(refusal)
            plan.save()
            # What the admin's preview announced: the plan's open tickets follow its new targets.
            timing.recompute_open_tickets([plan])
    except IntegrityError as error:
        raise AdminPanelError(
            "Another administrator saved an SLA plan with this name a moment ago; check the "
            "name and save again."
        ) from error
    return plan


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
