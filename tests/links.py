"""Reading portal access links in tests.

A link carries the second it was made, so two links to the same ticket for the same person
differ from one second to the next: tests compare what a link opens, not its text.
"""

from urllib.parse import urlsplit

from django.urls import resolve

from tickets.access import TicketAccess, access_from_token


def opened_by(url: str) -> TicketAccess | None:
    """What a portal link (a path or a full URL) opens, for whom, and whether it expired."""
    return access_from_token(resolve(urlsplit(url).path).kwargs["token"])
