"""Teams: list, create, edit in the admin panel."""

import re

from django.urls import reverse

from accounts.models import Team
from tests import factories
from tests.admin_panel.pages import form_data, labels, messages_of, shown_values

LIST = reverse("admin-panel:team-list")
CREATE = reverse("admin-panel:team-create")


def test_the_list_shows_teams_by_name_with_lead_and_member_count(as_admin, john, jane):
    night = factories.TeamFactory(name="Night Shift", lead=jane)
    night.members.set([john, jane])
    factories.TeamFactory(name="Escalations", is_active=False)

    page = as_admin.get(LIST).content.decode()

    assert page.index("Escalations") < page.index("Night Shift")
    assert "Jane Cooper" in page
    assert "<td>2</td>" in page
    assert "Inactive" in page


def test_the_form_offers_agents_as_member_checkboxes(as_admin, john, jane):
    response = as_admin.get(CREATE)

    page = response.content.decode()
    assert labels(response) == [
        "Name",
        "Lead",
        "Ada Lovelace",
        "Jane Cooper",
        "John Miller",
        "Active",
    ]
    assert re.search(r"<legend[^>]*>\s*Members\s*</legend>", page)
    assert 'type="checkbox" class="form-check-input"  name="members"' in page


def test_an_administrator_creates_a_team_with_a_lead_and_members(as_admin, john, jane):
    response = as_admin.post(
        CREATE,
        {"name": "Night Shift", "lead": jane.pk, "members": [john.pk, jane.pk], "is_active": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == LIST
    team = Team.objects.get(name="Night Shift")
    assert team.lead == jane
    assert set(team.members.all()) == {john, jane}
    assert messages_of(response) == ["Team “Night Shift” was created."]


def test_an_administrator_changes_the_members(as_admin, john, jane):
    team = factories.TeamFactory(name="Night Shift")
    team.members.set([john])
    url = reverse("admin-panel:team-edit", args=[team.pk])
    form = as_admin.get(url).context["form"]

    response = as_admin.post(url, form_data(form, members=[jane.pk]))

    assert response.status_code == 302
    assert list(team.members.all()) == [jane]
    assert messages_of(response) == ["Team “Night Shift” was saved."]


def test_a_lead_who_is_not_a_member_is_refused_and_the_input_kept(as_admin, john, jane):
    response = as_admin.post(
        CREATE, {"name": "Night Shift", "lead": jane.pk, "members": [john.pk], "is_active": "on"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["lead"] == [
        "Jane Cooper leads the team, so tick Jane Cooper under Members as well."
    ]
    shown = shown_values(response)
    assert shown["name"] == ["Night Shift"]
    assert shown["lead"] == [str(jane.pk)]
    assert shown["members"] == [str(john.pk)]
    assert not Team.objects.exists()
