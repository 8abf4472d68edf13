"""Writes to SLA plans and schedules, and the rules that refuse them.

Nothing here deletes: a plan or schedule that tickets count on is deactivated, never
removed. Whatever counts on a plan learns of each change through sla.signals.plans_changed.
"""

from collections.abc import Iterable
from datetime import date, time

from django.db import IntegrityError, transaction

from helpdesk.errors import Refused as _Refused
from sla import calendars
from sla.models import Holiday, Schedule, SLAPlan, WorkingHours
from sla.signals import plans_changed


class Refused(_Refused):
    """A change to SLA plans or schedules that a rule refuses; the message says why."""


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


def _refuse(refusal: str | None) -> None:
    if refusal is not None:
        raise Refused(refusal)


@transaction.atomic
def set_schedule_active(schedule: Schedule, *, is_active: bool, by=None) -> None:
    """Deactivate or reactivate a schedule. Refuses to deactivate the built-in 24/7 one and
    one that an active plan counts in."""
    if not is_active:
        _refuse(schedule_deactivation_refusal(_locked_schedule(schedule.pk)))
    schedule.is_active = is_active
    schedule.save(update_fields=["is_active"])


@transaction.atomic
def set_plan_active(plan: SLAPlan, *, is_active: bool, by=None) -> None:
    """Deactivate or reactivate a plan. Refuses to reactivate one on an inactive schedule."""
    if is_active:
        _refuse(plan_schedule_refusal(_locked_schedule(plan.schedule_id)))
    plan.is_active = is_active
    plan.save(update_fields=["is_active"])


def save_schedule(
    schedule: Schedule,
    *,
    hours: Iterable[tuple[int, time, time]],
    holidays: Iterable[tuple[date, str]],
) -> Schedule:
    """Save a schedule (its name, zone and flags set) with exactly these working hours
    (weekday, start, end) and holidays (date, name), in one transaction.

    Refuses to deactivate a schedule that is built in or that an active plan uses, and a
    name or holiday another administrator saved meanwhile.
    """
    try:
        with transaction.atomic():
            if schedule.pk and not schedule.is_active:
                _refuse(schedule_deactivation_refusal(_locked_schedule(schedule.pk)))
            schedule.save()
            schedule.hours.all().delete()
            WorkingHours.objects.bulk_create(
                WorkingHours(schedule=schedule, weekday=weekday, start=start, end=end)
                for weekday, start, end in hours
            )
            schedule.holidays.all().delete()
            Holiday.objects.bulk_create(
                Holiday(schedule=schedule, date=day, name=name) for day, name in holidays
            )
            # bulk_create sends no signal: the kept clocks (sla.calendars) are read again.
            calendars.forget()
            # New hours or holidays move the due times of whatever counts on them.
            plans_changed.send(sender=Schedule, plans=list(schedule.plans.all()))
    except IntegrityError as error:
        raise Refused(
            "Another administrator saved a schedule with this name, or a holiday on one of "
            "these days, a moment ago; check and save again."
        ) from error
    return schedule


def save_sla_plan(plan: SLAPlan) -> SLAPlan:
    """Save an SLA plan. Refuses an active plan on a schedule deactivated meanwhile, and a
    name another administrator saved meanwhile."""
    try:
        with transaction.atomic():
            if plan.is_active:
                _refuse(plan_schedule_refusal(_locked_schedule(plan.schedule_id)))
            plan.save()
            # What the admin's preview announced: whatever counts on the plan follows it.
            plans_changed.send(sender=SLAPlan, plans=[plan])
    except IntegrityError as error:
        raise Refused(
            "Another administrator saved an SLA plan with this name a moment ago; check the "
            "name and save again."
        ) from error
    return plan
