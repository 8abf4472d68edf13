"""A backend for Django's own tasks framework (django.tasks) that queues on Redis with RQ.

TASKS_BACKEND=rq selects it. django-tasks-rq, the published RQ backend, is written against the
django-tasks backport (it imports `django_tasks` and subclasses the backport's base class), and
the backport must not be installed beside Django 6's own django.tasks; so this is the smallest
backend that maps django.tasks onto rq: one rq job per task, its id the task result's id.

- A job stores the task's dotted path and its (JSON) arguments, never a pickle: whoever can
  write to Redis can only ask for one of our tasks to run, not for arbitrary code.
- `run_after` uses rq's own scheduler, which `manage.py rq_worker` runs beside the worker.
- Results are kept in Redis for TASK_RESULTS_KEEP_DAYS and then expire by themselves (the
  database queue's `prune_db_task_results` has nothing to prune here).
- Priorities and async task functions are not supported (enqueueing such a task is refused).
"""

from datetime import UTC, datetime
from traceback import format_exception

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections
from django.tasks import task_backends
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import TaskContext, TaskError, TaskResult, TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.functional import cached_property
from django.utils.json import normalize_json
from django.utils.module_loading import import_string

RUNNER = "helpdesk.rq_tasks.run_task"

# rq's states, as django.tasks names them.
_STATUSES = {
    "queued": TaskResultStatus.READY,
    "scheduled": TaskResultStatus.READY,
    "deferred": TaskResultStatus.READY,
    "started": TaskResultStatus.RUNNING,
    "finished": TaskResultStatus.SUCCESSFUL,
    "failed": TaskResultStatus.FAILED,
    "stopped": TaskResultStatus.FAILED,
    "canceled": TaskResultStatus.FAILED,
}


def _aware(moment: datetime | None) -> datetime | None:
    # rq keeps UTC times without their zone.
    if moment is None or timezone.is_aware(moment):
        return moment
    return moment.replace(tzinfo=UTC)


