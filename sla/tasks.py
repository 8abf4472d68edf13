"""The SLA's background job."""

from helpdesk.periodic import periodic_task
from sla import sweep


@periodic_task("HELPDESK_SLA_SWEEP_SECONDS")
def sla_sweep() -> dict:
    """Mark past-due tickets overdue (once) and send the warnings owed."""
    result = sweep.sweep()
    return {"overdue": result.overdue, "warned": result.warned}
