"""Health checks for load balancers and orchestrators, without a login.

/healthz (liveness) says the process answers; it touches nothing, so a database outage
never gets web processes restarted for nothing. /readyz (readiness) asks the database one
cheap question that needs the task queue's table too: the oldest task due and still waiting.
It answers 503 when that question fails (no database, or no queue table), since this
process cannot serve anyone then. A worker that is not keeping up is reported, never 503:
web pages work without it (mail waits in the outbox), and taking every web node out of a
load balancer because the worker stopped would turn a delay into an outage.

Neither reads the session or sets a cookie, and both answer small JSON bodies.
"""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.tasks import task_backends
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult

from helpdesk.rq_tasks import RQBackend

NOT_READY = {"status": "not ready"}


@never_cache
@require_safe
def healthz(request):
    """Liveness: this process answers requests."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """Readiness: the database answers and the task queue can be read (one query on the
    database queue; a query and a ping to Redis with TASKS_BACKEND=rq). What failed is named,
    not how: the body is public."""
    if isinstance(task_backends["default"], RQBackend):
        return _ready_with_redis_queue(task_backends["default"])
    try:
        oldest_due = (
            DBTaskResult.objects.ready()
            .order_by("run_after")
            .values_list("run_after", flat=True)
            .first()
        )
    except DatabaseError:
        return JsonResponse({**NOT_READY, "database": "unreachable"}, status=503)
    waiting = 0 if oldest_due is None else max(0, (timezone.now() - oldest_due).total_seconds())
    return JsonResponse(
        {
            "status": "ready",
            "database": "ok",
            "queue": "ok",
            # Periodic jobs fall due every minute or so, and a running worker takes a due
            # task within seconds: a task due long ago means no worker is taking them.
            "worker": {
                "oldest_due_task_waiting_seconds": int(waiting),
                "keeping_up": waiting <= settings.HELPDESK_READY_WORKER_LAG_SECONDS,
            },
        }
    )


def _ready_with_redis_queue(backend: RQBackend) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({**NOT_READY, "database": "unreachable"}, status=503)
    if not backend.is_reachable():
        return JsonResponse({**NOT_READY, "database": "ok", "queue": "unreachable"}, status=503)
    return JsonResponse({"status": "ready", "database": "ok", "queue": "ok"})
