"""The API: osTicket's ticket API for existing clients, a REST API, and webhooks.

The top layer: it reads and changes tickets only through the tickets app's selectors,
`visible_to`, `can()` and services, as the staff panel does.
"""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Webhooks listen to what the tickets app announces (tickets.signals).
        from api import receivers  # noqa: F401
