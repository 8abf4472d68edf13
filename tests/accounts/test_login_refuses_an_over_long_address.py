"""A sign-in with an address longer than any account's is refused beside the field, before
any query: SQLite refuses a LIKE pattern over 50,000 bytes, which answered 500."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/login/", "/scp/login/"])
def test_a_100000_character_address_is_refused_beside_the_field(url, john):
    client = Client(raise_request_exception=False)

    response = client.post(url, {"username": "a" * 100_000, "password": "x"})

    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()


@pytest.mark.parametrize("url", ["/login/", "/scp/login/"])
def test_an_address_of_254_characters_is_still_checked_against_the_accounts(url, john):
    response = Client().post(url, {"username": "a" * 242 + "@example.com", "password": "x"})

    assert "Please enter a correct email address and password." in response.content.decode()
