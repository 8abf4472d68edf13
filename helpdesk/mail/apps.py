from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save

from helpdesk import memo


def _forgetting(key: str):
    def forget(**kwargs):
        memo.forget(key)

    return forget


class MailConfig(AppConfig):
    name = "helpdesk.mail"
    label = "mail"
    verbose_name = "Mail"

    def ready(self):
        from helpdesk.mail import notices

        post_migrate.connect(notices.create_missing_templates, sender=self)
        # A saved wording or ban is used at once in this process (helpdesk.memo).
        for model, key in (("EmailTemplate", notices.WORDINGS), ("BannedAddress", "mail.bans")):
            receiver = _forgetting(key)
            post_save.connect(receiver, sender=self.get_model(model), weak=False)
            post_delete.connect(receiver, sender=self.get_model(model), weak=False)
