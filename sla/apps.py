from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = "SLA"

    def ready(self):
        from sla import calendars
        from sla.models import Holiday, Schedule, WorkingHours

        # A schedule changed in this process: its clock is read again at once.
        for model in (Schedule, WorkingHours, Holiday):
            name = model._meta.model_name
            post_save.connect(calendars.forget, sender=model, dispatch_uid=f"sla.clocks.{name}")
            post_delete.connect(
                calendars.forget, sender=model, dispatch_uid=f"sla.clocks.{name}.deleted"
            )
