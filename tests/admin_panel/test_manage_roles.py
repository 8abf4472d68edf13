"""Roles: list, create, edit; one checkbox per permission, labelled as the model names it."""

from django.urls import reverse

from accounts.models import Permission, Role
from tests.admin_panel.pages import form_data, labels, messages_of, shown_values

LIST = reverse("admin-panel:role-list")
CREATE = reverse("admin-panel:role-create")


def test_the_list_shows_roles_by_name_with_their_permissions(as_admin, all_access, view_only):
    page = as_admin.get(LIST).content.decode()

    assert page.index("All Access") < page.index("View only")
    assert "view, reply, note, edit, assign, transfer, close, create" in page


def test_each_permission_is_a_checkbox_labelled_with_its_name(as_admin):
    response = as_admin.get(CREATE)

    assert labels(response) == ["Name", "Active", *(p.label for p in Permission)]
    assert labels(response)[2:5] == ["View tickets", "Post replies", "Post internal notes"]


def test_an_administrator_creates_a_role_from_checkboxes(as_admin):
    response = as_admin.post(
        CREATE, {"name": "Responder", "is_active": "on", "view": "on", "reply": "on", "note": "on"}
    )

    assert response.status_code == 302
    assert response["Location"] == LIST
    assert Role.objects.get(name="Responder").permissions == ["view", "reply", "note"]
    assert messages_of(response) == ["Role “Responder” was created."]


def test_an_administrator_takes_a_permission_away(as_admin, all_access):
    url = reverse("admin-panel:role-edit", args=[all_access.pk])
    form = as_admin.get(url).context["form"]

    response = as_admin.post(url, form_data(form, transfer=False, create=False))

    assert response.status_code == 302
    all_access.refresh_from_db()
    assert not all_access.transfer
    assert not all_access.create
    assert all_access.close


def test_a_name_taken_in_another_case_is_refused_and_the_ticks_kept(as_admin, view_only):
    response = as_admin.post(CREATE, {"name": "VIEW ONLY", "view": "on", "close": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["A role named “VIEW ONLY” already exists."]
    shown = shown_values(response)
    assert shown["name"] == ["VIEW ONLY"]
    assert shown["view"] == shown["close"] == ["on"]
    assert "reply" not in shown


def test_the_role_form_offers_only_permissions_that_do_something(as_admin):
    page = as_admin.get(reverse("admin-panel:role-create")).content.decode()

    for offered in ("View tickets", "Post replies", "Resolve and close", "Open tickets for users"):
        assert offered in page
    assert ">Delete<" not in page
    assert ">Merge<" not in page
