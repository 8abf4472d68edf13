"""The notices the apps send, and how an administrator's wording of one is rendered.

Each app registers its notices in its `notices` module (found at start-up): a key, who
receives it, a default wording, the variables it offers and a sample to preview with. An
administrator may reword each one (EmailTemplate) or switch it off.

Wordings are Django templates rendered with plain values only (strings, numbers and dicts
of them, never model objects), by an engine with no template loaders: a wording cannot
reach the database or the file system, only the values it is given.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from django.template import Context, Engine
from django.template.base import Lexer, TokenType

from helpdesk import memo
from helpdesk.mail.models import EmailTemplate

_ENGINE = Engine(debug=False, string_if_invalid="", loaders=[])


@dataclass(frozen=True)
class Notice:
    key: str  # "ticket.autoresponse"
    name: str  # "New ticket auto-response"
    audience: str  # "End user", "Agents", "New agent"
    description: str  # when it is sent
    subject: str
    text: str
    html: str = ""
    # The variables a wording may use, with what each holds, for the form's help.
    variables: tuple[tuple[str, str], ...] = ()
    # Values for the preview and for checking a new wording renders.
    sample: Callable[[], dict] = field(default=dict)
    order: int = 100


_NOTICES: dict[str, Notice] = {}


def register(notice: Notice) -> Notice:
    if notice.key in _NOTICES:
        raise ValueError(f"The notice {notice.key!r} is registered twice.")
    _NOTICES[notice.key] = notice
    return notice


def get(key: str) -> Notice:
    return _NOTICES[key]


def all_notices() -> list[Notice]:
    return sorted(_NOTICES.values(), key=lambda notice: (notice.order, notice.key))


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


class WordingProblem(ValueError):
    """A wording that does not render; `field` says which part, the message why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@lru_cache(maxsize=256)
def _compiled(source: str):
    # Wordings change rarely and are rendered for every message: compile each text once.
    return _ENGINE.from_string(source)


def _render(source: str, values: Mapping, *, autoescape: bool) -> str:
    return _compiled(source).render(Context(dict(values), autoescape=autoescape))


_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}


def _unclosed_tag(source: str) -> str | None:
    """A "{{", "{%" or "{#" the template language would print as it is, not close."""
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.TEXT:
            for opener in _CLOSERS:
                if opener in token.contents:
                    return opener
    return None


def render_wording(subject: str, text: str, html: str, values: Mapping) -> Rendered:
    """Render a wording; refuses one that does not render, saying which part and why."""
    parts = {}
    for part, label, source, autoescape in (
        ("subject", "The subject", subject, False),
        ("text_body", "The plain-text body", text, False),
        ("html_body", "The HTML body", html, True),
    ):
        unclosed = _unclosed_tag(source)
        if unclosed:
            raise WordingProblem(
                part,
                f"{label} does not render: “{unclosed}” is never closed with "
                f"“{_CLOSERS[unclosed]}”.",
            )
        try:
            parts[part] = _render(source, values, autoescape=autoescape) if source else ""
        except Exception as error:  # whatever a wording does, say so, never fail
            raise WordingProblem(part, f"{label} does not render: {error}") from error
    # A subject is one line; what a value brings in must not add header lines.
    one_line = " ".join(parts["subject"].split())
    return Rendered(one_line, parts["text_body"], parts["html_body"])


WORDINGS = "mail.wordings"


def wordings() -> dict[str, tuple]:
    """Every saved wording by key: (is_enabled, subject, text, html); kept a few seconds."""
    return memo.remembered(
        WORDINGS,
        lambda: {
            key: rest
            for key, *rest in EmailTemplate.objects.values_list(
                "key", "is_enabled", "subject", "text_body", "html_body"
            )
        },
    )


def is_enabled(key: str) -> bool:
    """Whether the notice is on: a caller with costly values to gather asks first."""
    wording = wordings().get(key)
    return wording is None or wording[0]


def render(key: str, values: Mapping) -> Rendered | None:
    """The notice as the administrator worded it (or by default), or None if switched off."""
    notice = get(key)
    wording = wordings().get(key)
    if wording is None:
        return render_wording(notice.subject, notice.text, notice.html, values)
    is_enabled, subject, text, html = wording
    if not is_enabled:
        return None
    try:
        return render_wording(subject, text, html, values)
    except WordingProblem:
        # Saved wordings were checked; one that breaks on real values falls back to the
        # default rather than losing the notice.
        return render_wording(notice.subject, notice.text, notice.html, values)


def create_missing_templates(**kwargs) -> None:
    """After migrating: a template row, with the default wording, for every notice."""
    for notice in all_notices():
        EmailTemplate.objects.get_or_create(
            key=notice.key,
            defaults={
                "subject": notice.subject,
                "text_body": notice.text,
                "html_body": notice.html,
            },
        )
