from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"

    def ready(self):
        # Connects to what the lower apps announce (sla.signals).
        from tickets import receivers  # noqa: F401
