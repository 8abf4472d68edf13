"""What a client needs to fill a ticket's fields: departments, help topics, SLA plans.

All of them, inactive ones marked, as the staff panel's filter bar lists them: tickets can
still sit in an inactive department. One query each.
"""

from ninja import Router

from api.rest import schemas
from api.rest.auth import READS
from sla.models import SLAPlan
from tickets.models import Department, HelpTopic

router = Router(tags=["Directory"])


@router.get(
    "/departments", response=list[schemas.DepartmentOut], auth=READS, url_name="departments"
)
def list_departments(request):
    """Every department, by name."""
    return [
        {
            "id": d.pk,
            "name": d.name,
            "is_active": d.is_active,
            "is_public": d.is_public,
            "sla_plan_id": d.sla_plan_id,
        }
        for d in Department.objects.order_by("name", "pk")
    ]


@router.get("/help-topics", response=list[schemas.HelpTopicOut], auth=READS, url_name="help-topics")
def list_help_topics(request):
    """Every help topic, by name: its department, priority and plan route a new ticket."""
    return [
        {
            "id": t.pk,
            "name": t.name,
            "is_active": t.is_active,
            "is_public": t.is_public,
            "department_id": t.department_id,
            "priority": schemas.priority_name(t.priority),
            "sla_plan_id": t.sla_plan_id,
        }
        for t in HelpTopic.objects.order_by("name", "pk")
    ]


@router.get("/sla-plans", response=list[schemas.SLAPlanOut], auth=READS, url_name="sla-plans")
def list_sla_plans(request):
    """Every SLA plan, by name: its targets in working hours of its schedule."""
    return [
        {
            "id": p.pk,
            "name": p.name,
            "is_active": p.is_active,
            "first_response_hours": float(p.first_response_hours),
            "resolution_hours": float(p.resolution_hours),
            "schedule": p.schedule.name,
        }
        for p in SLAPlan.objects.select_related("schedule").order_by("name", "pk")
    ]
