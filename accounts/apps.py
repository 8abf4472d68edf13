from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and access"


class HelpdeskAdminConfig(admin_apps.AdminConfig):
    """Django's admin, its site asking for two-factor as the staff panel does."""

    default = False
    default_site = "accounts.admin_site.HelpdeskAdminSite"
