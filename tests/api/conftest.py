"""What the API tests share: a webhook receiver of their own; for the REST API, keys acting
as the suite's agents (tests/conftest.py) and a client."""

import json

import pytest

from api import keys
from api.models import ApiKey
from tests import factories
from tests.api.receivers import WebhookReceiver


def make_key(agent=None, **permissions) -> str:
    """A saved key with these permissions (keys.issue, as the admin pages make them); its
    plain value."""
    key = ApiKey(name="REST client", agent=agent, **{"can_create_tickets": False, **permissions})
    plain = keys.issue(key)
    key.save()
    return plain


class RestClient:
    """Django's test client speaking JSON to /api/v1/ with one key."""

    def __init__(self, client, key: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def _send(self, method, path, body=None, **extra):
        kwargs = {"headers": {**self.headers, **extra.pop("headers", {})}, **extra}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs)

    def get(self, path, **extra):
        return self._send("get", path, **extra)

    def post(self, path, body=None, **extra):
        return self._send("post", path, {} if body is None else body, **extra)

    def patch(self, path, body=None, **extra):
        return self._send("patch", path, {} if body is None else body, **extra)


@pytest.fixture
def viewer(support, view_only):
    """A view-only agent of Support: may read Support's tickets, change none."""
    return factories.AgentFactory(
        user__email="vera@example.com",
        user__full_name="Vera Viewer",
        department=support,
        role=view_only,
    )


@pytest.fixture
def johns_api(client, john):
    """A key that reads and changes tickets as John (full access to Support)."""
    return RestClient(client, make_key(john, can_read=True, can_write=True))


@pytest.fixture
def janes_api(client, jane):
    """A key acting as Jane, who works Online Banking and cannot see Support's tickets."""
    return RestClient(client, make_key(jane, can_read=True, can_write=True))


@pytest.fixture
def viewers_api(client, viewer):
    """A key that may write, acting as the view-only agent: her role still refuses changes."""
    return RestClient(client, make_key(viewer, can_read=True, can_write=True))


@pytest.fixture
def johns_read_only_api(client, john):
    """A key acting as John that may read but not change tickets."""
    return RestClient(client, make_key(john, can_read=True))


@pytest.fixture
def receiver():
    """An HTTP server on 127.0.0.1 that takes webhook deliveries, stopped after the test."""
    server = WebhookReceiver()
    yield server
    server.stop()
