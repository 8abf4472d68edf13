"""Deactivating keeps the row (tickets may point to it); reactivating brings it back."""

import pytest
from django.urls import reverse

from accounts.models import Agent, Role, Team, User
from sla.models import SLAPlan
from tests import factories
from tests.admin_panel.pages import messages_of
from tickets.models import Department, HelpTopic


@pytest.fixture
def kinds(support, outage_topic, sev_c, view_only, john, karen, karens_ticket):
    """Per URL key: an object in use by a ticket or an agent, its model, how it is named,
    and how to read whether it is active."""
    team = factories.TeamFactory(name="Night Shift")
    team.members.set([john])
    karens_ticket.team = team
    karens_ticket.assignee = john
    karens_ticket.save()
    john.role = view_only
    john.save()
    return {
        "department": (support, Department, "Department “Support”"),
        "team": (team, Team, "Team “Night Shift”"),
        "topic": (outage_topic, HelpTopic, "Help Topic “Business Critical Outage”"),
        "sla-plan": (sev_c, SLAPlan, "SLA Plan “Sev-C”"),
        "role": (view_only, Role, "Role “View only”"),
        "agent": (john, Agent, "Agent “John Miller”"),
        "user": (karen, User, "User “Karen Taylor”"),
    }


def is_active(obj) -> bool:
    obj.refresh_from_db()
    return obj.user.is_active if isinstance(obj, Agent) else obj.is_active


@pytest.mark.parametrize(
    "key", ["department", "team", "topic", "sla-plan", "role", "agent", "user"]
)
def test_deactivate_then_reactivate_keeps_the_object(as_admin, kinds, key):
    obj, model, named = kinds[key]
    count = model.objects.count()

    off = as_admin.post(reverse(f"admin-panel:{key}-deactivate", args=[obj.pk]))

    assert off.status_code == 302
    assert off["Location"] == reverse(f"admin-panel:{key}-list")
    assert messages_of(off) == [f"{named} was deactivated."]
    assert not is_active(obj)
    assert model.objects.count() == count
    listed = as_admin.get(reverse(f"admin-panel:{key}-list")).content.decode()
    assert "Inactive</span>" in listed
    edit = as_admin.get(reverse(f"admin-panel:{key}-edit", args=[obj.pk])).content.decode()
    assert ">Reactivate</button>" in edit

    on = as_admin.post(reverse(f"admin-panel:{key}-reactivate", args=[obj.pk]))

    assert messages_of(on) == [f"{named} was reactivated."]
    assert is_active(obj)
    assert model.objects.count() == count


@pytest.mark.parametrize(
    "key", ["department", "team", "topic", "sla-plan", "role", "agent", "user"]
)
def test_deactivate_and_reactivate_refuse_get(as_admin, kinds, key):
    obj = kinds[key][0]

    for action in ("deactivate", "reactivate"):
        assert (
            as_admin.get(reverse(f"admin-panel:{key}-{action}", args=[obj.pk])).status_code == 405
        )
    assert is_active(obj)


def test_an_active_objects_edit_page_offers_deactivate(as_admin, support):
    page = as_admin.get(reverse("admin-panel:department-edit", args=[support.pk])).content.decode()

    assert ">Deactivate</button>" in page
    assert "Delete" not in page


def test_a_deactivated_agent_can_no_longer_sign_in(as_admin, client, jane):
    as_admin.post(reverse("admin-panel:agent-deactivate", args=[jane.pk]))
    client.logout()

    assert not client.login(username="jane@example.com", password="correct horse battery staple")
