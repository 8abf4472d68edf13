from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class HelpdeskConfig(AppConfig):
    """Project-wide plumbing; it finds what the apps contribute instead of importing them."""

    name = "helpdesk"

    def ready(self):
        # Each app's admin-panel sections, periodic jobs and mail notices, as Django's admin
        # finds admin.py.
        autodiscover_modules("notices", "admin_panel", "tasks")
