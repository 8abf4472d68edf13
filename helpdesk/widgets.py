"""Form widgets every area shares."""

import zoneinfo
from functools import cache

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


@cache
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


class TimeZoneInput(forms.TextInput):
    """A text box that suggests time zone names as one types (a <datalist>)."""

    LIST_ID = "time-zone-names"

    def __init__(self, attrs=None):
        super().__init__({"list": self.LIST_ID, "autocomplete": "off", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}">', ((n,) for n in time_zone_names()))
        return format_html('{}<datalist id="{}">{}</datalist>', box, self.LIST_ID, options)


def _attrs(attrs: dict) -> str:
    """Attributes as Django's own django/forms/widgets/attrs.html writes them."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


class QuickSelect(forms.Select):
    """A <select> written in Python, in exactly the HTML of Django's select.html.

    Django renders a template for the select and another for each of its options; a page with
    several selects of many options (the ticket view's action bar) spent most of its render
    time there.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(format_html('\n  <optgroup label="{}">', group_name))
            html.extend(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    option["value"],
                    _attrs(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 - every part went through format_html


class QuickHiddenInput(forms.HiddenInput):
    """A hidden <input> written in Python, in exactly the HTML of Django's input.html."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        given = widget["value"]
        value_attr = "" if given is None else format_html(' value="{}"', given)
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            value_attr,
            _attrs(widget["attrs"]),
        )


class QuickTextarea(forms.Textarea):
    """A <textarea> written in Python, in exactly the HTML of Django's textarea.html."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            widget["name"],
            _attrs(widget["attrs"]),
            widget["value"] or "",
        )
