"""Form widgets every area shares."""

import zoneinfo
from functools import cache

from django import forms
from django.utils.html import format_html, format_html_join


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
