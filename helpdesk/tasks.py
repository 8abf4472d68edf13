"""Housekeeping of the task queue itself."""

from django.conf import settings
from django.core.management import call_command

from helpdesk.periodic import periodic_task
from helpdesk.rq_tasks import default_backend_is_rq


@periodic_task("HELPDESK_TASK_RESULTS_SECONDS")
def prune_task_results():
    """Forget finished task results older than TASK_RESULTS_KEEP_DAYS (they pile up)."""
    if default_backend_is_rq():
        return  # Redis forgets them by itself after the same time (helpdesk.rq_tasks)
    call_command(
        "prune_db_task_results", min_age_days=settings.HELPDESK_TASK_RESULTS_KEEP_DAYS, verbosity=0
    )
