"""The bulk form's way back (`next`) is a path of this site: a bare word was taken by
redirect() for a view's name, and answered 500 (NoReverseMatch)."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("back", ["foo", "V¦lö", "staff:queue", "%00", "?q=1"])
def test_a_way_back_that_is_not_a_path_goes_to_the_staff_home(john, karens_ticket, back):
    client = Client(raise_request_exception=False)
    client.force_login(john.user)

    response = client.post(
        reverse("staff:bulk"),
        {"tickets": [karens_ticket.number], "change": "priority:1", "next": back},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("staff:home")


def test_a_queue_path_is_still_the_way_back(john, karens_ticket):
    client = Client()
    client.force_login(john.user)

    response = client.post(
        reverse("staff:bulk"),
        {"tickets": [karens_ticket.number], "change": "", "next": "/scp/queues/closed/?q=x"},
    )

    assert response["Location"] == "/scp/queues/closed/?q=x"
