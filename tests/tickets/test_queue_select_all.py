"""The queue's select-all box: there for the script to show, hidden without JavaScript."""

import re

from django.urls import reverse

SELECT_ALL = re.compile(r'<input [^>]*aria-label="Select all tickets on this page"[^>]*>')


def test_the_queue_page_has_a_select_all_box_hidden_until_its_script_runs(client, john, make):
    make()
    client.force_login(john.user)

    page = client.get(reverse("staff:home")).content.decode()

    [box] = SELECT_ALL.findall(page)
    assert 'type="checkbox"' in box
    assert " hidden" in box
    assert re.search(r'<script src="/static/js/queue\.js[^"]*"></script>', page)


def test_only_the_queue_page_loads_the_queue_script(client, john, make):
    ticket = make()
    client.force_login(john.user)

    page = client.get(reverse("staff:ticket", kwargs={"number": ticket.number})).content.decode()

    assert "js/queue.js" not in page
