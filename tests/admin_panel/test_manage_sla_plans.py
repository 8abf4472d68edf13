"""SLA plans: list, create, edit; targets are positive and the first response comes first."""

from decimal import Decimal

from django.urls import reverse

from sla.models import SLAPlan
from tests.admin_panel.pages import form_data, labels, messages_of, shown_values

LIST = reverse("admin-panel:sla-plan-list")
CREATE = reverse("admin-panel:sla-plan-create")


def test_the_list_shows_plans_by_name_with_their_targets(as_admin, sev_a, sev_c):
    sev_c.is_active = False
    sev_c.save()

    page = as_admin.get(LIST).content.decode()

    assert page.index("Sev-A") < page.index("Sev-C")
    assert "<td>0.25</td>" in page
    assert "<td>8</td>" in page
    assert "Inactive" in page
    assert "New SLA Plan" in page


def test_the_form_labels_its_fields_as_people_expect(as_admin):
    assert labels(as_admin.get(CREATE)) == [
        "Name",
        "First Response (hours)",
        "Resolution (hours)",
        "Active",
    ]


def test_an_administrator_creates_a_plan(as_admin):
    response = as_admin.post(
        CREATE,
        {
            "name": "Sev-B",
            "first_response_hours": "1.5",
            "resolution_hours": "4",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == LIST
    plan = SLAPlan.objects.get(name="Sev-B")
    assert plan.first_response_hours == Decimal("1.5")
    assert plan.resolution_hours == Decimal("4")
    assert messages_of(response) == ["SLA Plan “Sev-B” was created."]


def test_an_administrator_tightens_a_plan(as_admin, sev_c):
    url = reverse("admin-panel:sla-plan-edit", args=[sev_c.pk])
    form = as_admin.get(url).context["form"]

    response = as_admin.post(url, form_data(form, first_response_hours="1", resolution_hours="6"))

    assert response.status_code == 302
    sev_c.refresh_from_db()
    assert (sev_c.first_response_hours, sev_c.resolution_hours) == (Decimal(1), Decimal(6))


def test_zero_hours_are_refused(as_admin):
    response = as_admin.post(
        CREATE, {"name": "Sev-Z", "first_response_hours": "0", "resolution_hours": "-1"}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["first_response_hours"] == ["Enter a number of hours greater than 0."]
    assert errors["resolution_hours"] == ["Enter a number of hours greater than 0."]
    assert not SLAPlan.objects.filter(name__startswith="Sev-Z").exists()


def test_a_first_response_due_after_the_resolution_is_refused_and_the_input_kept(as_admin):
    response = as_admin.post(
        CREATE, {"name": "Sev-B", "first_response_hours": "8", "resolution_hours": "4"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["first_response_hours"] == [
        "The first response cannot be due later than the resolution: 8 hours is more than 4 hours."
    ]
    shown = shown_values(response)
    assert shown["first_response_hours"] == ["8"]
    assert shown["resolution_hours"] == ["4"]
    assert not SLAPlan.objects.filter(name="Sev-B").exists()


def test_equal_targets_are_allowed(as_admin):
    response = as_admin.post(
        CREATE, {"name": "Sev-B", "first_response_hours": "4", "resolution_hours": "4"}
    )

    assert response.status_code == 302
