"""Nobody deactivates or demotes themselves, and one active administrator always remains."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Agent
from tests import factories
from tests.admin_panel.pages import form_data, messages_of

LAST = "Ada Lovelace is the last active administrator; make another agent an administrator first."


@pytest.fixture
def grace(support, all_access):
    """A second administrator."""
    return factories.AgentFactory(
        user__full_name="Grace Hopper", is_admin=True, department=support, role=all_access
    )


def deactivate(client, agent):
    return client.post(reverse("admin-panel:agent-deactivate", args=[agent.pk]))


def test_the_last_administrator_cannot_be_deactivated(as_admin, admin_agent):
    response = deactivate(as_admin, admin_agent)

    assert messages_of(response) == [LAST]
    admin_agent.user.refresh_from_db()
    assert admin_agent.user.is_active


def test_an_administrator_cannot_deactivate_themselves(as_admin, admin_agent, grace):
    response = deactivate(as_admin, admin_agent)

    assert messages_of(response) == ["You cannot deactivate yourself; ask another administrator."]
    admin_agent.user.refresh_from_db()
    assert admin_agent.user.is_active


def test_an_administrator_deactivates_another_administrator(as_admin, grace):
    response = deactivate(as_admin, grace)

    assert messages_of(response) == ["Agent “Grace Hopper” was deactivated."]
    grace.user.refresh_from_db()
    assert not grace.user.is_active


def test_the_edit_form_refuses_unticking_your_own_flags(as_admin, admin_agent, grace):
    url = reverse("admin-panel:agent-edit", args=[admin_agent.pk])
    page = as_admin.get(url)

    not_admin = as_admin.post(
        url, form_data(page.context["form"], page.context["access"], is_admin=False)
    )
    not_active = as_admin.post(
        url, form_data(page.context["form"], page.context["access"], is_active=False)
    )

    assert not_admin.status_code == not_active.status_code == 200
    assert not_admin.context["form"].errors["is_admin"] == [
        "You cannot remove your own administrator flag; ask another administrator."
    ]
    assert not_active.context["form"].errors["is_active"] == [
        "You cannot deactivate yourself; ask another administrator."
    ]
    assert Agent.objects.get(pk=admin_agent.pk).is_admin


def test_the_service_refuses_to_remove_the_last_administrator_whoever_asks(admin_agent, john):
    with pytest.raises(services.Refused, match="last active administrator"):
        services.set_agent_active(admin_agent, is_active=False, by=john)


def test_an_inactive_administrator_does_not_count(as_admin, admin_agent, grace):
    grace.user.is_active = False
    grace.user.save()

    assert messages_of(deactivate(as_admin, admin_agent)) == [LAST]
