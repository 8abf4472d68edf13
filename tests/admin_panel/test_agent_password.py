"""Setting an agent's password in the admin panel: typed twice, checked by the validators."""

from django.urls import reverse

from accounts.models import Agent
from tests.admin_panel.agent_forms import agent_form
from tests.admin_panel.pages import form_data, shown_values

CREATE = reverse("admin-panel:agent-create")
PASSWORD = "plum-orchard-47-lantern"


def test_a_new_agent_with_a_password_signs_in_with_it(as_admin, client, support, all_access):
    response = as_admin.post(
        CREATE,
        agent_form(department=support, role=all_access, password1=PASSWORD, password2=PASSWORD),
    )
    assert response.status_code == 302
    client.logout()

    assert client.login(username="bob@example.com", password=PASSWORD)
    assert client.get(reverse("staff:home")).status_code == 200


def test_an_administrator_sets_a_new_password_for_an_agent(as_admin, client, john):
    url = reverse("admin-panel:agent-edit", args=[john.pk])
    page = as_admin.get(url)

    response = as_admin.post(
        url,
        form_data(
            page.context["form"], page.context["access"], password1=PASSWORD, password2=PASSWORD
        ),
    )
    assert response.status_code == 302
    client.logout()

    assert client.login(username="JOHN@example.com", password=PASSWORD)
    assert not client.login(username="john@example.com", password="correct horse battery staple")


def test_blank_passwords_keep_the_password(as_admin, john):
    url = reverse("admin-panel:agent-edit", args=[john.pk])
    page = as_admin.get(url)

    as_admin.post(url, form_data(page.context["form"], page.context["access"]))

    john.user.refresh_from_db()
    assert john.user.check_password("correct horse battery staple")


def test_two_different_passwords_are_refused(as_admin, support, all_access):
    response = as_admin.post(
        CREATE,
        agent_form(
            department=support, role=all_access, password1=PASSWORD, password2=PASSWORD + "x"
        ),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password2"] == [
        "The two passwords differ; type the same one twice."
    ]
    # Passwords are never sent back to the browser; the rest of the form is.
    assert shown_values(response)["password1"] == shown_values(response)["password2"] == [""]
    assert PASSWORD not in response.content.decode()
    assert shown_values(response)["email"] == ["bob@example.com"]
    assert not Agent.objects.filter(user__email="bob@example.com").exists()


def test_a_weak_password_is_refused_by_the_validators(as_admin, support, all_access):
    response = as_admin.post(
        CREATE,
        agent_form(department=support, role=all_access, password1="12345678", password2="12345678"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["password1"]
    assert "This password is too common." in errors
    assert "This password is entirely numeric." in errors


def test_a_password_like_the_address_is_refused(as_admin, support, all_access):
    response = as_admin.post(
        CREATE,
        agent_form(
            email="bobstone@example.com",
            department=support,
            role=all_access,
            password1="bobstone@example",
            password2="bobstone@example",
        ),
    )

    assert response.status_code == 200
    assert (
        "The password is too similar to the email address."
        in (response.context["form"].errors["password1"])
    )
