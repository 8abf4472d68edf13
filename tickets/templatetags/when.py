"""Times in the viewer's zone, in one format, even at the edges of the calendar
(helpdesk.moments)."""

from datetime import datetime

from django import template

from helpdesk.moments import local, moment

register = template.Library()


@register.filter
def when(value, fmt=""):
    """{{ due_at|when }}: "2 Dec 2026, 20:44 CET"; {{ due_at|when:"c" }} for ISO 8601."""
    if not isinstance(value, datetime):
        return value
    if fmt == "c":
        # What dateformat's "c" gives, without parsing a format (called per thread entry).
        return local(value).isoformat()
    return moment(value)
