"""Background jobs of the ticket life cycle (found by helpdesk.apps at start-up)."""

from helpdesk.periodic import periodic_task
from tickets import services, sweep, uploads, weekly
from tickets.inbound import fetch


@periodic_task("HELPDESK_AUTO_CLOSE_SECONDS")
def close_resolved_tickets() -> int:
    """Close tickets resolved more than AUTO_CLOSE_DAYS ago (DESIGN.md, status machine)."""
    return services.close_resolved_tickets()


@periodic_task("HELPDESK_PURGE_UPLOADS_SECONDS")
def purge_pending_uploads() -> int:
    """Delete files kept for refused forms that were not sent again in time."""
    return uploads.purge_abandoned()


@periodic_task("HELPDESK_SLA_SWEEP_SECONDS")
def sla_sweep() -> dict:
    """Mark past-due tickets overdue (once) and send the warnings owed."""
    result = sweep.sweep()
    return {"overdue": result.overdue, "warned": result.warned}


@periodic_task("HELPDESK_MAIL_FETCH_SECONDS")
def fetch_mail() -> dict:
    """Bring in new mail from every active mailbox (tickets.inbound.fetch)."""
    results = fetch.fetch_all()
    return {result.mailbox: result.error or f"{result.fetched} fetched" for result in results}


@periodic_task("HELPDESK_WEEKLY_SUMMARY_SECONDS")
def send_weekly_summaries() -> int:
    """Mail each department's manager last week's figures, once, from Monday 07:00 their
    time; hourly, so each zone's Monday morning is met within the hour."""
    return weekly.send_weekly_summaries()
