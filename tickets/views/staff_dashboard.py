"""The dashboard: /scp/dashboard/ over the tickets the agent sees, and the admin panel's
over every ticket; each table of either downloads as CSV. The figures are
tickets.reports'; tickets.dashboard turns them into tables and charts."""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.decorators import agent_required
from helpdesk.db_router import replica_reads
from tickets import dashboard, reports, selectors


def _dashboard(request, *, everything: bool, url_name: str, table: str | None = None):
    """The page, or (given `table`) that table as CSV. A CSV asked for with a bad period gets
    the page with what is wrong said beside the field, as a 400; the page itself answers its
    form's errors like any page (200)."""
    if table is not None and table != "tickets" and table not in dashboard.TABLES:
        raise Http404("No such table")
    directory = selectors.staff_directory()
    form = dashboard.dashboard_form(request.GET, request.agent, directory=directory)
    if not form.is_valid():
        status = 200 if table is None else 400
        return _page(request, form, None, everything=everything, url_name=url_name, status=status)
    try:
        report = dashboard.report_for(
            form, request.agent, directory=directory, everything=everything
        )
    except reports.TooSlow:
        form.add_error(None, dashboard.TOO_SLOW.format(seconds=dashboard.limit_seconds()))
        status = 200 if table is None else 503
        return _page(request, form, None, everything=everything, url_name=url_name, status=status)
    except reports.NotReady:
        # The worker is on it: the page says so and looks again shortly (a CSV too: its
        # address loads again and downloads once the figures are there).
        status = 200 if table is None else 503
        response = _page(
            request,
            form,
            None,
            everything=everything,
            url_name=url_name,
            status=status,
            pending=True,
        )
        response["Retry-After"] = str(dashboard.LOOK_AGAIN_SECONDS)
        return response
    if table is None:
        return _page(request, form, report, everything=everything, url_name=url_name)
    response = StreamingHttpResponse(
        dashboard.csv_for(table, report), content_type="text/csv; charset=utf-8"
    )
    filename = dashboard.csv_filename(table, report)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _page(request, form, report, *, everything: bool, url_name: str, status=200, pending=False):
    context = {
        "form": form,
        "everything": everything,
        "dashboard_url": reverse(url_name),
        "pending": pending,
        "look_again_seconds": dashboard.LOOK_AGAIN_SECONDS,
    }
    if report is not None:
        query = request.GET.urlencode()

        def csv_url(slug):
            address = reverse(f"{url_name}-csv", kwargs={"table": slug})
            return f"{address}?{query}" if query else address

        context.update(
            report=report,
            tables={
                slug.replace("-", "_"): {
                    "table": table,
                    "lines": table.lines(report),
                    "csv_url": csv_url(slug),
                }
                for slug, table in dashboard.TABLES.items()
            },
            tickets_csv_url=csv_url("tickets"),
            activity_charts=dashboard.activity_charts(report),
            backlog_charts=dashboard.backlog_charts(report),
            compliance_chart=dashboard.compliance_chart(report),
        )
    template = "admin_panel/dashboard.html" if everything else "staff/dashboard.html"
    return render(request, template, context, status=status)


@require_GET
@agent_required
@replica_reads
def staff_dashboard(request):
    return _dashboard(request, everything=False, url_name="staff:dashboard")


@require_GET
@agent_required
@replica_reads
def staff_dashboard_csv(request, table):
    return _dashboard(request, everything=False, url_name="staff:dashboard", table=table)


# The admin panel's: guarded by the panel (admins only), over every ticket.


@require_GET
@replica_reads
def admin_dashboard(request):
    return _dashboard(request, everything=True, url_name="admin-panel:dashboard")


@require_GET
@replica_reads
def admin_dashboard_csv(request, table):
    return _dashboard(request, everything=True, url_name="admin-panel:dashboard", table=table)
