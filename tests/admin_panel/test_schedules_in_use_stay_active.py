"""A schedule stays active while an active SLA plan counts in it; the built-in 24/7 always.

And the other way round: an active plan counts only in an active schedule.
"""

from datetime import time

import pytest
from django.urls import reverse

from sla.models import Schedule
from tests import factories
from tests.admin_panel.pages import form_data, messages_of, shown_values


@pytest.fixture
def office(db):
    """Weekday office hours in Berlin."""
    office = factories.ScheduleFactory(name="Berlin office", timezone="Europe/Berlin")
    factories.WorkingHoursFactory(schedule=office, weekday=0, start=time(9), end=time(17))
    return office


@pytest.fixture
def always():
    """The built-in 24/7 schedule, as the migration made it."""
    return factories.always_schedule()


def deactivate(client, schedule):
    return client.post(reverse("admin-panel:schedule-deactivate", args=[schedule.pk]))


def is_active(obj) -> bool:
    obj.refresh_from_db()
    return obj.is_active


def test_an_unused_schedule_is_deactivated_and_reactivated(as_admin, office):
    off = deactivate(as_admin, office)

    assert off["Location"] == reverse("admin-panel:schedule-list")
    assert messages_of(off) == ["Schedule “Berlin office” was deactivated."]
    assert not is_active(office)
    assert "Inactive</span>" in as_admin.get(reverse("admin-panel:schedule-list")).content.decode()

    on = as_admin.post(reverse("admin-panel:schedule-reactivate", args=[office.pk]))

    assert messages_of(on) == ["Schedule “Berlin office” was reactivated."]
    assert is_active(office)


def test_a_schedule_an_active_plan_uses_is_not_deactivated(as_admin, office, sev_a, sev_c):
    factories.SLAPlanFactory(name="Sev-B", schedule=office)
    for plan in (sev_a, sev_c):
        plan.schedule = office
        plan.save()

    response = deactivate(as_admin, office)

    assert messages_of(response) == [
        "The active SLA plans Sev-A, Sev-B and Sev-C count their hours in “Berlin office”; "
        "give them another schedule or deactivate them first."
    ]
    assert is_active(office)


def test_a_schedule_only_inactive_plans_use_is_deactivated(as_admin, office, sev_c):
    sev_c.schedule = office
    sev_c.is_active = False
    sev_c.save()
    sev_b = factories.SLAPlanFactory(name="Sev-B", schedule=office)

    refused = deactivate(as_admin, office)

    assert messages_of(refused) == [
        "The active SLA plan Sev-B counts its hours in “Berlin office”; give it another "
        "schedule or deactivate it first."
    ]
    sev_b.is_active = False
    sev_b.save()

    # (The refusal above is still in the session, unread.)
    assert messages_of(deactivate(as_admin, office))[-1] == (
        "Schedule “Berlin office” was deactivated."
    )
    assert not is_active(office)


def test_unticking_active_on_the_form_is_refused_while_a_plan_uses_it(as_admin, office, sev_c):
    sev_c.schedule = office
    sev_c.save()
    url = reverse("admin-panel:schedule-edit", args=[office.pk])
    form = as_admin.get(url).context["form"]

    response = as_admin.post(url, form_data(form, form.hours, form.holidays, is_active=False))

    assert response.status_code == 200
    assert response.context["form"].errors["is_active"] == [
        "The active SLA plan Sev-C counts its hours in “Berlin office”; give it another "
        "schedule or deactivate it first."
    ]
    assert is_active(office)


def test_the_built_in_24_7_schedule_is_renamed_and_rezoned(as_admin, always):
    url = reverse("admin-panel:schedule-edit", args=[always.pk])
    page = as_admin.get(url)
    form = page.context["form"]
    assert form.fields["is_always"].disabled
    assert form.fields["is_active"].disabled
    assert ">Deactivate</button>" not in page.content.decode()

    # A browser sends no value for disabled boxes; the schedule stays 24/7 and active.
    response = as_admin.post(
        url,
        form_data(
            form,
            form.hours,
            form.holidays,
            name="Around the clock",
            timezone="Europe/Berlin",
            is_always=False,
            is_active=False,
        ),
    )

    assert response.status_code == 302
    always.refresh_from_db()
    assert (always.name, always.timezone, always.is_always, always.is_active) == (
        "Around the clock",
        "Europe/Berlin",
        True,
        True,
    )


def test_the_built_in_24_7_schedule_is_not_deactivated(as_admin, always):
    response = deactivate(as_admin, always)

    assert messages_of(response) == [
        "“24/7” is the built-in 24/7 schedule; it can be renamed or given another time zone, "
        "but it stays active."
    ]
    assert is_active(always)


def test_another_24_7_schedule_may_be_deactivated(as_admin, always):
    berlin = factories.ScheduleFactory(name="24/7 Berlin", is_always=True)

    deactivate(as_admin, berlin)

    assert not is_active(berlin)


def test_the_plan_form_offers_only_active_schedules(as_admin, office, always):
    factories.ScheduleFactory(name="Retired hours", is_active=False)

    form = as_admin.get(reverse("admin-panel:sla-plan-create")).context["form"]

    assert list(form.fields["schedule"].queryset) == [always, office]
    assert form.fields["schedule"].initial == always.pk


def test_an_active_plan_keeps_an_inactive_schedule_only_by_going_inactive(as_admin, sev_c, office):
    sev_c.schedule = office
    sev_c.is_active = False
    sev_c.save()
    Schedule.objects.filter(pk=office.pk).update(is_active=False)
    url = reverse("admin-panel:sla-plan-edit", args=[sev_c.pk])
    form = as_admin.get(url).context["form"]
    assert office in form.fields["schedule"].queryset

    response = as_admin.post(url, form_data(form, is_active=True))

    assert response.status_code == 200
    assert response.context["form"].errors["schedule"] == [
        "The schedule “Berlin office” is inactive; choose an active schedule, or reactivate "
        "“Berlin office” first."
    ]
    assert shown_values(response)["is_active"] == ["on"]
    assert not is_active(sev_c)


def test_a_plan_on_an_inactive_schedule_is_not_reactivated(as_admin, sev_c, office):
    sev_c.schedule = office
    sev_c.is_active = False
    sev_c.save()
    Schedule.objects.filter(pk=office.pk).update(is_active=False)

    response = as_admin.post(reverse("admin-panel:sla-plan-reactivate", args=[sev_c.pk]))

    assert messages_of(response) == [
        "The schedule “Berlin office” is inactive; choose an active schedule, or reactivate "
        "“Berlin office” first."
    ]
    assert not is_active(sev_c)


def test_deactivate_and_reactivate_refuse_get(as_admin, office):
    for action in ("deactivate", "reactivate"):
        url = reverse(f"admin-panel:schedule-{action}", args=[office.pk])
        assert as_admin.get(url).status_code == 405
    assert is_active(office)
