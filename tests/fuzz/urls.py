"""Every URL pattern the project answers, read from its resolver, so a URL added later is
fuzzed too; and every query-string name its views and forms read."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from api.rest.tickets import TicketFilters
from tickets.dashboard import DashboardForm
from tickets.queues import QueueFilterForm

_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")


@dataclass(frozen=True)
class Route:
    """A URL pattern as a template: `{name}` where a path value goes."""

    template: str
    parameters: tuple[str, ...]
    choices: tuple[tuple[str, ...], ...]  # for a regex alternation, its own words

    @property
    def area(self) -> str:
        for prefix in ("django-admin/", "scp/admin/", "scp/", "api/"):
            if self.template.startswith(prefix):
                return prefix
        return ""

    def __str__(self):
        return "/" + self.template


def _walk(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + _as_template(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + _as_template(pattern.pattern)


def _as_template(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _ROUTE_PARAMETER.sub(lambda m: "{" + m["name"] + "}", str(pattern))
    if isinstance(pattern, RegexPattern):
        text = str(pattern).removeprefix("^").removesuffix("$")
        text = text.replace("\\.", ".")
        if "(?P<" not in text:
            return text.replace(".*", "{rest}")
        return _REGEX_GROUP.sub(_regex_placeholder, text)
    raise TypeError(pattern)


def _regex_placeholder(match) -> str:
    body = match["body"]
    return "{" + match["name"] + ("=" + body if "|" in body else "") + "}"


def routes() -> list[Route]:
    seen = {}
    for raw in _walk(get_resolver()):
        parameters, choices = [], []
        for match in re.finditer(r"\{([^{}]+)\}", raw):
            name, _, body = match[1].partition("=")
            parameters.append(name)
            choices.append(tuple(re.findall(r"[\w-]+", body)) if "|" in body else ())
        template = re.sub(r"\{([^{}=]+)(=[^{}]*)?\}", r"{\1}", raw)
        seen.setdefault(template, Route(template, tuple(parameters), tuple(choices)))
    return list(seen.values())


# The names the views read besides their forms', and names nobody reads.
_OTHER_NAMES = [
    "page",
    "next",
    "ticket",
    "replying",
    "format",
    "o",
    "p",
    "all",
    "_changelist_filters",
    "_popup",
    "e",
    "term",
    "app_label",
    "model_name",
    "field_name",
    "id",
    "pk",
    "token",
    "limit",
    "offset",
]


def query_names() -> list[str]:
    names = [
        *QueueFilterForm.base_fields,
        *DashboardForm.base_fields,
        *TicketFilters.model_fields,
        *_OTHER_NAMES,
    ]
    return sorted(set(names))
