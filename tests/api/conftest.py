"""The API's cast: keys of each kind, and posting to the osTicket endpoints as clients do."""

import base64

import pytest

from api import keys
from api.models import ApiKey

MONITORING_HOST = "203.0.113.5"


def make_key(**fields) -> tuple[ApiKey, str]:
    key = ApiKey(name=fields.pop("name", "Monitoring"), **fields)
    plain = keys.issue(key)
    key.save()
    return key, plain


@pytest.fixture
def ticket_key(db):
    """The key a monitoring system creates tickets with (the model's default permissions)."""
    return make_key()[1]


@pytest.fixture
def cron_key(db):
    """A key that may only run cron."""
    return make_key(name="Cron", can_create_tickets=False, can_run_cron=True)[1]


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
