"""Housekeeping of the task queue itself."""

from django.conf import settings
from django.core.management import call_command

from helpdesk.periodic import periodic_task


@periodic_task("HELPDESK_TASK_RESULTS_SECONDS")
def prune_task_results():
    """Forget finished task results older than TASK_RESULTS_KEEP_DAYS (they pile up)."""
    call_command(
        "prune_db_task_results", min_age_days=settings.HELPDESK_TASK_RESULTS_KEEP_DAYS, verbosity=0
    )
