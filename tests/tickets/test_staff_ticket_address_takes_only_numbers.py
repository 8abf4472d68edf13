"""A staff ticket address carries a ticket number: anything else (a NUL byte, letters, more
digits than the column holds) is a 404 from the resolver, never a query that PostgreSQL
refuses with a 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "number",
    ["%00", "1%00", "%FF", "1234567890123", "abc", "%ED%A0%80"],
    ids=["nul", "digit-then-nul", "not-utf8", "thirteen-digits", "letters", "surrogate"],
)
@pytest.mark.parametrize("action", ["", "presence/", "reply/", "attachments/1/"])
def test_a_ticket_address_that_is_not_a_number_is_a_404(client, john, number, action):
    client.force_login(john.user)

    response = client.get(f"/scp/tickets/{number}/{action}")

    assert response.status_code == 404


def test_a_nul_byte_in_a_posted_ticket_address_is_a_404(client, john, karens_ticket):
    client.force_login(john.user)

    response = client.post(f"/scp/tickets/{karens_ticket.number}%00/note/", {"note-body": "x"})

    assert response.status_code == 404
    assert karens_ticket.thread.count() == 1


def test_a_real_ticket_number_still_opens_its_page(client, john, karens_ticket):
    client.force_login(john.user)

    response = client.get(f"/scp/tickets/{karens_ticket.number}/")

    assert response.status_code == 200
