"""Questions about the task queue that TASKS_BACKEND chose, asked the same way of either."""

from django.db import DatabaseError
from django.tasks import task_backends

from helpdesk.rq_tasks import RQBackend


def queue_is_reachable() -> bool:
    """Whether tasks can be enqueued now (for a readiness check): Redis answers a ping, or the
    database queue's table answers a query."""
    backend = task_backends["default"]
    if isinstance(backend, RQBackend):
        return backend.is_reachable()
    from django_tasks_db.models import DBTaskResult

    try:
        DBTaskResult.objects.exists()
    except DatabaseError:
        return False
    return True
