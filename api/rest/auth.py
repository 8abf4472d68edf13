"""The REST API's key check: api.keys.authenticate, as a django-ninja auth class.

As an `HttpBearer` it shows in the OpenAPI schema as the bearer scheme (Swagger UI's
Authorize button); the check itself is the API's one gate, which also takes `X-API-Key`.
"""

from ninja.security import HttpBearer

from api import keys


class ApiKeyBearer(HttpBearer):
    """`Authorization: Bearer <key>`: a key allowed to read (or change) tickets, acting as
    its agent, whose `visible_to` and `can()` then apply."""

    def __init__(self, permission: str):
        super().__init__()
        self.permission = permission

    def __call__(self, request):
        # KeyRefused (which check failed, or 429) goes to the API's problem handler.
        key = keys.authenticate(request, self.permission)
        # The change history names the agent the key acts as.
        request.user = key.agent.user
        return key

    def authenticate(self, request, token):  # pragma: no cover - __call__ does it all
        return None


READS = ApiKeyBearer(keys.READ)
WRITES = ApiKeyBearer(keys.WRITE)


def agent_of(request):
    """The agent the request's key acts as (set by ApiKeyBearer)."""
    return request.auth.agent
