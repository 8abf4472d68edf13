"""Times in the viewer's zone, in one format, even at the edges of the calendar
(helpdesk.moments)."""

from datetime import datetime

from django import template
from django.utils.dateformat import format as format_date

from helpdesk.moments import local, moment

register = template.Library()


@register.filter
def when(value, fmt=""):
    """{{ due_at|when }}: "2 Dec 2026, 20:44 CET"; {{ due_at|when:"c" }} for ISO 8601."""
    if not isinstance(value, datetime):
        return value
    if fmt == "c":
        return format_date(local(value), "c")
    return moment(value)
