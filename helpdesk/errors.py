"""The one exception every app's rules raise when they refuse a change.

Each app subclasses it for its own refusals (tickets.services.TicketError,
accounts.services.Refused, sla.services.Refused), so project-wide plumbing such as the admin
panel can show any refusal to the person who asked without knowing the app that made it.
"""


class Refused(Exception):
    """A rule refused a change; str() of it is written for the person who asked."""
