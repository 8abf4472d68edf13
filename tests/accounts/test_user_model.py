"""The user model: the email address is the login, one address is one person."""

import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError

from accounts.models import User
from accounts.services import find_or_create_end_user


def test_the_user_model_is_the_projects(django_user_model):
    assert django_user_model is User
    assert User.USERNAME_FIELD == "email"


def test_two_accounts_cannot_share_an_address_in_different_case(db):
    User.objects.create_user("Karen@Example.com")

    with pytest.raises(IntegrityError):
        User.objects.create_user("karen@example.com")


def test_signing_in_matches_the_address_case_insensitively(db):
    User.objects.create_user("karen@example.com", "s3cret-pass-phrase")

    assert authenticate(username="KAREN@example.com", password="s3cret-pass-phrase") is not None
    assert authenticate(username="karen@example.com", password="wrong") is None


def test_an_end_user_made_from_a_form_has_no_usable_password(db):
    user = find_or_create_end_user(email="new@example.com", full_name="New Person")

    assert not user.has_usable_password()
    assert authenticate(username="new@example.com", password="") is None


def test_finding_an_end_user_never_changes_their_details(db):
    existing = User.objects.create_user("ken@example.com", full_name="", phone="")

    found = find_or_create_end_user(email="KEN@example.com", full_name="Ken", phone="123")
    again = find_or_create_end_user(email="ken@example.com", full_name="Kenneth", phone="999")

    assert found == existing == again
    existing.refresh_from_db()
    assert (existing.full_name, existing.phone) == ("", "")


def test_a_new_end_user_takes_the_name_and_phone_given(db):
    user = find_or_create_end_user(email="lena@example.com", full_name="Lena", phone="+1 555")

    assert (user.full_name, user.phone) == ("Lena", "+1 555")


def test_the_user_model_is_in_the_first_migration():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    first = loader.get_migration("accounts", "0001_initial")
    created = [op.name for op in first.operations if op.__class__.__name__ == "CreateModel"]
    assert "User" in created
    assert first.dependencies == [("auth", "0012_alter_user_first_name_max_length")]
