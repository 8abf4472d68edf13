"""Departments: list, create, edit in the admin panel."""

from django.urls import reverse

from tests.admin_panel.pages import form_data, labels, messages_of, shown_values
from tickets.models import Department

LIST = reverse("admin-panel:department-list")
CREATE = reverse("admin-panel:department-create")


def edit_url(department):
    return reverse("admin-panel:department-edit", args=[department.pk])


def test_the_list_shows_departments_by_name_with_their_plan_and_status(
    as_admin, support, online_banking, john
):
    online_banking.manager = john
    online_banking.is_active = False
    online_banking.save()

    page = as_admin.get(LIST).content.decode()

    assert page.index("Online Banking") < page.index("Support")
    assert "John Miller" in page
    assert "Sev-A" in page
    assert "Inactive" in page
    assert "New Department" in page


def test_the_form_labels_its_fields_as_people_expect(as_admin):
    response = as_admin.get(CREATE)

    assert labels(response) == [
        "Name",
        "Manager",
        "Default SLA Plan",
        "Public",
        "Active",
        "Weekly summary",
    ]
    assert ">Create</button>" in response.content.decode()


def test_an_administrator_creates_a_department(as_admin, sev_a, john):
    response = as_admin.post(
        CREATE,
        {"name": "Billing", "manager": john.pk, "sla_plan": sev_a.pk, "is_active": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == LIST
    billing = Department.objects.get(name="Billing")
    assert billing.manager == john
    assert billing.sla_plan == sev_a
    assert billing.is_active
    assert not billing.is_public
    assert messages_of(response) == ["Department “Billing” was created."]


def test_the_manager_and_plan_are_optional(as_admin):
    response = as_admin.post(CREATE, {"name": "Billing", "is_public": "on", "is_active": "on"})

    assert response.status_code == 302
    billing = Department.objects.get(name="Billing")
    assert billing.manager is None
    assert billing.sla_plan is None


def test_an_administrator_renames_a_department_and_changes_its_manager(as_admin, support, john):
    form = as_admin.get(edit_url(support)).context["form"]

    response = as_admin.post(
        edit_url(support), form_data(form, name="Customer Support", manager=john.pk)
    )

    assert response.status_code == 302
    assert response["Location"] == LIST
    support.refresh_from_db()
    assert support.name == "Customer Support"
    assert support.manager == john
    assert messages_of(response) == ["Department “Customer Support” was saved."]


def test_a_name_taken_in_another_case_is_refused_and_the_input_kept(as_admin, support, sev_a):
    response = as_admin.post(CREATE, {"name": "SUPPORT", "sla_plan": sev_a.pk, "is_active": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "A department named “SUPPORT” already exists."
    ]
    assert shown_values(response)["name"] == ["SUPPORT"]
    assert shown_values(response)["sla_plan"] == [str(sev_a.pk)]
    assert Department.objects.count() == 1


def test_a_blank_name_is_refused(as_admin, support):
    form = as_admin.get(edit_url(support)).context["form"]

    response = as_admin.post(edit_url(support), form_data(form, name=""))

    assert response.status_code == 200
    assert "This field is required." in response.context["form"].errors["name"]
    support.refresh_from_db()
    assert support.name == "Support"


def test_a_new_department_offers_the_weekly_summary_switched_on(as_admin):
    response = as_admin.get(CREATE)

    assert shown_values(response)["weekly_summary"] == ["on"]
    assert "every Monday at 07:00 in their time zone" in response.content.decode()


def test_an_administrator_switches_the_weekly_summary_off(as_admin, support):
    form = as_admin.get(edit_url(support)).context["form"]

    response = as_admin.post(edit_url(support), form_data(form, weekly_summary=False))

    assert response.status_code == 302
    support.refresh_from_db()
    assert support.weekly_summary is False
