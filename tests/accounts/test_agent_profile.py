"""An agent's own profile: name, signature below their responses, time zone for every time
on their pages, and a new password."""

import zoneinfo

from django.urls import reverse
from django.utils import timezone

from accounts.models import Agent
from tests import factories
from tickets import services


def test_an_agent_sets_name_signature_and_time_zone(client, john):
    client.force_login(john.user)

    response = client.post(
        reverse("staff:profile"),
        {
            "full_name": "John A. Miller",
            "signature": "John Miller\nSupport, first line",
            "timezone": "America/New_York",
        },
    )

    assert response.status_code == 302
    john = Agent.objects.select_related("user").get(pk=john.pk)
    assert (john.user.full_name, john.timezone) == ("John A. Miller", "America/New_York")
    assert john.signature == "John Miller\nSupport, first line"


def test_a_wrong_time_zone_is_refused_and_what_was_typed_kept(client, john):
    client.force_login(john.user)

    response = client.post(
        reverse("staff:profile"),
        {"full_name": "John Miller", "signature": "Bye", "timezone": "Mars/Olympus"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["timezone"] == [
        "“Mars/Olympus” is not a time zone name such as Europe/Berlin."
    ]
    assert form["signature"].value() == "Bye"


def test_the_signature_goes_below_every_response(john, karens_ticket):
    john.signature = "John Miller, Support"
    john.save()

    entry = services.post_reply(karens_ticket, by=john, body="It works again.")

    assert entry.body == "It works again.\n\nJohn Miller, Support"


def test_times_on_staff_pages_are_in_the_agents_zone_with_the_zone_named(
    client, john, karens_ticket
):
    john.timezone = "Asia/Tokyo"
    john.save()
    client.force_login(john.user)

    page = client.get(reverse("staff:ticket", args=[karens_ticket.number])).content.decode()

    assert "+09:00" in page  # the machine-readable times carry the zone's offset
    created = timezone.localtime(karens_ticket.created_at, zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert f"{created:%-d %b %Y, %H:%M} JST" in page  # and people read it, zone named


def test_an_agent_changes_their_password_and_stays_signed_in(client, support, all_access):
    agent = factories.AgentFactory(department=support, role=all_access)
    client.force_login(agent.user)

    response = client.post(
        reverse("staff:password-change"),
        {
            "old_password": "correct horse battery staple",
            "new_password1": "plum-orchard-47-lantern",
            "new_password2": "plum-orchard-47-lantern",
        },
    )

    assert response.status_code == 302
    assert client.get(reverse("staff:home")).status_code == 200
    agent.user.refresh_from_db()
    assert agent.user.check_password("plum-orchard-47-lantern")


def test_a_wrong_old_password_is_refused_once(client, support, all_access):
    agent = factories.AgentFactory(department=support, role=all_access)
    client.force_login(agent.user)

    response = client.post(
        reverse("staff:password-change"),
        {"old_password": "nope", "new_password1": "x", "new_password2": "x"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Your old password was entered incorrectly.") == 1
