"""Django admin's user search with a term longer than any address finds nobody, instead of
sending SQLite a LIKE pattern over its 50,000-byte limit (a 500)."""

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client():
    client = Client(raise_request_exception=False)
    client.force_login(
        factories.UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    )
    return client


def test_a_60000_character_search_finds_nobody(superuser_client, karen):
    response = superuser_client.get("/django-admin/accounts/user/", {"q": "a" * 60_000})

    assert response.status_code == 200
    assert "karen@example.com" not in response.content.decode()


def test_a_search_of_20000_words_is_answered(superuser_client, karen):
    response = superuser_client.get("/django-admin/accounts/user/", {"q": "zz " * 20_000})

    assert response.status_code == 200
    assert "karen@example.com" not in response.content.decode()


def test_an_ordinary_search_still_finds_the_user(superuser_client, karen):
    response = superuser_client.get("/django-admin/accounts/user/", {"q": "karen"})

    assert "karen@example.com" in response.content.decode()
