"""My Tickets lists the tickets a signed-in end user collaborates on, each with their own link."""

import pytest
from django.urls import reverse

from tests import factories
from tests.links import opened_by
from tickets.access import TicketAccess
from tickets.models import Collaborator

URL = reverse("portal:my-tickets")


@pytest.fixture
def kens_ticket(ken):
    return factories.TicketFactory(requester=ken, subject="Laptop will not boot")


def listed(client, user):
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response


def test_my_tickets_lists_a_ticket_they_collaborate_on_with_their_own_link(
    client, karens_ticket, ken, kens_ticket
):
    Collaborator.objects.create(ticket=karens_ticket, user=ken)

    response = listed(client, ken)

    page = response.content.decode()
    assert "Entire mobile online banking is down" in page
    assert "Laptop will not boot" in page
    links = {ticket: link for ticket, link, _ in response.context["tickets"]}
    assert set(links) == {karens_ticket, kens_ticket}
    assert opened_by(links[karens_ticket]) == TicketAccess(karens_ticket, ken)
    assert opened_by(links[kens_ticket]) == TicketAccess(kens_ticket, ken)
    for link in links.values():
        assert f'href="{link}"' in page


def test_a_collaborators_link_from_my_tickets_opens_the_ticket_without_mark_as_resolved(
    client, karens_ticket, ken
):
    Collaborator.objects.create(ticket=karens_ticket, user=ken)
    [(_, link, _)] = listed(client, ken).context["tickets"]

    page = client.get(link).content.decode()

    assert "Entire mobile online banking is down" in page
    assert "Mark as Resolved" not in page


def test_a_ticket_they_no_longer_collaborate_on_leaves_my_tickets(client, karens_ticket, ken):
    Collaborator.objects.create(ticket=karens_ticket, user=ken).delete()

    response = listed(client, ken)

    assert response.context["tickets"] == []
    assert "Entire mobile online banking is down" not in response.content.decode()


def test_a_requester_who_also_collaborates_sees_the_ticket_once(client, karens_ticket, karen):
    Collaborator.objects.create(ticket=karens_ticket, user=karen)

    response = listed(client, karen)

    assert [ticket for ticket, _, _ in response.context["tickets"]] == [karens_ticket]


def test_other_peoples_tickets_stay_out_of_my_tickets(client, karens_ticket, ken, kens_ticket):
    response = listed(client, ken)

    assert [ticket for ticket, _, _ in response.context["tickets"]] == [kens_ticket]
    assert "Entire mobile online banking is down" not in response.content.decode()


def test_my_tickets_runs_a_constant_number_of_queries_with_collaborations(
    client, ken, django_assert_max_num_queries
):
    client.force_login(ken)
    Collaborator.objects.create(ticket=factories.TicketFactory(), user=ken)
    with django_assert_max_num_queries(4) as few:
        client.get(URL)
    for _ in range(5):
        Collaborator.objects.create(ticket=factories.TicketFactory(), user=ken)
        factories.TicketFactory(requester=ken)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["tickets"]) == 11


def test_my_tickets_answers_only_get(client, ken):
    client.force_login(ken)

    assert client.post(URL).status_code == 405
