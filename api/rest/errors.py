"""RFC 9457 problem details: how every error under /api/v1/ is answered.

A client of a JSON API should never have to parse an HTML error page, so every refusal —
a key refused, a ticket not found or not visible, a role that does not allow the change, a
malformed request, an unknown address, a wrong method, a failure of ours — is answered as
`application/problem+json` with `type`, `title`, `status` and `detail`; a malformed request
also lists each field's error under `errors`.
"""

import json
import logging
from functools import wraps

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from api.keys import KeyRefused
from helpdesk import outage

logger = logging.getLogger("api.rest")

MEDIA_TYPE = "application/problem+json"
# Each problem type is a URN naming the kind of problem; `title` says it in words. The list
# is in the OpenAPI schema's description of the Problem object.
TYPE_PREFIX = "urn:helpdesk:problem:"
TYPES = {
    "bad-request": "The request is malformed",
    "key-refused": "The API key was refused",
    "rate-limited": "Too many requests with this API key",
    "forbidden": "Not allowed",
    "not-found": "Not found",
    "method-not-allowed": "Method not allowed",
    "conflict": "The ticket's state does not allow this",
    "too-large": "The request is too large",
    "validation": "The request has invalid fields",
    "server-error": "The server failed",
    "unavailable": "The helpdesk is unavailable for a moment",
}


class FieldError(Schema):
    """One invalid part of a request: where it is, and what is wrong with it."""

    location: str = Field(description="body, query, path or header")
    field: str = Field(description="The field's name, dotted for nested fields; empty for all.")
    message: str


class Problem(Schema):
    """An error, as RFC 9457 problem details."""

    type: str = Field(description="A URN naming the kind of problem, urn:helpdesk:problem:…")
    title: str
    status: int
    detail: str
    instance: str = Field(description="The path of the request that failed.")
    errors: list[FieldError] | None = Field(
        None, description="For an invalid request: each invalid field."
    )


class ApiProblem(Exception):
    """Raised by the endpoints to answer with a problem (a status, a kind, and a detail)."""

    def __init__(self, status: int, kind: str, detail: str, errors: list[dict] | None = None):
        super().__init__(detail)
        self.status, self.kind, self.detail, self.errors = status, kind, detail, errors


def problem_response(
    request, status: int, kind: str, detail: str, *, errors=None, headers=None
) -> HttpResponse:
    """The problem-details response for this error."""
    body = {
        "type": TYPE_PREFIX + kind,
        "title": TYPES[kind],
        "status": status,
        "detail": detail,
        "instance": request.path[:500],
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body), status=status, content_type=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_errors(pydantic_errors: list[dict]) -> list[dict]:
    """django-ninja's validation errors as FieldErrors: ("body", "payload", "email") is the
    body's field "email"; ("query", "limit") the query's "limit"."""
    found = []
    for error in pydantic_errors:
        location, *rest = [str(part) for part in error.get("loc", ())] or ["body"]
        if location == "body" and rest:
            rest = rest[1:]  # the endpoint's parameter name, not the client's business
        found.append(
            {
                "location": location,
                "field": ".".join(rest),
                "message": str(error.get("msg", "Invalid value.")),
            }
        )
    return found


def _validation(request, exc: NinjaValidationError):
    errors = field_errors(exc.errors)
    fields = ", ".join(sorted({e["field"] or e["location"] for e in errors}))
    return problem_response(
        request, 422, "validation", f"Check these fields: {fields}.", errors=errors
    )


# RFC 9110: a 401 names the scheme it wants.
_WANTS_BEARER = {"WWW-Authenticate": "Bearer"}


def _key_refused(request, exc: KeyRefused):
    if exc.status == 429:
        retry = str(exc.retry_after or 60)
        return problem_response(
            request, 429, "rate-limited", exc.reason, headers={"Retry-After": retry}
        )
    return problem_response(request, 401, "key-refused", exc.reason, headers=_WANTS_BEARER)


def _api_problem(request, exc: ApiProblem):
    return problem_response(request, exc.status, exc.kind, exc.detail, errors=exc.errors)


def _http_error(request, exc: HttpError):
    if isinstance(exc, AuthenticationError):
        return problem_response(
            request,
            401,
            "key-refused",
            "No API key was sent.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    kind = {400: "bad-request", 403: "forbidden", 404: "not-found", 429: "rate-limited"}
    return problem_response(
        request, exc.status_code, kind.get(exc.status_code, "bad-request"), str(exc)
    )


def _not_found(request, exc):
    return problem_response(
        request, 404, "not-found", "There is nothing here that this key can see."
    )


def _unexpected(request, exc: Exception):
    """Known kinds of bad requests by name; anything else is our failure: logged, 500."""
    if isinstance(exc, RequestDataTooBig):
        return problem_response(request, 413, "too-large", "The request body is too large.")
    if isinstance(exc, SuspiciousOperation):
        return problem_response(
            request, 400, "bad-request", "The request was refused as malformed."
        )
    if isinstance(exc, PermissionDenied):
        return problem_response(request, 403, "forbidden", str(exc) or "Not allowed.")
    if isinstance(exc, Http404):
        return _not_found(request, exc)
    if outage.database_unavailable(exc):
        logger.warning("API request without the database: %s %s", request.method, request.path)
        return problem_response(
            request,
            503,
            "unavailable",
            outage.API_DETAIL,
            headers={"Retry-After": str(outage.RETRY_AFTER_SECONDS)},
        )
    logger.exception("API request failed: %s %s", request.method, request.path)
    return problem_response(
        request,
        500,
        "server-error",
        "The helpdesk could not finish this request. This is our fault: try again later; if "
        "it was a change, check whether it went through first.",
    )


def install_handlers(api) -> None:
    """Make django-ninja answer every error it handles with a problem."""
    api.add_exception_handler(NinjaValidationError, _validation)
    api.add_exception_handler(KeyRefused, _key_refused)
    api.add_exception_handler(ApiProblem, _api_problem)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(Exception, _unexpected)


def answering_problems(view):
    """Wrap a view under /api/v1/ so that what django-ninja does not handle — its 405 for a
    method an address does not take, its 404 for the bare /api/v1/, an exception outside an
    operation — is answered as a problem too, never as Django's HTML pages."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Exception as exc:
            return _unexpected(request, exc)
        if isinstance(response, HttpResponseNotAllowed):
            return _method_not_allowed(request, response["Allow"])
        return response

    return wrapped


def only_reading(view):
    """For the schema and the docs, which django-ninja serves to any method: GET and HEAD
    only, and a problem for the others as for every address of the API."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return _method_not_allowed(request, "GET")
        return view(request, *args, **kwargs)

    return wrapped


def _method_not_allowed(request, allowed: str) -> HttpResponse:
    return problem_response(
        request,
        405,
        "method-not-allowed",
        f"{request.method} is not allowed here; use {allowed}.",
        headers={"Allow": allowed},
    )


@csrf_exempt
def unknown_address(request, *args, **kwargs):
    """Every address under /api/v1/ that is not an endpoint."""
    return problem_response(
        request,
        404,
        "not-found",
        "There is no such address in this API; the list is at /api/v1/docs.",
    )
