"""One way to write a moment for people, everywhere: "2 Dec 2026, 20:44 CET".

In the active time zone (an agent's own on staff pages), with the zone's name, so that
nobody has to guess which clock a time is on. A stored instant so far off that it has no
local time (near the year 9999) is shown in UTC rather than failing the page.
"""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dates import MONTHS_3

# In Django's date format: what `moment` writes (without parsing it for every call: a queue
# page writes a hundred moments).
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
    value = local(value)
    zone = value.tzinfo or timezone.get_default_timezone()
    # Django's "T": no name for a wall time that is ambiguous or skipped in its zone.
    ambiguous = zone.utcoffset(value.replace(fold=not value.fold)) != zone.utcoffset(value)
    name = "" if ambiguous else str(zone.tzname(value))
    month = MONTHS_3[value.month].title()
    return f"{value.day} {month} {value.year:04d}, {value.hour:02d}:{value.minute:02d} {name}"
