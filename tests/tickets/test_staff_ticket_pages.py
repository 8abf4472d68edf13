"""The staff panel's ticket list and ticket view, read through visible_to."""

from django.urls import reverse

from tests import factories


def test_the_list_shows_exactly_the_tickets_the_agent_may_see(
    client, john, support, online_banking, karen
):
    mine = factories.TicketFactory(department=support, requester=karen, subject="Printer jam")
    theirs = factories.TicketFactory(
        department=online_banking, requester=karen, subject="Wire transfer stuck"
    )
    client.force_login(john.user)

    page = client.get(reverse("staff:home")).content.decode()

    assert "Printer jam" in page
    assert mine.number in page
    assert "Wire transfer stuck" not in page
    assert theirs.number not in page


def test_the_list_runs_a_constant_number_of_queries(
    client, john, support, karen, django_assert_max_num_queries
):
    client.force_login(john.user)
    factories.TicketFactory(department=support, requester=karen, assignee=john)
    # The absolute cap is the queue tests' (test_queue_query_counts); here: no growth.
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("staff:home"))
    team = factories.TeamFactory()
    for n in range(15):
        factories.TicketFactory(
            department=support,
            requester=factories.UserFactory(),
            assignee=john if n % 2 else None,
            team=None if n % 2 else team,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("staff:home"))
    assert len(response.context["listing"].rows) == 16


def test_the_ticket_view_shows_the_whole_thread_with_notes(client, john, support, karen):
    ticket = factories.TicketFactory(department=support, requester=karen)
    factories.ThreadEntryFactory(ticket=ticket, body="The users message")
    factories.ThreadEntryFactory(
        ticket=ticket, kind="note", author=john.user, author_name="John Miller", body="Internal!"
    )
    client.force_login(john.user)

    page = client.get(reverse("staff:ticket", kwargs={"number": ticket.number})).content.decode()

    assert "The users message" in page
    assert "Internal!" in page
    assert "Internal note by John Miller" in page


def test_a_ticket_the_agent_cannot_see_answers_404_like_one_that_does_not_exist(
    client, john, online_banking, karen
):
    hidden = factories.TicketFactory(department=online_banking, requester=karen)
    client.force_login(john.user)

    hidden_response = client.get(reverse("staff:ticket", kwargs={"number": hidden.number}))
    missing_response = client.get(reverse("staff:ticket", kwargs={"number": "999999"}))

    assert hidden_response.status_code == missing_response.status_code == 404


def test_staff_pages_refuse_other_methods(client, john, support, karen):
    ticket = factories.TicketFactory(department=support, requester=karen)
    client.force_login(john.user)

    assert client.post(reverse("staff:home")).status_code == 405
    assert client.post(reverse("staff:ticket", kwargs={"number": ticket.number})).status_code == 405
