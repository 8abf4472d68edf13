"""The forms a person can reach: found by following the links of the pages they see, and
read from the HTML those pages render, so a form added later is fuzzed too."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Form:
    page: str
    action: str
    multipart: bool
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> its own values
    files: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """The form's action with ids and signed tokens left out: the same on every run."""
        path = re.sub(r"/[^/]{24,}/", "/TOKEN/", _shape(urlsplit(self.action).path))
        return f"{path} {' '.join(sorted(self.fields))}"

    def __str__(self):
        return f"{self.action} (on {self.page}): {', '.join(self.fields) or 'no fields'}"


class _Page(HTMLParser):
    def __init__(self, url):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(urljoin(self.url, attrs["href"]))
        elif tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                action = urljoin(self.url, attrs.get("action") or self.url)
                multipart = attrs.get("enctype") == "multipart/form-data"
                self._form = Form(self.url, action, multipart)
                self.forms.append(self._form)
        elif self._form is not None and attrs.get("name"):
            name = attrs["name"]
            if tag == "input" and attrs.get("type") == "file":
                self._form.files.append(name)
            elif tag in ("input", "textarea", "button"):
                values = self._form.fields.setdefault(name, [])
                if attrs.get("value") is not None:
                    values.append(attrs["value"])
            elif tag == "select":
                self._select = name
                self._form.fields.setdefault(name, [])
        elif tag == "option" and self._form is not None and self._select:
            self._form.fields[self._select].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _shape(path: str) -> str:
    """A page's address with its ids left out: one edit page of each kind is enough."""
    return re.sub(r"/[0-9]+/", "/N/", path)


def crawl(client, roots: list[str], *, within: str, limit: int = 80) -> list[Form]:
    """The POST forms on the pages reachable from `roots` by links under `within`; each kind
    of page (its address without query or ids) visited once, at most `limit` of them."""
    seen, queue, forms, actions = set(), list(roots), [], set()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        key = _shape(urlsplit(url).path)
        if key in seen or "logout" in key or "/csv/" in key:
            continue
        seen.add(key)
        answer = client.get(url)
        if answer.status != 200 or b"<html" not in answer.content[:500].lower():
            continue
        page = _Page(url)
        page.feed(answer.content.decode("utf-8", "replace"))
        for form in page.forms:
            signature = (_shape(urlsplit(form.action).path), tuple(sorted(form.fields)))
            if signature not in actions:
                actions.add(signature)
                forms.append(form)
        for link in page.links:
            parts = urlsplit(link)
            if parts.netloc in ("", "testserver") and parts.path.startswith(within):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return forms
