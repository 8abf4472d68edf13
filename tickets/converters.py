"""Path converters for the tickets' URLs: a value the database could not hold never gets
past the resolver (a 404), instead of reaching a query and failing there."""


class TicketNumberConverter:
    """A ticket number as the column holds it: digits only, at most 12 of them
    (Ticket.number). A NUL byte in a number would otherwise make PostgreSQL refuse the
    query with an error, not an empty answer."""

    regex = "[0-9]{1,12}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)
