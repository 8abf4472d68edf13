"""The REST API under /api/v1/: tickets as an agent sees and works them, with an OpenAPI 3
schema (/api/v1/openapi.json) and browsable documentation (/api/v1/docs).

Built with django-ninja: the schema is generated from the endpoints' own pydantic types,
so it cannot drift from the code. Every error is a problem (api.rest.errors).
"""

from django.shortcuts import render
from django.urls import re_path
from ninja import NinjaAPI, Swagger

# Importing changes adds its operations to the tickets' router (the same addresses as the
# reads, other methods: Django routes an address to one view, which answers each method).
from api.rest import changes, directory, tickets  # noqa: F401
from api.rest.errors import (
    MEDIA_TYPE,
    TYPES,
    Problem,
    answering_problems,
    install_handlers,
    only_reading,
    unknown_address,
)

DESCRIPTION = """
Tickets as the API key's agent sees and works them in the staff panel: the same tickets,
the same permissions, the same rules (a ticket the agent cannot see answers 404).

Authenticate with `Authorization: Bearer <key>` (or osTicket's `X-API-Key: <key>`). Reading
needs a key allowed to read tickets; opening, replying, noting and changing need one allowed
to change them. Keys are made in the admin panel.

Every error is an RFC 9457 problem (`application/problem+json`) whose `type` is one of
""" + ", ".join(f"`urn:helpdesk:problem:{kind}`" for kind in TYPES)


class SwaggerUnderStrictCsp(Swagger):
    """Swagger UI from django-ninja's vendored files, with its settings as a JSON data block
    (`json_script`) for its external init script: no inline script, no CDN."""

    def render_page(self, request, api, **kwargs):
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, "api/docs.html", {"api": api, "swagger_settings": settings})


# Which problems each operation may answer, besides the ones every operation may.
EVERY_OPERATION = (400, 401, 422, 429, 500)
ON_ONE_TICKET = (404,)
ON_CHANGES = (403, 409, 413)


class RestAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """django-ninja's schema, with the problems each operation may answer."""
        schema = super().get_openapi_schema(*args, **kwargs)
        definitions = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(definitions.pop("$defs", {}))
        components["Problem"] = definitions
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                statuses = [*EVERY_OPERATION]
                if "{number}" in path:
                    statuses += ON_ONE_TICKET
                if method != "get":
                    statuses += ON_CHANGES
                for status in statuses:
                    operation["responses"][status] = {
                        "description": _PROBLEM_DESCRIPTIONS[status],
                        "content": {
                            MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
                        },
                    }
        return schema


_PROBLEM_DESCRIPTIONS = {
    400: "Malformed request (such as a cursor this API did not give).",
    401: "The key is missing, unknown, inactive, expired, bound to other addresses, or not "
    "allowed this; `detail` says which.",
    403: "The agent's role does not allow this change.",
    404: "No such ticket, or not one the key's agent can see.",
    409: "The ticket's state or rules refuse the change (a status move that does not exist, "
    "a stale revision).",
    413: "The request body is too large.",
    422: "Invalid fields, listed in `errors`.",
    429: "Too many requests with this key; see Retry-After.",
    500: "The server failed.",
}

api = RestAPI(
    title="Helpdesk REST API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    docs=SwaggerUnderStrictCsp(settings={"validatorUrl": None}),
    docs_decorator=only_reading,
)
api.add_router("", tickets.router)
api.add_router("", directory.router)
install_handlers(api)


def _urls():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = answering_problems(pattern.callback)
    return [*patterns, re_path(r"^.*$", unknown_address)], app_name, namespace


# Included at api/v1/ by api.urls.
urls = _urls()
