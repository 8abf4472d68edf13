"""Times in the viewer's zone, even at the edges of the calendar.

Django's |date converts to local time first, and a stored instant near the year 9999 has no
local time east of UTC (OverflowError): one such value would fail the whole page. These
filters show it in UTC instead.
"""

from datetime import UTC, datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import date_format

register = template.Library()


def _local(value: datetime) -> datetime:
    if timezone.is_naive(value):
        return value
    try:
        return timezone.localtime(value)
    except OverflowError:
        return value.astimezone(UTC)


@register.filter
def when(value, fmt="DATETIME_FORMAT"):
    """{{ due_at|when }} or {{ due_at|when:"SHORT_DATETIME_FORMAT" }}; "c" for ISO 8601."""
    if not isinstance(value, datetime):
        return value
    local = _local(value)
    if fmt == "c":
        return format_date(local, "c")
    return date_format(local, fmt)
