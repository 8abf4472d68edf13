"""SLA plans: list, create, edit; targets are positive working hours of a schedule, the
first response comes first, and a warning is a share of a target."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sla.models import SLAPlan
from tests import factories
from tests.admin_panel.pages import form_data, labels, messages_of, shown_values

LIST = reverse("admin-panel:sla-plan-list")
CREATE = reverse("admin-panel:sla-plan-create")


@pytest.fixture
def office(db):
    """A schedule of office hours for plans that do not run around the clock."""
    return factories.ScheduleFactory(name="Berlin office")


@pytest.fixture
def always(db):
    """The built-in 24/7 schedule."""
    return factories.always_schedule()


def test_the_list_shows_plans_by_name_with_their_targets(as_admin, sev_a, sev_c, office):
    sev_c.is_active = False
    sev_c.schedule = office
    sev_c.warning_percent = 75
    sev_c.save()

    page = as_admin.get(LIST).content.decode()

    assert page.index("Sev-A") < page.index("Sev-C")
    assert "First Response (working hours)" in page
    assert "<td>0.25</td>" in page
    assert "<td>8</td>" in page
    assert "<td>24/7</td>" in page
    assert "<td>Berlin office</td>" in page
    assert "<td>75 %</td>" in page
    assert "Inactive" in page
    assert "New SLA Plan" in page


def test_the_form_labels_its_fields_as_people_expect(as_admin):
    assert labels(as_admin.get(CREATE)) == [
        "Name",
        "Schedule",
        "First Response (working hours)",
        "Resolution (working hours)",
        "Warn at (% of target)",
        "Active",
    ]


def test_an_administrator_creates_a_plan(as_admin, office):
    response = as_admin.post(
        CREATE,
        {
            "name": "Sev-B",
            "schedule": office.pk,
            "first_response_hours": "1.5",
            "resolution_hours": "4",
            "warning_percent": "80",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == LIST
    plan = SLAPlan.objects.get(name="Sev-B")
    assert plan.schedule == office
    assert plan.first_response_hours == Decimal("1.5")
    assert plan.resolution_hours == Decimal("4")
    assert plan.warning_percent == 80
    assert messages_of(response) == ["SLA Plan “Sev-B” was created."]


def test_a_new_plan_counts_around_the_clock_unless_told_otherwise(as_admin, always):
    form = as_admin.get(CREATE).context["form"]

    response = as_admin.post(
        CREATE, form_data(form, name="Sev-B", first_response_hours="1", resolution_hours="4")
    )

    assert response.status_code == 302
    plan = SLAPlan.objects.get(name="Sev-B")
    assert plan.schedule == always
    assert plan.warning_percent is None


def test_a_plan_needs_a_schedule(as_admin):
    response = as_admin.post(
        CREATE, {"name": "Sev-B", "first_response_hours": "1", "resolution_hours": "4"}
    )

    assert response.context["form"].errors["schedule"] == ["This field is required."]
    assert not SLAPlan.objects.filter(name="Sev-B").exists()


@pytest.mark.parametrize("percent", ["0", "100", "-5"])
def test_a_warning_outside_1_to_99_percent_is_refused_and_the_input_kept(as_admin, always, percent):
    response = as_admin.post(
        CREATE,
        {
            "name": "Sev-B",
            "schedule": always.pk,
            "first_response_hours": "1",
            "resolution_hours": "4",
            "warning_percent": percent,
        },
    )

    assert response.context["form"].errors["warning_percent"] == [
        "Enter a whole number from 1 to 99, or leave it empty for no warning."
    ]
    assert shown_values(response)["warning_percent"] == [percent]
    assert not SLAPlan.objects.filter(name="Sev-B").exists()


def test_an_administrator_tightens_a_plan_and_moves_it_to_office_hours(as_admin, sev_c, office):
    url = reverse("admin-panel:sla-plan-edit", args=[sev_c.pk])
    form = as_admin.get(url).context["form"]

    response = as_admin.post(
        url,
        form_data(
            form,
            schedule=office.pk,
            first_response_hours="1",
            resolution_hours="6",
            warning_percent="75",
        ),
    )

    assert response.status_code == 302
    sev_c.refresh_from_db()
    assert (sev_c.first_response_hours, sev_c.resolution_hours) == (Decimal(1), Decimal(6))
    assert (sev_c.schedule, sev_c.warning_percent) == (office, 75)


def test_zero_hours_are_refused(as_admin, always):
    response = as_admin.post(
        CREATE,
        {
            "name": "Sev-Z",
            "schedule": always.pk,
            "first_response_hours": "0",
            "resolution_hours": "-1",
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["first_response_hours"] == ["Enter a number of hours greater than 0."]
    assert errors["resolution_hours"] == ["Enter a number of hours greater than 0."]
    assert not SLAPlan.objects.filter(name__startswith="Sev-Z").exists()


def test_a_first_response_due_after_the_resolution_is_refused_and_the_input_kept(as_admin, always):
    response = as_admin.post(
        CREATE,
        {
            "name": "Sev-B",
            "schedule": always.pk,
            "first_response_hours": "8",
            "resolution_hours": "4",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["first_response_hours"] == [
        "The first response cannot be due later than the resolution: 8 hours is more than 4 hours."
    ]
    shown = shown_values(response)
    assert shown["first_response_hours"] == ["8"]
    assert shown["resolution_hours"] == ["4"]
    assert not SLAPlan.objects.filter(name="Sev-B").exists()


def test_equal_targets_are_allowed(as_admin, always):
    response = as_admin.post(
        CREATE,
        {
            "name": "Sev-B",
            "schedule": always.pk,
            "first_response_hours": "4",
            "resolution_hours": "4",
        },
    )

    assert response.status_code == 302
