"""One way to write a moment for people, everywhere: "2 Dec 2026, 20:44 CET".

In the active time zone (an agent's own on staff pages), with the zone's name, so that
nobody has to guess which clock a time is on. A stored instant so far off that it has no
local time (near the year 9999) is shown in UTC rather than failing the page.
"""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateformat import format as format_date

FORMAT = "j M Y, H:i T"


def local(value: datetime) -> datetime:
    if timezone.is_naive(value):
        return value
    try:
        return timezone.localtime(value)
    except (OverflowError, ValueError):
        return value.astimezone(UTC)


def moment(value: datetime | None) -> str:
    """The moment as people read it, or "—" for none."""
    if not isinstance(value, datetime):
        return "—"
    return format_date(local(value), FORMAT)
