"""The weekly summary: each department's manager gets last week's figures by mail.

A week is Monday to Sunday in the manager's time zone; its summary is due from 07:00 on
the Monday after, so it is there when the working week starts. Runs hourly as a periodic
task (tickets.tasks). A department's summary for a week is recorded (WeeklySummary) in the
transaction that queues the mail: a run repeated, or two workers at once, send it once, and
a crash loses neither. One not sent by the end of the following week is skipped: the next
week's takes its place.

The figures are tickets.reports' over the department's tickets the manager can see, so a
summary never tells a manager about tickets they could not open.
"""

from datetime import datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from helpdesk.mail import notices, outbox
from tickets import reports
from tickets.models import Department, Ticket, WeeklySummary
from tickets.notifications import absolute
from tickets.reports import percent

NOTICE = "agent.weekly_summary"
SEND_AT = time(7)


def week_due(zone: ZoneInfo, now: datetime) -> reports.Period | None:
    """The last whole week before `now` in `zone`, once its summary is due (from Monday
    07:00 after it); None between Monday 00:00 and 07:00, when none is."""
    local = timezone.localtime(now, zone)
    monday = local.date() - timedelta(days=local.weekday())
    if local < datetime.combine(monday, SEND_AT, zone):
        return None
    return reports.Period(monday - timedelta(days=7), monday - timedelta(days=1), zone)


def _on_time(met: int, total: int, *, none: str) -> str:
    return f"{percent(met, total)} ({met} of {total})" if total else none


def working_hours(value: timedelta | None) -> str:
    return "not measured" if value is None else reports.working_hours(value)


def _satisfaction(ratings: int, good: int) -> str:
    if not ratings:
        return "no ratings"
    return f"{percent(good, ratings)} good of {ratings} rating{'' if ratings == 1 else 's'}"


def dashboard_url(department: Department, period: reports.Period) -> str:
    query = urlencode(
        {
            "period": "range",
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "department": department.pk,
        }
    )
    return absolute(f"{reverse('staff:dashboard')}?{query}")


def summary_values(department: Department, period: reports.Period, now: datetime) -> dict:
    """The notice's values: the department's figures for the week, over the tickets its
    manager can see."""
    manager = department.manager
    tickets = Ticket.objects.visible_to(manager).filter(department=department)
    report = reports.Report(
        reports.Scope(tickets=tickets, period=period, now=now), departments=[department]
    )
    row = next(
        (row for row in report.by_department if row.key == department.pk),
        reports.Row(key=department.pk, name=department.name),
    )
    totals, backlog, satisfaction = report.totals, report.backlog, report.satisfaction
    return {
        "department": {"name": department.name},
        "period": {
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "zone": str(period.zone),
        },
        "week": {
            "created": totals.created,
            "resolved": totals.ended,
            "reopened": totals.reopened,
            "overdue": totals.overdue,
            "first_responses_on_time": _on_time(
                row.first_responses_met,
                row.first_responses,
                none="no first responses in the week",
            ),
            "resolutions_on_time": _on_time(
                row.resolutions_met, row.resolutions, none="no resolutions in the week"
            ),
            "first_response_median": working_hours(row.first_response_median),
            "resolution_median": working_hours(row.resolution_median),
            "satisfaction": _satisfaction(satisfaction.ratings, satisfaction.good),
        },
        "backlog": {
            "open": backlog["total"],
            "overdue": backlog["overdue"],
            "unassigned": backlog["unassigned"],
        },
        "dashboard_url": dashboard_url(department, period),
        "recipient": {"name": manager.user.display_name, "email": manager.user.email},
        "helpdesk": {"name": settings.HELPDESK_NAME, "url": settings.HELPDESK_BASE_URL},
    }


def departments_with_summary():
    """Active departments with the summary on and a manager who is active and reachable."""
    return Department.objects.filter(
        is_active=True,
        weekly_summary=True,
        manager__user__is_active=True,
        manager__user__email_bounced_at__isnull=True,
    ).select_related("manager__user")


def send_weekly_summaries(now: datetime | None = None) -> int:
    """Queue each due weekly summary once; how many were queued. Nothing while the notice is
    switched off, and nothing is recorded then: switched on again, last week's still goes."""
    now = now or timezone.now()
    if not notices.is_enabled(NOTICE):
        return 0
    sent = 0
    for department in departments_with_summary():
        manager = department.manager
        period = week_due(ZoneInfo(manager.timezone), now)
        if period is None:
            continue
        already = WeeklySummary.objects.filter(department=department, week_start=period.start)
        if already.exists():
            continue
        rendered = notices.render(NOTICE, summary_values(department, period, now))
        if rendered is None:
            return sent  # switched off meanwhile: for everybody
        try:
            with transaction.atomic():
                WeeklySummary.objects.create(
                    department=department, week_start=period.start, sent_at=now
                )
                mail = outbox.queue(
                    notice=NOTICE,
                    to=[manager.user.email],
                    rendered=rendered,
                    message_id=outbox.make_message_id(f"weekly-summary-{department.pk}"),
                    headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
                    regarding=f"Department {department.name}",
                    tag=f"weekly-summary:{department.pk}:{period.start.isoformat()}",
                )
                if mail is None:
                    # A banned or malformed address: nothing went, so nothing is recorded.
                    transaction.set_rollback(True)
                    continue
        except IntegrityError:
            continue  # another run recorded it first, and sent it
        sent += 1
    return sent
