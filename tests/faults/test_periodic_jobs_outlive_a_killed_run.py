"""A worker killed in the middle of a periodic job leaves that run RUNNING for ever and
never enqueues the next one: the job's chain is broken. The next run of any other job mends
it, so the SLA sweep does not stop until somebody restarts the workers."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.worker import work_the_queue

pytestmark = pytest.mark.django_db(transaction=True)

SWEEP = "tickets.tasks.sla_sweep"
PRUNE = "helpdesk.tasks.prune_task_results"


def waiting(path):
    return list(DBTaskResult.objects.filter(task_path=path, status="READY"))


def test_a_sweep_whose_worker_was_killed_is_started_again_by_the_next_job(settings):
    settings.HELPDESK_SLA_SWEEP_SECONDS = 60
    call_command("schedule_periodic_tasks", verbosity=0)
    # What SIGKILL leaves: the sweep's run claimed (RUNNING) and no next run enqueued.
    [sweep] = waiting(SWEEP)
    DBTaskResult.objects.filter(pk=sweep.pk).update(status="RUNNING", started_at=timezone.now())
    # Only the clean-up is due now; everything else waits.
    later = timezone.now() + timedelta(hours=1)
    DBTaskResult.objects.filter(status="READY").exclude(task_path=PRUNE).update(run_after=later)

    work_the_queue()

    assert DBTaskResult.objects.get(task_path=PRUNE, status="SUCCESSFUL")
    [next_sweep] = waiting(SWEEP)
    assert next_sweep.run_after <= timezone.now() + timedelta(seconds=60)
    for path in {r.task_path for r in DBTaskResult.objects.all()}:
        assert len(waiting(path)) == 1, path  # every chain once, none doubled
