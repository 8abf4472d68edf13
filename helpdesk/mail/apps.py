from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MailConfig(AppConfig):
    name = "helpdesk.mail"
    label = "mail"
    verbose_name = "Mail"

    def ready(self):
        from helpdesk.mail import notices

        post_migrate.connect(notices.create_missing_templates, sender=self)
