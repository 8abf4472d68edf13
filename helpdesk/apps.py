from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.module_loading import autodiscover_modules

from helpdesk.aggregates import register_sqlite_functions


class HelpdeskConfig(AppConfig):
    """Project-wide plumbing; it finds what the apps contribute instead of importing them."""

    name = "helpdesk"

    def ready(self):
        # Each app's admin-panel sections, periodic jobs and mail notices, as Django's admin
        # finds admin.py.
        autodiscover_modules("notices", "admin_panel", "tasks")
        # The reports' percentile, which SQLite lacks (helpdesk.aggregates).
        connection_created.connect(register_sqlite_functions, dispatch_uid="helpdesk-percentile")
        # Deployment checks (a cache shared by every process).
        from helpdesk import checks  # noqa: F401
