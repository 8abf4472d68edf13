"""Administrators manage API keys in the admin panel: a new key is shown once in full, its
settings are checked beside each field, its uses are listed, and it can be switched off."""

import pytest
from django.urls import reverse

from api import keys
from api.models import ApiKey
from tests import factories
from tests.admin_panel.pages import messages_of
from tests.api.conftest import new_key, post, text_of

LIST = reverse("admin-panel:api-key-list")
NEW = reverse("admin-panel:api-key-create")


def key_form(**changes) -> dict:
    data = {
        "name": "Nagios",
        "allowed_networks": "",
        "can_create_tickets": "on",
        "rate_per_minute": "120",
        "notes": "",
        "is_active": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_new_key_is_shown_once_in_full_and_then_never_again(as_admin, admin_agent):
    response = as_admin.post(NEW, key_form(allowed_networks="192.0.2.0/24\n2001:db8::/32"))

    key = ApiKey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin-panel:api-key-created", args=[key.pk])
    page = as_admin.get(response["Location"]).content.decode()
    assert "Copy this key now: it will not be shown again." in page
    [plain] = [w for w in page.split('"') if len(w) == 32 and w.startswith(key.prefix)]
    assert keys.hash_key(plain) == key.key_hash
    assert key.created_by == admin_agent
    assert key.allows_address("2001:db8::1") and not key.allows_address("198.51.100.1")

    again = as_admin.get(response["Location"]).content.decode()
    assert plain not in again
    assert "cannot be shown again" in again
    edit_page = as_admin.get(reverse("admin-panel:api-key-edit", args=[key.pk]))
    assert plain not in edit_page.content.decode()


def test_the_key_made_in_the_panel_creates_tickets(as_admin, client, outage_topic):
    response = as_admin.post(NEW, key_form())
    page = as_admin.get(response["Location"]).content.decode()
    prefix = ApiKey.objects.get().prefix
    [plain] = [w for w in page.split('"') if len(w) == 32 and w.startswith(prefix)]

    answer = post(
        client,
        "/api/tickets.json",
        '{"name": "A", "email": "a@example.com", "subject": "S", "message": "M"}',
        plain,
    )

    assert answer.status_code == 201, text_of(answer)


@pytest.mark.parametrize(
    "changes, field, error",
    [
        ({"allowed_networks": "192.0.2.0/33"}, "allowed_networks", "is not an IP address"),
        ({"allowed_networks": "intranet"}, "allowed_networks", "“intranet” is not an IP"),
        ({"can_read": "on"}, "agent", "Choose the agent this key reads or changes tickets as."),
        ({"can_write": "on"}, "agent", "Choose the agent this key reads or changes tickets as."),
        ({"name": ""}, "name", "This field is required."),
        ({"rate_per_minute": "-1"}, "rate_per_minute", "greater than or equal to 0"),
    ],
)
def test_a_mistake_is_shown_beside_its_field_and_nothing_is_saved(as_admin, changes, field, error):
    response = as_admin.post(NEW, key_form(**changes))

    assert response.status_code == 200
    assert any(error in message for message in response.context["form"].errors[field])
    assert error in response.content.decode()
    assert not ApiKey.objects.exists()


def test_a_key_that_reads_and_writes_names_its_agent(as_admin, john):
    as_admin.post(NEW, key_form(can_read="on", can_write="on", agent=str(john.pk)))

    key = ApiKey.objects.get()
    assert (key.can_read, key.can_write, key.agent) == (True, True, john)


def test_editing_changes_the_settings_but_never_the_key(as_admin):
    key, _ = new_key(name="Old name")
    old_hash = key.key_hash
    url = reverse("admin-panel:api-key-edit", args=[key.pk])

    response = as_admin.post(
        url,
        key_form(
            name="Web shop",
            can_create_tickets=None,
            can_run_cron="on",
            expires_at="2030-01-31T12:00",
            rate_per_minute="10",
            notes="Owned by the shop team",
        ),
    )

    assert response.status_code == 302
    key.refresh_from_db()
    assert (key.name, key.can_create_tickets, key.can_run_cron) == ("Web shop", False, True)
    assert (key.rate_per_minute, key.notes) == (10, "Owned by the shop team")
    assert key.expires_at.year == 2030
    assert key.key_hash == old_hash
    assert "API Key “Web shop” was saved." in messages_of(response)


def test_the_list_shows_each_keys_use_and_permissions(as_admin, client, john, outage_topic):
    key, plain = new_key(name="Nagios", allowed_networks="192.0.2.0/24")
    new_key(name="Reporting", can_create_tickets=False, can_read=True, agent=john)
    post(client, "/api/tickets.json", "{}", plain, address="192.0.2.44")

    page = as_admin.get(LIST).content.decode()

    assert f"{key.prefix}…" in page
    assert "192.0.2.0/24" in page and "192.0.2.44" in page
    assert "read, as John Miller" in page
    assert plain not in page


def test_a_deactivated_key_is_refused(as_admin, client):
    key, plain = new_key()

    as_admin.post(reverse("admin-panel:api-key-deactivate", args=[key.pk]))

    response = post(client, "/api/tickets.json", "{}", plain)
    assert (response.status_code, text_of(response)) == (401, "This API key is not active.")


@pytest.mark.parametrize("rows", [2, 20])
def test_the_list_runs_a_constant_number_of_queries(as_admin, django_assert_max_num_queries, rows):
    agent = factories.AgentFactory()
    for n in range(rows):
        new_key(name=f"Key {n:02}", can_read=bool(n % 2), agent=agent)

    # Session, user, agent; a count and the page.
    with django_assert_max_num_queries(5):
        response = as_admin.get(LIST)

    assert len(response.context["rows"]) == rows


def test_agents_who_are_not_administrators_cannot_manage_keys(client, john):
    client.force_login(john.user)

    assert client.get(LIST).status_code == 403
    assert client.post(NEW, key_form()).status_code == 403
    assert not ApiKey.objects.exists()
