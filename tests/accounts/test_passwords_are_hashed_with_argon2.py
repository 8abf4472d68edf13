"""Passwords are hashed with Argon2 in production; older hashes still verify, and are
re-hashed with Argon2 when their owner signs in.

The suite hashes with MD5 for speed (tests/conftest.py); these tests put the production
setting back.
"""

from django.contrib.auth.hashers import make_password
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from helpdesk import settings as production
from tests import factories


def test_production_hashes_new_passwords_with_argon2(db):
    user = factories.UserFactory(email="karen@example.com")

    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user.set_password("a new portal password 42")
        user.save()

        assert user.password.startswith("argon2$")
        assert user.check_password("a new portal password 42")


def test_an_old_pbkdf2_hash_still_signs_in_and_is_upgraded_to_argon2(client, db):
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        old_hash = make_password("my password from 2019", hasher="pbkdf2_sha256")
        factories.UserFactory(email="karen@example.com", password=None)
        User.objects.filter(email="karen@example.com").update(password=old_hash)

        response = client.post(
            reverse("portal:login"),
            {"username": "karen@example.com", "password": "my password from 2019"},
        )

        assert response.status_code == 302
        stored = User.objects.get(email="karen@example.com").password
        assert stored.startswith("argon2$")
        assert stored != old_hash
