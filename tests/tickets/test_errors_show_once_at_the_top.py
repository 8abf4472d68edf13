"""A refused form says what is wrong once, at the top of the page, each error linked to its
field: not below the fold, not twice, and in words that fit what was sent."""

import re

from django.urls import reverse

from tests import factories
from tickets import services


def count(page: str, text: str) -> int:
    return page.count(text)


def summary_then_rest(page: str) -> tuple[str, str]:
    start = page.index("data-error-summary")
    return page[:start], page[start:]


def test_an_empty_reply_is_pointed_out_above_the_ticket_not_below_the_thread(
    client, john, karens_ticket
):
    client.force_login(john.user)
    for n in range(6):  # a long thread pushes the composer far down the page
        factories.ThreadEntryFactory(ticket=karens_ticket, body=f"Message {n}")

    response = client.post(
        reverse("staff:ticket-reply", args=[karens_ticket.number]),
        {"reply-body": " ", "reply-revision": karens_ticket.revision},
    )

    page = response.content.decode()
    before, after = summary_then_rest(page)
    assert "<h1" not in before.split("<main", 1)[-1]  # the summary comes before the heading
    assert count(page, "Write the response before posting it.") == 1
    assert re.search(r'<a href="#id_reply-body"[^>]*>Response</a>', after)
    assert 'aria-describedby="id_reply-body_error"' in page
    assert 'id="id_reply-body_error">Write the response before posting it.</span>' in page


def test_a_wrong_login_says_so_once(client, john):
    response = client.post(
        reverse("staff:login"), {"username": "john@example.com", "password": "wrong"}
    )

    page = response.content.decode()
    assert count(page, "Please enter a correct email address and password.") == 1


def test_a_wrong_ticket_number_on_the_status_page_says_so_once(client, karens_ticket):
    response = client.post(
        reverse("portal:check-status"), {"email": "karen@example.com", "number": "000000"}
    )

    page = response.content.decode()
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert count(page, str(errors[0])) == 1


def test_a_stale_assignment_does_not_speak_of_text_kept(client, john, jane, karens_ticket):
    client.force_login(john.user)
    loaded_at = karens_ticket.revision
    services.change_priority(karens_ticket, priority=1, by=john)

    response = client.post(
        reverse("staff:ticket-assign", args=[karens_ticket.number]),
        {"assign-assignee": f"agent:{john.pk}", "assign-revision": loaded_at},
    )

    page = response.content.decode()
    assert "This ticket changed after you opened it" in page
    assert "text is still in the form" not in page


def test_a_stale_reply_still_says_its_text_is_kept(client, john, karen, karens_ticket):
    client.force_login(john.user)
    loaded_at = karens_ticket.revision
    services.post_user_reply(karens_ticket, by=karen, body="Any news?")

    response = client.post(
        reverse("staff:ticket-reply", args=[karens_ticket.number]),
        {"reply-body": "Working on it.", "reply-revision": loaded_at},
    )

    assert "Your text is still in the form." in response.content.decode()
