"""The queue's pager: First, Previous, the pages nearby, Next, Last, each keeping the filters."""

import re

import pytest
from django.urls import reverse

from tickets import queues
from tickets.models import Priority, SavedQueue

OPEN = reverse("staff:queue", kwargs={"queue": "open"})
PAGE_LINK = re.compile(r'<a class="page-link" href="([^"]*)"[^>]*>([^<]+)</a>')


@pytest.fixture
def seven_pages(make, monkeypatch):
    """Fourteen open High tickets, two a page."""
    monkeypatch.setattr(queues, "PER_PAGE", 2)
    for _ in range(14):
        make(priority=Priority.HIGH, subject="Printer jam")


def pager_links(response) -> list[tuple[str, str]]:
    nav = response.content.decode().split('<nav aria-label="Pages">')[1].split("</nav>")[0]
    return [(text, href) for href, text in PAGE_LINK.findall(nav)]


def test_the_pager_links_the_first_last_and_two_pages_either_side(client, john, seven_pages):
    client.force_login(john.user)

    response = client.get(OPEN, {"priority": Priority.HIGH, "page": 4})

    keep = f"/scp/queues/open/?priority={Priority.HIGH}&amp;page="
    assert pager_links(response) == [
        ("First", keep + "1"),
        ("Previous", keep + "3"),
        ("2", keep + "2"),
        ("3", keep + "3"),
        ("4", keep + "4"),
        ("5", keep + "5"),
        ("6", keep + "6"),
        ("Next", keep + "5"),
        ("Last", keep + "7"),
    ]
    page = response.content.decode()
    assert f'href="{keep}4" aria-label="Page 4" aria-current="page">4</a>' in page
    assert "Page 4 of 7 · 14 tickets" in page


def test_the_first_page_has_no_way_back_and_the_last_no_way_on(client, john, seven_pages):
    client.force_login(john.user)

    first = [text for text, _ in pager_links(client.get(OPEN))]
    last = [text for text, _ in pager_links(client.get(OPEN, {"page": 7}))]

    assert first == ["1", "2", "3", "Next", "Last"]
    assert last == ["First", "Previous", "5", "6", "7"]


def test_the_page_links_keep_the_search_and_the_sort(client, john, seven_pages):
    client.force_login(john.user)

    response = client.get(OPEN, {"q": "Printer", "sort": "due", "dir": "asc", "page": 2})

    links = dict(pager_links(response))
    assert set(links) == {"First", "Previous", "1", "2", "3", "4", "Next", "Last"}
    for href in links.values():
        assert href.startswith("/scp/queues/open/?q=Printer&amp;sort=due&amp;dir=asc&amp;page=")


def test_a_saved_search_pages_on_its_own_address(client, john, seven_pages):
    saved = SavedQueue.objects.create(agent=john, name="Jams", queue="open", query="q=printer")
    url = reverse("staff:saved-queue", kwargs={"pk": saved.pk})
    client.force_login(john.user)

    response = client.get(url, {"page": 2})

    links = dict(pager_links(response))
    # The saved search's address holds its search; the link adds only the page.
    assert links["Next"] == f"{url}?page=3"
    assert client.get(links["Next"].replace("&amp;", "&")).context["listing"].page.number == 3


def test_a_refused_save_pages_on_the_tab_it_came_from(client, john, seven_pages):
    client.force_login(john.user)

    response = client.post(
        reverse("staff:saved-queue-new"),
        {"save-name": "", "save-queue": "open", "save-query": "q=printer"},
    )

    assert response.status_code == 200
    assert dict(pager_links(response))["Next"] == f"{OPEN}?q=printer&amp;page=2"


@pytest.fixture
def long_list(make, monkeypatch):
    """Twenty open tickets, two a page, counted up to 5 and paged up to page 6: a list too
    long to count or page through whole, at a size a test can make."""
    monkeypatch.setattr(queues, "PER_PAGE", 2)
    monkeypatch.setattr(queues, "COUNT_CAP", 5)
    monkeypatch.setattr(queues, "MAX_PAGES", 6)
    for n in range(20):
        make(subject=f"Printer jam {n}")


def pager_text(response) -> str:
    nav = response.content.decode().split('<nav aria-label="Pages">')[1].split("</nav>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", nav).split())


def test_a_tab_counts_up_to_its_cap_and_says_so(client, john, long_list):
    client.force_login(john.user)

    response = client.get(OPEN)

    tab = response.context["listing"].tabs[0]
    assert (tab.queue.label, tab.count, tab.count_text) == ("Open", 6, "5+")
    assert 'Open <span class="badge rounded-pill text-bg-primary">5+</span>' in (
        response.content.decode()
    )


def test_a_list_longer_than_counted_has_no_last_page(client, john, long_list):
    client.force_login(john.user)

    response = client.get(OPEN, {"page": 2})

    # Page 2 counts up to two pages past itself (8 tickets), and there are more.
    assert pager_text(response).startswith("Page 2 · more than 8 tickets")
    assert [text for text, _ in pager_links(response)] == [
        "First",
        "Previous",
        "1",
        "2",
        "3",
        "4",
        "Next",
    ]


def test_paging_stops_at_the_last_page_it_reaches_and_says_how_to_go_on(client, john, long_list):
    client.force_login(john.user)

    for asked in ("6", "99"):
        response = client.get(OPEN, {"page": asked})

        listing = response.context["listing"]
        assert listing.page.number == 6
        assert [row.ticket.subject for row in listing.rows] == ["Printer jam 9", "Printer jam 8"]
        assert "Next" not in [text for text, _ in pager_links(response)]
        assert "Lists are paged through their first 12 tickets" in pager_text(response)


def test_a_list_counted_whole_has_its_last_page(client, john, long_list, make):
    for _ in range(4):
        make(subject="Urgent", priority=Priority.HIGH)
    client.force_login(john.user)

    response = client.get(OPEN, {"priority": Priority.HIGH})

    assert pager_text(response).startswith("Page 1 of 2 · 4 tickets")
    assert [text for text, _ in pager_links(response)] == ["1", "2", "Next", "Last"]
