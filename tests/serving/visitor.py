"""A person's browser over real HTTP, for tests against running servers: a cookie jar,
pages fetched with requests, and forms read from the HTML and sent as the browser would
(their hidden fields, CSRF token and submission key included).

Every answer is recorded (what kind of request, its status) for the caller's totals.
"""

import threading
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)  # a select's option values


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._first_option: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = {name: (value or "") for name, value in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or "name" not in a:
            if tag == "option" and self._select and self._form is not None:
                self._option(a)
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form.fields[name] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self._form.fields[name] = ""
        elif tag == "select":
            self._select = name
            self._form.choices[name] = []

    def _option(self, a):
        value = a.get("value", "")
        self._form.choices[self._select].append(value)
        if "selected" in a or self._select not in self._form.fields:
            self._form.fields[self._select] = value

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form.fields[self._textarea] += data


def forms_of(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class Tally:
    """Answers by kind of request and by status class, shared by every visitor's thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_kind: Counter[str] = Counter()
        self.by_status: Counter[int] = Counter()
        self.server_errors: list[str] = []

    def record(self, kind: str, response: requests.Response) -> None:
        with self.lock:
            self.by_kind[kind] += 1
            self.by_status[response.status_code] += 1
            if response.status_code >= 500:
                self.server_errors.append(f"{kind} {response.request.method} {response.url}")

    @property
    def requests(self) -> int:
        return sum(self.by_kind.values())

    @property
    def five_hundreds(self) -> int:
        return sum(n for status, n in self.by_status.items() if status >= 500)


class PageError(AssertionError):
    """A page did not have what the visitor looked for (its URL and status say where)."""


class Visitor:
    """One person at a browser. `url` may point at any of the servers: sessions are kept in
    the database and signed with the shared secret key, so the cookies work on all."""

    def __init__(self, tally: Tally | None = None, timeout: float = 60):
        self.session = requests.Session()
        self.tally = tally or Tally()
        self.timeout = timeout

    def get(self, url: str, kind: str = "page", **kwargs) -> requests.Response:
        response = self.session.get(url, timeout=self.timeout, **kwargs)
        self.tally.record(kind, response)
        return response

    def post(self, url: str, data: dict | bytes, kind: str, **kwargs) -> requests.Response:
        response = self.session.post(url, data=data, timeout=self.timeout, **kwargs)
        self.tally.record(kind, response)
        return response

    def form(self, page: requests.Response, action_ends: str = "") -> Form:
        """The page's form whose action ends with `action_ends` (the first if empty)."""
        for form in forms_of(page.text):
            target = urljoin(page.url, form.action or page.url)
            if form.method == "post" and target.split("?")[0].endswith(action_ends):
                form.action = target
                return form
        raise PageError(f"{page.url} ({page.status_code}) has no form posting to …{action_ends}")

    def submit(
        self, page: requests.Response, kind: str, action_ends: str = "", **values
    ) -> requests.Response:
        """Fill in the form (`values` over what the page gave) and send it."""
        form = self.form(page, action_ends)
        data = dict(form.fields)
        for name, value in values.items():  # `body` fills a prefixed form's `reply-body`
            prefixed = [field for field in form.fields if field.endswith(f"-{name}")]
            data[prefixed[0] if name not in data and len(prefixed) == 1 else name] = value
        return self.post(form.action, data, kind)

    def sign_in(self, url: str, email: str, password: str) -> requests.Response:
        page = self.get(url, "sign in")
        answer = self.submit(page, "sign in", username=email, password=password)
        if answer.url.rstrip("/").endswith("/login") or "sessionid" not in self.session.cookies:
            raise PageError(f"signing in as {email} at {url} failed ({answer.status_code})")
        return answer
