"""Agents see the requester's rating of the current resolution, with its comment, on the
ticket page, and its story says who rated it how."""

import re

import pytest
from django.urls import reverse

from tickets import services


@pytest.fixture
def resolved(make, john):
    return services.change_status(make(), status="resolved", by=john)


def page_of(client, agent, ticket) -> str:
    client.force_login(agent.user)
    return client.get(reverse("staff:ticket", kwargs={"number": ticket.number})).content.decode()


def event_lines(page: str) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", " ", line).split())
        for line in re.findall(r'<p class="[^"]*ticket-event">(.*?)</p>', page, re.S)
    ]


def test_the_ticket_page_shows_the_rating_and_its_comment(client, john, resolved):
    services.rate(resolved, rating="good", comment="Quick <b>and</b> kind.")

    page = page_of(client, john, resolved)

    rating = re.search(r'data-testid="rating">(.*?)</dd>', page, re.S).group(1)
    assert "Good" in rating
    assert "Quick &lt;b&gt;and&lt;/b&gt; kind." in rating  # never marked safe


def test_the_story_says_who_rated_and_how(client, john, resolved):
    services.rate(resolved, rating="good")
    services.rate(resolved, rating="bad")

    lines = event_lines(page_of(client, john, resolved))

    assert any("Rated Good · by Karen Taylor" in line for line in lines)
    assert any("Rating changed to Bad · by Karen Taylor" in line for line in lines)


def test_a_reopened_ticket_shows_no_rating_of_the_earlier_resolution(client, john, resolved):
    services.rate(resolved, rating="bad")
    services.change_status(resolved, status="open", by=john)

    page = page_of(client, john, resolved)

    assert 'data-testid="rating"' not in page
    assert any("Rated Bad" in line for line in event_lines(page))  # the story keeps it


def test_an_unrated_ticket_shows_no_rating(client, john, resolved):
    assert 'data-testid="rating"' not in page_of(client, john, resolved)
