"""Every admin panel page is for administrators: others get 403, strangers the login page."""

import pytest
from django.urls import get_resolver, reverse

from tests import factories

KEYS = ["department", "team", "topic", "sla-plan", "schedule", "role", "agent", "user"]


@pytest.fixture
def one_of_each(support, outage_topic, sev_c, view_only, john, karen):
    """One object of every kind the admin panel configures, by URL key."""
    team = factories.TeamFactory(name="Escalations")
    return {
        "department": support,
        "team": team,
        "topic": outage_topic,
        "sla-plan": sev_c,
        "schedule": factories.ScheduleFactory(name="Berlin office"),
        "role": view_only,
        "agent": john,
        "user": karen,
    }


def pages(one_of_each) -> list[str]:
    urls = [reverse("admin-panel:home")]
    for key in KEYS:
        pk = one_of_each[key].pk
        urls += [
            reverse(f"admin-panel:{key}-list"),
            reverse(f"admin-panel:{key}-create"),
            reverse(f"admin-panel:{key}-edit", args=[pk]),
        ]
    urls.append(reverse("admin-panel:user-detail", args=[one_of_each["user"].pk]))
    return urls


def post_only(one_of_each) -> list[str]:
    urls = [
        reverse(f"admin-panel:{key}-{action}", args=[one_of_each[key].pk])
        for key in KEYS
        for action in ("deactivate", "reactivate")
    ]
    urls.append(reverse("admin-panel:agent-send-reset", args=[one_of_each["agent"].pk]))
    return urls


def test_an_administrator_opens_every_page(as_admin, one_of_each):
    for url in pages(one_of_each):
        assert as_admin.get(url).status_code == 200, url


def test_an_agent_who_is_not_an_administrator_gets_403(client, one_of_each, john):
    client.force_login(john.user)

    for url in pages(one_of_each) + post_only(one_of_each):
        method = client.post if url in post_only(one_of_each) else client.get
        assert method(url).status_code == 403, url


def test_an_end_user_gets_403(client, one_of_each, ken):
    client.force_login(ken)

    for url in pages(one_of_each):
        assert client.get(url).status_code == 403, url


def test_a_stranger_is_sent_to_the_staff_login(client, one_of_each):
    for url in pages(one_of_each) + post_only(one_of_each):
        method = client.post if url in post_only(one_of_each) else client.get
        response = method(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/scp/login/?next="), url


def test_changes_are_post_only(as_admin, one_of_each):
    for url in post_only(one_of_each):
        assert as_admin.get(url).status_code == 405, url


def test_list_and_detail_pages_refuse_a_post(as_admin, one_of_each):
    for key in KEYS:
        assert as_admin.post(reverse(f"admin-panel:{key}-list")).status_code == 405
    assert as_admin.post(reverse("admin-panel:home")).status_code == 405
    detail = reverse("admin-panel:user-detail", args=[one_of_each["user"].pk])
    assert as_admin.post(detail).status_code == 405


def test_an_unknown_object_is_404(as_admin, one_of_each):
    for key in KEYS:
        assert as_admin.get(reverse(f"admin-panel:{key}-edit", args=[999999])).status_code == 404


def test_an_agent_is_not_edited_as_an_end_user(as_admin, john):
    assert as_admin.get(reverse("admin-panel:user-edit", args=[john.user.pk])).status_code == 404
    assert as_admin.get(reverse("admin-panel:user-detail", args=[john.user.pk])).status_code == 404


def test_the_admin_panel_offers_no_way_to_delete(db):
    names = get_resolver().namespace_dict["admin-panel"][1].reverse_dict.keys()

    assert "department-deactivate" in names
    assert not [name for name in names if isinstance(name, str) and "delete" in name]


def test_the_menu_links_every_section(as_admin):
    page = as_admin.get(reverse("admin-panel:home")).content.decode()

    for title in [
        "Departments",
        "Teams",
        "Help Topics",
        "SLA Plans",
        "Schedules",
        "Roles",
        "Agents",
        "Users",
    ]:
        assert f">{title}</a>" in page
