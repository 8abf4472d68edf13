"""End users: list, create, edit, and a page listing their tickets."""

from django.urls import reverse

from accounts.models import Organization, User
from tests import factories
from tests.admin_panel.pages import form_data, labels, messages_of, shown_values
from tickets.status import Status

LIST = reverse("admin-panel:user-list")
CREATE = reverse("admin-panel:user-create")


def test_the_list_shows_end_users_by_name_not_agents(as_admin, karen, ken, john, karens_ticket):
    karen.organization = Organization.objects.create(name="Acme")
    karen.save()

    page = as_admin.get(LIST).content.decode()

    assert page.index("Karen Taylor") < page.index("Ken Adams")
    assert "Acme" in page
    assert "John Miller" not in page
    assert reverse("admin-panel:user-detail", args=[karen.pk]) in page


def test_the_form_labels_its_fields_as_people_expect(as_admin):
    assert labels(as_admin.get(CREATE)) == [
        "Full Name",
        "Email Address",
        "Phone",
        "Organization",
        "New Organization",
        "Active",
    ]


def test_an_administrator_creates_a_user_in_an_existing_organization(as_admin):
    acme = Organization.objects.create(name="Acme")

    response = as_admin.post(
        CREATE,
        {
            "full_name": "Lena Park",
            "email": "lena@example.com",
            "phone": "+1 555 0100",
            "organization": acme.pk,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == LIST
    lena = User.objects.get(email="lena@example.com")
    assert (lena.full_name, lena.phone, lena.organization) == ("Lena Park", "+1 555 0100", acme)
    assert not lena.has_usable_password()
    assert not lena.is_agent
    assert messages_of(response) == ["User “Lena Park” was created."]


def test_a_typed_new_organization_is_created(as_admin):
    response = as_admin.post(
        CREATE,
        {"full_name": "Lena Park", "email": "lena@example.com", "new_organization": "Globex"},
    )

    assert response.status_code == 302
    assert User.objects.get(email="lena@example.com").organization.name == "Globex"


def test_a_typed_organization_that_exists_is_reused(as_admin):
    acme = Organization.objects.create(name="Acme")

    as_admin.post(
        CREATE, {"full_name": "Lena Park", "email": "lena@example.com", "new_organization": "ACME"}
    )

    assert User.objects.get(email="lena@example.com").organization == acme
    assert Organization.objects.count() == 1


def test_choosing_and_typing_an_organization_is_refused(as_admin):
    acme = Organization.objects.create(name="Acme")

    response = as_admin.post(
        CREATE,
        {
            "full_name": "Lena Park",
            "email": "lena@example.com",
            "organization": acme.pk,
            "new_organization": "Globex",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["new_organization"] == [
        "Choose an organization or type a new one, not both."
    ]
    assert shown_values(response)["new_organization"] == ["Globex"]
    assert not Organization.objects.filter(name="Globex").exists()


def test_an_administrator_edits_a_user(as_admin, karen):
    url = reverse("admin-panel:user-edit", args=[karen.pk])
    form = as_admin.get(url).context["form"]

    response = as_admin.post(url, form_data(form, phone="+44 20 7946 0000", full_name="Karen T."))

    assert response.status_code == 302
    karen.refresh_from_db()
    assert (karen.full_name, karen.phone) == ("Karen T.", "+44 20 7946 0000")
    assert messages_of(response) == ["User “Karen T.” was saved."]


def test_an_address_taken_in_another_case_is_refused_and_the_input_kept(as_admin, karen, john):
    url = reverse("admin-panel:user-edit", args=[karen.pk])
    form = as_admin.get(url).context["form"]

    response = as_admin.post(url, form_data(form, email="JOHN@example.com", phone="123"))

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Another user already has this email address."
    ]
    assert shown_values(response)["email"] == ["JOHN@example.com"]
    assert shown_values(response)["phone"] == ["123"]
    karen.refresh_from_db()
    assert karen.email == "karen@example.com"


def test_the_detail_page_lists_the_users_tickets(
    as_admin, karen, ken, karens_ticket, support, online_banking
):
    closed = factories.TicketFactory(
        requester=karen, department=support, subject="Old question", status=Status.CLOSED
    )
    kens = factories.TicketFactory(requester=ken, department=support, subject="Ken's own")
    out_of_reach = factories.TicketFactory(
        requester=karen, department=online_banking, subject="Wire transfer stuck"
    )

    response = as_admin.get(reverse("admin-panel:user-detail", args=[karen.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "karen@example.com" in page
    for ticket in (karens_ticket, closed):
        assert reverse("staff:ticket", kwargs={"number": ticket.number}) in page
        assert f"#{ticket.number}" in page
    assert "Entire mobile online banking is down" in page
    assert "Closed" in page
    assert kens.subject not in page
    assert out_of_reach.subject not in page, "the admin has no access to Online Banking"
    assert out_of_reach.number not in page
    assert reverse("admin-panel:user-edit", args=[karen.pk]) in page
