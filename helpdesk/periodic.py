"""Jobs that run by themselves every so often, as background tasks.

Django's tasks framework has no timetable of its own, so each periodic job, once it has run,
enqueues its own next run (`run_after`) before it returns, error or not: one chain per job
keeps going for as long as any worker runs. A run also restarts any other job's chain that
has no run waiting (a worker killed mid-run breaks its chain). `start_chains()` (`manage.py
schedule_periodic_tasks`, which `make worker` runs before the worker) starts a chain for
each job that has no run waiting; running it again changes nothing.

The jobs themselves must be safe to run twice (each one here is): two workers, or a chain
started twice by a race, then cost a little time and nothing else.
"""

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.tasks import task, task_backends
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    task: object  # a django.tasks Task
    # The setting that holds its interval in seconds, read at each run.
    every_setting: str

    @property
    def every(self) -> timedelta:
        return timedelta(seconds=getattr(settings, self.every_setting))


JOBS: dict[str, Periodic] = {}


def periodic_task(every_setting: str) -> Callable:
    """Make `func` a task that runs every `settings.<every_setting>` seconds, once started."""

    def decorate(func):
        @functools.wraps(func)
        def run():
            try:
                return func()
            finally:
                _keep_chains_going()

        the_task = task(run)
        JOBS[the_task.module_path] = Periodic(the_task, every_setting)
        return the_task

    return decorate


def _waiting_among(paths: list[str]) -> set[str]:
    """Which of these jobs have a run waiting, on the queue TASKS_BACKEND names (one query on
    the database queue)."""
    backend = task_backends["default"]
    if hasattr(backend, "has_waiting"):  # the Redis queue (helpdesk.rq_tasks)
        return {path for path in paths if backend.has_waiting(path)}
    return set(
        DBTaskResult.objects.filter(task_path__in=paths, status="READY").values_list(
            "task_path", flat=True
        )
    )


def _waiting(path: str) -> bool:
    return path in _waiting_among([path])


def _keep_chains_going() -> None:
    """Enqueue the next run of every job that has none waiting: this one's, and any chain a
    worker killed in the middle of a run broke (its run stays RUNNING and enqueues nothing),
    so one surviving chain mends the others without a restart. One query when none is
    missing."""
    waiting = _waiting_among(list(JOBS))
    for path, job in JOBS.items():
        if path not in waiting:
            job.task.using(run_after=timezone.now() + job.every).enqueue()


def start_chains() -> list[str]:
    """Enqueue a first run, due now, of each periodic job that has none waiting."""
    import_jobs()
    started = []
    for path, job in JOBS.items():
        if not _waiting(path):
            job.task.enqueue()
            started.append(path)
    return started


def import_jobs() -> None:
    """Register every app's periodic jobs: each app's `tasks` module declares its own."""
    autodiscover_modules("tasks")