class RQBackend(BaseTaskBackend):
    """TASKS = {"default": {"BACKEND": "helpdesk.rq_tasks.RQBackend", "QUEUES": [...],
    "OPTIONS": {"URL": "redis://…", "JOB_TIMEOUT": seconds, "RESULT_TTL": seconds}}}"""

    supports_defer = True
    supports_get_result = True

    def __init__(self, alias, params):
        super().__init__(alias, params)
        self.url = self.options.get("URL", "redis://127.0.0.1:6379/0")
        self.job_timeout = self.options.get("JOB_TIMEOUT", 3600)
        self.result_ttl = self.options.get("RESULT_TTL", 7 * 24 * 3600)

    @cached_property
    def connection(self):
        from redis import Redis

        # A readiness check or a request must not hang on a Redis that is away.
        return Redis.from_url(self.url, socket_connect_timeout=5)

    @cached_property
    def serializer(self):
        from rq.serializers import JSONSerializer

        return JSONSerializer

    def queue(self, name: str):
        from rq import Queue

        return Queue(name, connection=self.connection, serializer=self.serializer)

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result_id = get_random_string(32)
        args, kwargs = normalize_json(list(args)), normalize_json(dict(kwargs))
        options = {
            "args": [task.module_path, args, kwargs],
            "job_id": result_id,
            "timeout": self.job_timeout,
            "result_ttl": self.result_ttl,
            "failure_ttl": self.result_ttl,
            "meta": {"task_path": task.module_path, "backend": self.alias},
        }
        queue = self.queue(task.queue_name)
        if task.run_after is not None and task.run_after > timezone.now():
            job = queue.enqueue_at(task.run_after, RUNNER, **options)
        else:
            job = queue.enqueue(RUNNER, **options)
        result = self._result(task, job)
        task_enqueued.send(type(self), task_result=result)
        return result

    def get_result(self, result_id):
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        try:
            job = Job.fetch(result_id, connection=self.connection, serializer=self.serializer)
        except NoSuchJobError:
            raise TaskResultDoesNotExist(result_id) from None
        if job.func_name != RUNNER:
            raise TaskResultDoesNotExist(result_id)
        return self._result(import_string(job.args[0]), job)

    def _result(self, task, job) -> TaskResult:
        state = job.get_status(refresh=False)
        status = _STATUSES.get(getattr(state, "value", state), TaskResultStatus.READY)
        errors = []
        if status == TaskResultStatus.FAILED:
            latest = job.latest_result()
            errors.append(
                TaskError(
                    exception_class_path=job.meta.get("exception_class_path", "Exception"),
                    traceback=(latest.exc_string if latest else None) or "",
                )
            )
        result = TaskResult(
            task=task,
            id=job.id,
            status=status,
            enqueued_at=_aware(job.enqueued_at or job.created_at),
            started_at=_aware(job.started_at),
            finished_at=_aware(job.ended_at) if status in _DONE else None,
            last_attempted_at=_aware(job.started_at),
            args=job.args[1],
            kwargs=job.args[2],
            backend=self.alias,
            errors=errors,
            worker_ids=[job.worker_name] if job.worker_name else [],
        )
        if status == TaskResultStatus.SUCCESSFUL:
            object.__setattr__(result, "_return_value", job.return_value())
        return result

    def has_waiting(self, task_path: str) -> bool:
        """Whether a run of this task waits in a queue or in rq's timetable."""
        from rq.job import Job

        for name in self.queues:
            queue = self.queue(name)
            ids = queue.get_job_ids() + queue.scheduled_job_registry.get_job_ids()
            jobs = Job.fetch_many(ids, connection=self.connection, serializer=self.serializer)
            if any(job is not None and job.meta.get("task_path") == task_path for job in jobs):
                return True
        return False

    def is_reachable(self) -> bool:
        from redis.exceptions import RedisError

        try:
            return bool(self.connection.ping())
        except RedisError:
            return False

    def check(self, **kwargs):
        try:
            import rq  # noqa: F401
        except ImportError as missing:  # pragma: no cover - rq is a dependency
            raise ImproperlyConfigured("TASKS_BACKEND=rq needs the rq package") from missing
        return []


_DONE = {TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED}


def run_task(task_path: str, args: list, kwargs: dict):
    """What an rq worker runs for each job: the django.tasks task at `task_path`.

    Database connections are handled as around a web request: one that is too old or broken
    is closed before and after, so a worker outlives a database restart.
    """
    from rq import get_current_job

    job = get_current_job()
    backend = task_backends[job.meta.get("backend", "default")]
    task = import_string(task_path)
    close_old_connections()
    result = backend._result(task, job)
    object.__setattr__(result, "status", TaskResultStatus.RUNNING)
    task_started.send(type(backend), task_result=result)
    try:
        if task.takes_context:
            value = task.call(TaskContext(task_result=result), *args, **kwargs)
        else:
            value = task.call(*args, **kwargs)
        value = normalize_json(value)
    except BaseException as error:
        job.meta["exception_class_path"] = f"{type(error).__module__}.{type(error).__qualname__}"
        job.save_meta()
        object.__setattr__(result, "status", TaskResultStatus.FAILED)
        object.__setattr__(result, "finished_at", timezone.now())
        result.errors.append(
            TaskError(
                exception_class_path=job.meta["exception_class_path"],
                traceback="".join(format_exception(error)),
            )
        )
        task_finished.send(type(backend), task_result=result)
        raise
    finally:
        close_old_connections()
    object.__setattr__(result, "status", TaskResultStatus.SUCCESSFUL)
    object.__setattr__(result, "finished_at", timezone.now())
    object.__setattr__(result, "_return_value", value)
    task_finished.send(type(backend), task_result=result)
    return value


def default_backend_is_rq() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "helpdesk.rq_tasks.RQBackend"
