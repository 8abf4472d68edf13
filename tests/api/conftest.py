"""What the API tests share: a webhook receiver of their own; for the REST API, keys acting
as the suite's agents (tests/conftest.py) and a client; for osTicket's endpoints, keys of
each kind and posting to them as osTicket's clients do."""

import base64
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


# osTicket's endpoints ----------------------------------------------------------------------

MONITORING_HOST = "203.0.113.5"


def new_key(**fields) -> tuple[ApiKey, str]:
    """A saved key with these fields (the model's defaults else); it and its plain value."""
    key = ApiKey(name=fields.pop("name", "Monitoring"), **fields)
    plain = keys.issue(key)
    key.save()
    return key, plain


@pytest.fixture
def ticket_key(db):
    """The key a monitoring system creates tickets with (the model's default permissions)."""
    return new_key()[1]


@pytest.fixture
def cron_key(db):
    """A key that may only run cron."""
    return new_key(name="Cron", can_create_tickets=False, can_run_cron=True)[1]


def post(
    client,
    path,
    body,
    key="",
    *,
    content_type="application/x-www-form-urlencoded",
    address=MONITORING_HOST,
    **headers,
):
    """POST as osTicket's clients do: the key in X-API-Key, whatever the Content-Type."""
    if key:
        headers["X-API-Key"] = key
    return client.generic(
        "POST",
        path,
        body,
        content_type=content_type,
        REMOTE_ADDR=address,
        headers=headers,
    )


def data_url(content: bytes, media_type: str = "text/plain") -> str:
    return f"data:{media_type};base64,{base64.b64encode(content).decode()}"


def text_of(response) -> str:
    return response.content.decode().strip()
