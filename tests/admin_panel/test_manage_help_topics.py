"""Help topics: list, create, edit; auto-assignment goes to an agent or a team, not both."""

from django.urls import reverse

from tests import factories
from tests.admin_panel.pages import form_data, labels, messages_of, shown_values
from tickets.models import HelpTopic, Priority

LIST = reverse("admin-panel:topic-list")
CREATE = reverse("admin-panel:topic-create")
BOTH = "Auto-assign to an agent or to a team, not both: clear one of the two."


def test_the_list_shows_topics_by_name_with_department_priority_and_assignee(
    as_admin, outage_topic, inquiry_topic, retired_topic, john
):
    outage_topic.auto_assign_agent = john
    outage_topic.save()

    page = as_admin.get(LIST).content.decode()

    assert page.index("Business Critical Outage") < page.index("Fax Machines")
    assert page.index("Fax Machines") < page.index("General Inquiry")
    assert "High" in page
    assert "John Miller" in page
    assert "Inactive" in page


def test_the_form_labels_its_fields_as_people_expect(as_admin):
    response = as_admin.get(CREATE)

    assert labels(response) == [
        "Name",
        "Public",
        "Active",
        "Department",
        "Priority",
        "SLA Plan",
        "Auto-assign to Agent",
        "Auto-assign to Team",
        "Ask for a rating when resolved",
    ]


def test_an_administrator_creates_a_topic_that_assigns_to_a_team(as_admin, support, sev_a):
    team = factories.TeamFactory(name="Night Shift")

    response = as_admin.post(
        CREATE,
        {
            "name": "Card Lost",
            "is_public": "on",
            "is_active": "on",
            "department": support.pk,
            "priority": Priority.EMERGENCY,
            "sla_plan": sev_a.pk,
            "auto_assign_team": team.pk,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == LIST
    topic = HelpTopic.objects.get(name="Card Lost")
    assert (topic.department, topic.priority, topic.sla_plan) == (
        support,
        Priority.EMERGENCY,
        sev_a,
    )
    assert topic.auto_assign_team == team
    assert topic.auto_assign_agent is None
    assert messages_of(response) == ["Help Topic “Card Lost” was created."]


def test_an_administrator_moves_a_topic_to_another_department_and_agent(
    as_admin, outage_topic, online_banking, jane
):
    url = reverse("admin-panel:topic-edit", args=[outage_topic.pk])
    form = as_admin.get(url).context["form"]

    response = as_admin.post(
        url, form_data(form, department=online_banking.pk, auto_assign_agent=jane.pk)
    )

    assert response.status_code == 302
    outage_topic.refresh_from_db()
    assert outage_topic.department == online_banking
    assert outage_topic.auto_assign_agent == jane
    assert messages_of(response) == ["Help Topic “Business Critical Outage” was saved."]


def test_an_agent_and_a_team_together_are_refused_with_a_clear_message(as_admin, support, john):
    team = factories.TeamFactory(name="Night Shift")

    response = as_admin.post(
        CREATE,
        {
            "name": "Card Lost",
            "is_active": "on",
            "department": support.pk,
            "priority": Priority.HIGH,
            "auto_assign_agent": john.pk,
            "auto_assign_team": team.pk,
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["auto_assign_agent"] == [BOTH]
    assert errors["auto_assign_team"] == [BOTH]
    assert BOTH in response.content.decode()
    shown = shown_values(response)
    assert shown["name"] == ["Card Lost"]
    assert shown["priority"] == [str(Priority.HIGH.value)]
    assert shown["auto_assign_agent"] == [str(john.pk)]
    assert shown["auto_assign_team"] == [str(team.pk)]
    assert not HelpTopic.objects.filter(name="Card Lost").exists()


def test_a_topic_without_a_department_is_refused(as_admin):
    response = as_admin.post(CREATE, {"name": "Card Lost", "priority": Priority.LOW})

    assert response.status_code == 200
    assert response.context["form"].errors["department"] == ["This field is required."]
    assert shown_values(response)["name"] == ["Card Lost"]


def test_an_administrator_switches_the_satisfaction_survey_off_for_a_topic(as_admin, outage_topic):
    url = reverse("admin-panel:topic-edit", args=[outage_topic.pk])
    form = as_admin.get(url).context["form"]
    assert form["survey_enabled"].value() is True

    response = as_admin.post(url, form_data(form, survey_enabled=False))

    assert response.status_code == 302
    outage_topic.refresh_from_db()
    assert not outage_topic.survey_enabled
