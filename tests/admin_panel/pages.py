"""Filling in the admin panel's forms as a browser would, and reading its messages."""

import re
from html.parser import HTMLParser

from django import forms
from django.contrib.messages import get_messages


def form_data(*forms_and_formsets, **changes) -> dict:
    """What the browser would send for these forms as they are shown, with changes."""
    data = {}
    for item in forms_and_formsets:
        if isinstance(item, forms.BaseFormSet):
            data.update(form_data(item.management_form, *item.forms))
            continue
        for field in item:
            value = field.value()
            if isinstance(field.field, forms.BooleanField):
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = value
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def labels(response) -> list[str]:
    """The text of every <label> on the page, as a person reads it."""
    found = re.findall(r"<label[^>]*>(.*?)</label>", response.content.decode(), re.S)
    texts = (" ".join(re.sub(r"<[^>]+>", " ", label).split()) for label in found)
    return [text.removesuffix("*").strip() for text in texts]


class _ShownValues(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.values.setdefault(self.select, []).append(attrs.get("value") or "")
        elif tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.values.setdefault(name, []).append(attrs.get("value") or default)

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def shown_values(response) -> dict[str, list[str]]:
    """The values the page's fields show (typed, selected, ticked), by field name."""
    parser = _ShownValues()
    parser.feed(response.content.decode())
    return parser.values
