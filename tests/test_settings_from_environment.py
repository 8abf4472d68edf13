"""Settings helpers: environment variables are read strictly, defaults are safe."""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from helpdesk.env import env_bool, env_int, env_list


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("off", False)])
def test_booleans_accept_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)

    assert env_bool("X_FLAG", not expected) is expected


def test_a_misspelt_boolean_stops_start_up_with_its_name(monkeypatch):
    monkeypatch.setenv("DEBUG", "ture")

    with pytest.raises(ImproperlyConfigured, match="DEBUG='ture' is not a boolean"):
        env_bool("DEBUG", False)


def test_integers_are_checked(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "-1")
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("X_NUM", 1, minimum=0)
    monkeypatch.setenv("X_NUM", "42")
    assert env_int("X_NUM", 1) == 42


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("X_LIST", " a.example, b.example ,,")

    assert env_list("X_LIST", []) == ["a.example", "b.example"]
    assert env_list("X_UNSET", ["d"]) == ["d"]


def test_the_defaults_are_safe():
    assert settings.DEBUG is False
    assert "*" not in settings.ALLOWED_HOSTS
    assert settings.SECRET_KEY and not settings.SECRET_KEY.startswith("django-insecure")
    assert settings.SECURE_CSP["script-src"] == ["'self'"]
    assert settings.MEDIA_URL in ("", "/"), "uploads are only reachable through access checks"


def test_database_connections_are_kept_and_checked_before_reuse():
    database = settings.DATABASES["default"]

    assert database["CONN_MAX_AGE"] > 0, "a connection per request costs every page a login"
    assert database["CONN_HEALTH_CHECKS"] is True
