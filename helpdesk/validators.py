"""Validators every app shares."""

import zoneinfo

from django.core.exceptions import ValidationError


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a time zone name such as Europe/Berlin.")
