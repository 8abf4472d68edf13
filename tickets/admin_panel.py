"""The admin panel's ticket sections (departments, help topics, canned responses), and what
this app adds to other apps' pages: the permission explainer on an agent's page, a user's
tickets on their page, and what a plan change would do to open tickets."""

from django.core.paginator import Paginator

from accounts.models import Agent, Permission
from helpdesk.admin_panel import Column, Extra, Section, site
from sla.models import SLAPlan
from tickets import admin_forms, timing
from tickets.inbound import admin_panel as _mail_sections  # noqa: F401 - registers them
from tickets.models import CannedResponse, Department, HelpTopic, Ticket
from tickets.permissions import explain
from tickets.views import staff_dashboard

PER_PAGE = 100


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _or_dash(value) -> str:
    return str(value) if value not in (None, "") else "—"


site.register(
    Section(
        key="department",
        prefix="departments",
        order=10,
        title="Departments",
        noun="Department",
        form_class=admin_forms.DepartmentForm,
        rows=lambda: Department.objects.select_related("manager__user", "sla_plan").order_by(
            "name"
        ),
        columns=(
            Column("Manager", lambda d: _or_dash(d.manager)),
            Column("Default SLA Plan", lambda d: _or_dash(d.sla_plan)),
            Column("Public", lambda d: _yes(d.is_public)),
        ),
    )
)
site.register(
    Section(
        key="topic",
        prefix="topics",
        order=30,
        title="Help Topics",
        noun="Help Topic",
        form_class=admin_forms.HelpTopicForm,
        rows=lambda: HelpTopic.objects.select_related(
            "department", "sla_plan", "auto_assign_agent__user", "auto_assign_team"
        ).order_by("name"),
        columns=(
            Column("Department", lambda t: t.department),
            Column("Priority", lambda t: t.get_priority_display()),
            Column("SLA Plan", lambda t: _or_dash(t.sla_plan)),
            Column("Auto-assign", lambda t: _or_dash(t.auto_assign_agent or t.auto_assign_team)),
            Column("Public", lambda t: _yes(t.is_public)),
        ),
    )
)
site.register(
    Section(
        key="canned",
        prefix="canned-responses",
        order=90,
        title="Canned Responses",
        noun="Canned Response",
        form_class=admin_forms.CannedResponseForm,
        rows=lambda: CannedResponse.objects.select_related("department").order_by("title"),
        columns=(Column("Department", lambda c: c.department or "All departments"),),
        name=lambda c: c.title,
    )
)


def permission_explainer(request, agent: Agent, form) -> dict:
    """The agent page's "Permission Explainer": what they may see and do on a ticket, why."""
    lookup = admin_forms.TicketLookupForm(request.GET if "ticket" in request.GET else None)
    explanations = None
    if lookup.is_valid():
        # A fresh agent object: explain() caches access on it, and the page's copy may hold
        # the form's unsaved changes.
        fresh = Agent.objects.select_related("user", "role").get(pk=agent.pk)
        ticket = lookup.found
        explanations = [("See the ticket", explain(fresh, ticket))] + [
            (permission.label, explain(fresh, ticket, permission.value))
            for permission in Permission
        ]
    return {"agent": agent, "lookup": lookup, "explanations": explanations}


def user_tickets(request, user, form=None) -> dict:
    """A user's tickets on their page, where the administrator's own access reaches."""
    tickets = (
        Ticket.objects.visible_to(request.agent)
        .filter(requester=user)
        .select_related("department")
        .order_by("-updated_at")
    )
    return {"page": Paginator(tickets, PER_PAGE).get_page(request.GET.get("page"))}


def plan_change_preview(request, plan: SLAPlan, form) -> dict | None:
    """On "Preview changes": what saving the typed targets would do to open tickets."""
    if "preview" not in request.POST or not form.is_valid():
        return None
    data = form.cleaned_data
    # The plan as saved: the form's instance already holds the typed values.
    saved = SLAPlan.objects.select_related("schedule").get(pk=plan.pk)
    return {
        "preview": timing.preview_plan_change(
            saved,
            schedule=data["schedule"],
            first_response_hours=data["first_response_hours"],
            resolution_hours=data["resolution_hours"],
            viewer=request.agent,
        )
    }


site.extend("agent", "edit", Extra("admin_panel/_permission_explainer.html", permission_explainer))
site.extend("user", "detail", Extra("admin_panel/_user_tickets.html", user_tickets))
site.extend("sla-plan", "edit", Extra("admin_panel/_plan_preview.html", plan_change_preview))

# The dashboard over every ticket (tickets.views.staff_dashboard).
site.add_page("dashboard/", staff_dashboard.admin_dashboard, name="dashboard")
site.add_page(
    "dashboard/csv/<slug:table>/", staff_dashboard.admin_dashboard_csv, name="dashboard-csv"
)
