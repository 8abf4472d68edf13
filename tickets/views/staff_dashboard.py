"""The dashboard: /scp/dashboard/ over the tickets the agent sees, and the admin panel's
over every ticket; each table of either downloads as CSV. The figures are
tickets.reports'; tickets.dashboard turns them into tables and charts."""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.decorators import agent_required
from tickets import dashboard, selectors


def _page(request, *, everything: bool, template: str, url_name: str, refused_status=200):
    directory = selectors.staff_directory()
    form = dashboard.dashboard_form(
        request.GET, request.agent, directory=directory, everything=everything
    )
    context = {"form": form, "everything": everything, "dashboard_url": reverse(url_name)}
    if form.is_valid():
        report = dashboard.report_for(
            form, request.agent, directory=directory, everything=everything
        )
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
    # A GET form answered with its errors is a page like any other (200); a CSV asked for
    # with a bad period is refused (400), with the same page.
    return render(request, template, context, status=200 if form.is_valid() else refused_status)


def _csv(request, table: str, *, everything: bool, url_name: str):
    if table != "tickets" and table not in dashboard.TABLES:
        raise Http404("No such table")
    directory = selectors.staff_directory()
    form = dashboard.dashboard_form(
        request.GET, request.agent, directory=directory, everything=everything
    )
    if not form.is_valid():
        # The page, with what is wrong with the period said beside it.
        return _page(
            request,
            everything=everything,
            template="admin_panel/dashboard.html" if everything else "staff/dashboard.html",
            url_name=url_name,
            refused_status=400,
        )
    report = dashboard.report_for(form, request.agent, directory=directory, everything=everything)
    response = StreamingHttpResponse(
        dashboard.csv_for(table, report), content_type="text/csv; charset=utf-8"
    )
    filename = dashboard.csv_filename(table, report)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@agent_required
def staff_dashboard(request):
    return _page(
        request, everything=False, template="staff/dashboard.html", url_name="staff:dashboard"
    )


@require_GET
@agent_required
def staff_dashboard_csv(request, table):
    return _csv(request, table, everything=False, url_name="staff:dashboard")


# The admin panel's: guarded by the panel (admins only), over every ticket.


@require_GET
def admin_dashboard(request):
    return _page(
        request,
        everything=True,
        template="admin_panel/dashboard.html",
        url_name="admin-panel:dashboard",
    )


@require_GET
def admin_dashboard_csv(request, table):
    return _csv(request, table, everything=True, url_name="admin-panel:dashboard")
