"""Canned responses: admins keep prepared replies, per department or for all."""

from django.urls import reverse

from tickets.models import CannedResponse

LIST = reverse("admin-panel:canned-list")
CREATE = reverse("admin-panel:canned-create")


def test_an_admin_adds_a_canned_response_for_a_department(as_admin, support):
    response = as_admin.post(
        CREATE,
        {
            "title": "Password reset done",
            "department": support.pk,
            "body": "Done.",
            "is_active": "on",
        },
    )

    assert response["Location"] == LIST
    canned = CannedResponse.objects.get()
    assert (canned.title, canned.department, canned.body) == (
        "Password reset done",
        support,
        "Done.",
    )
    assert "Password reset done" in as_admin.get(LIST).content.decode()


def test_a_canned_response_without_a_department_is_global(as_admin):
    as_admin.post(CREATE, {"title": "Greeting", "department": "", "body": "Hi", "is_active": "on"})

    assert CannedResponse.objects.get().department is None
    assert "All departments" in as_admin.get(LIST).content.decode()


def test_a_canned_response_needs_a_title_and_text(as_admin):
    response = as_admin.post(CREATE, {"title": "", "body": ""})

    errors = response.context["form"].errors
    assert errors["title"] == ["This field is required."]
    assert errors["body"] == ["This field is required."]


def test_a_non_admin_cannot_manage_canned_responses(client, john):
    client.force_login(john.user)

    assert client.get(LIST).status_code == 403
