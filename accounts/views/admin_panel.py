"""The admin panel at /scp/admin/: configuration pages for administrators only.

Every section (departments, teams, help topics, SLA plans, schedules, roles, agents,
users, canned responses) is a `Section`: one list page, one form page and one
deactivate/reactivate endpoint serve them all. Agents add extended access, a password
reset email and the permission explainer; SLA plans a preview of what a change would do
to their open tickets; users a page listing their tickets. Nothing is ever deleted.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import admin_forms, admin_services
from accounts.decorators import admin_required
from accounts.models import Agent, DepartmentAccess, Permission, Role, Team, User
from sla.models import Schedule, SLAPlan
from sla.timing import preview_plan_change
from tickets.models import CannedResponse, Department, HelpTopic, Ticket
from tickets.permissions import explain

PER_PAGE = 100


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _or_dash(value) -> str:
    return str(value) if value not in (None, "") else "—"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Section:
    """One kind of thing the admin panel configures, and how its pages show it."""

    key: str  # URL names are "<key>-list", "<key>-create", ...
    title: str  # plural, for the menu and the list
    noun: str  # singular, for buttons and messages
    form_class: type
    # The list's rows, sorted by name, with everything the columns read (no per-row query).
    rows: Callable[[], QuerySet]
    columns: tuple[Column, ...]
    # What edit and deactivate may load; the rows by default.
    objects: Callable[[], QuerySet] | None = None
    name: Callable[[Any], str] = str
    is_active: Callable[[Any], bool] = field(default=lambda obj: obj.is_active)
    save: Callable[[Any], Any] = field(default=lambda form: form.save())
    link: str = "edit"  # the page a row's name opens
    template: str = "admin_panel/form.html"  # the form page

    def url_name(self, action: str) -> str:
        return f"admin-panel:{self.key}-{action}"

    @property
    def list_url(self) -> str:
        return self.url_name("list")

    @property
    def create_url(self) -> str:
        return self.url_name("create")

    @property
    def deactivate_url(self) -> str:
        return self.url_name("deactivate")

    @property
    def reactivate_url(self) -> str:
        return self.url_name("reactivate")

    def find(self, pk) -> Any:
        return get_object_or_404((self.objects or self.rows)(), pk=pk)


def _end_users() -> QuerySet:
    return User.objects.filter(agent__isnull=True)


DEPARTMENTS = Section(
    key="department",
    title="Departments",
    noun="Department",
    form_class=admin_forms.DepartmentForm,
    rows=lambda: Department.objects.select_related("manager__user", "sla_plan").order_by("name"),
    columns=(
        Column("Manager", lambda d: _or_dash(d.manager)),
        Column("Default SLA Plan", lambda d: _or_dash(d.sla_plan)),
        Column("Public", lambda d: _yes(d.is_public)),
    ),
)
TEAMS = Section(
    key="team",
    title="Teams",
    noun="Team",
    form_class=admin_forms.TeamForm,
    rows=lambda: (
        Team.objects.select_related("lead__user")
        .annotate(member_count=Count("members"))
        .order_by("name")
    ),
    objects=lambda: Team.objects.all(),
    columns=(
        Column("Lead", lambda t: _or_dash(t.lead)),
        Column("Members", lambda t: t.member_count),
    ),
)
TOPICS = Section(
    key="topic",
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
SLA_PLANS = Section(
    key="sla-plan",
    title="SLA Plans",
    noun="SLA Plan",
    form_class=admin_forms.SLAPlanForm,
    rows=lambda: SLAPlan.objects.select_related("schedule").order_by("name"),
    columns=(
        Column("Schedule", lambda p: p.schedule),
        Column("First Response (working hours)", lambda p: p.first_response_hours.normalize()),
        Column("Resolution (working hours)", lambda p: p.resolution_hours.normalize()),
        Column("Warn at", lambda p: f"{p.warning_percent} %" if p.warning_percent else "—"),
    ),
    save=admin_services.save_sla_plan,
    template="admin_panel/sla_plan_form.html",
)


def _schedule_summary(schedule: Schedule) -> str:
    try:
        return schedule.to_clock().describe()
    except ValueError as refusal:
        # Rows written around the admin panel may not make a schedule; say so, do not fail.
        return f"Not a valid schedule: {refusal}"


SCHEDULES = Section(
    key="schedule",
    title="Schedules",
    noun="Schedule",
    form_class=admin_forms.ScheduleForm,
    rows=lambda: Schedule.objects.prefetch_related("hours", "holidays").order_by("name"),
    columns=(
        Column("Time Zone", lambda s: s.timezone),
        Column("Working Hours", _schedule_summary),
        Column("Holidays", lambda s: len(s.holidays.all())),
    ),
    objects=lambda: Schedule.objects.all(),
    save=admin_services.save_schedule,
    template="admin_panel/schedule_form.html",
)
ROLES = Section(
    key="role",
    title="Roles",
    noun="Role",
    form_class=admin_forms.RoleForm,
    rows=lambda: Role.objects.order_by("name"),
    columns=(Column("Permissions", lambda r: _or_dash(", ".join(r.permissions))),),
)
AGENTS = Section(
    key="agent",
    title="Agents",
    noun="Agent",
    form_class=admin_forms.AgentForm,
    rows=lambda: (
        Agent.objects.select_related("user", "department", "role")
        .prefetch_related(
            Prefetch(
                "extended_access",
                queryset=DepartmentAccess.objects.select_related("department"),
            )
        )
        .order_by("user__full_name", "user__email")
    ),
    objects=lambda: Agent.objects.select_related("user"),
    columns=(
        Column("Email Address", lambda a: a.user.email),
        Column("Primary Department", lambda a: a.department),
        Column("Role", lambda a: a.role),
        Column(
            "Extended Access",
            lambda a: _or_dash(", ".join(x.department.name for x in a.extended_access.all())),
        ),
        Column("Administrator", lambda a: _yes(a.is_admin)),
    ),
    is_active=lambda a: a.user.is_active,
)
USERS = Section(
    key="user",
    title="Users",
    noun="User",
    form_class=admin_forms.EndUserForm,
    # No ticket count here: counts go through visible_to, and this list is not per agent.
    rows=lambda: _end_users().select_related("organization").order_by("full_name", "email"),
    objects=_end_users,
    columns=(
        Column("Email Address", lambda u: u.email),
        Column("Organization", lambda u: _or_dash(u.organization)),
    ),
    name=lambda u: u.full_name or u.email,
    save=admin_services.save_end_user,
    link="detail",
)
CANNED_RESPONSES = Section(
    key="canned",
    title="Canned Responses",
    noun="Canned Response",
    form_class=admin_forms.CannedResponseForm,
    rows=lambda: CannedResponse.objects.select_related("department").order_by("title"),
    columns=(Column("Department", lambda c: c.department or "All departments"),),
    name=lambda c: c.title,
)
SECTIONS = (
    DEPARTMENTS,
    TEAMS,
    TOPICS,
    SLA_PLANS,
    SCHEDULES,
    ROLES,
    AGENTS,
    USERS,
    CANNED_RESPONSES,
)


@dataclass
class Row:
    name: str
    url_name: str
    pk: int
    cells: list
    is_active: bool


@require_GET
@admin_required
def home(request):
    return render(request, "admin_panel/home.html", {"sections": SECTIONS})


@require_GET
@admin_required
def section_list(request, section: Section):
    page = Paginator(section.rows(), PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        Row(
            name=section.name(obj),
            url_name=section.url_name(section.link),
            pk=obj.pk,
            cells=[column.value(obj) for column in section.columns],
            is_active=section.is_active(obj),
        )
        for obj in page
    ]
    return render(
        request, "admin_panel/list.html", {"section": section, "page": page, "rows": rows}
    )


@require_http_methods(["GET", "POST"])
@admin_required
def section_create(request, section: Section):
    return _form_page(request, section, section.form_class(_posted(request)))


@require_http_methods(["GET", "POST"])
@admin_required
def section_edit(request, section: Section, pk):
    obj = section.find(pk)
    return _form_page(request, section, section.form_class(_posted(request), instance=obj))


def _posted(request):
    return request.POST if request.method == "POST" else None


def _form_page(request, section: Section, form):
    context = _form_context(section, form)  # before validation changes the instance
    if form.is_valid():
        try:
            obj = section.save(form)
        except admin_services.AdminPanelError as refusal:
            form.add_error(None, str(refusal))
        else:
            return _saved(request, section, obj, creating=context["object"] is None)
    return render(request, section.template, context)


def _saved(request, section: Section, obj, creating: bool):
    done = "created" if creating else "saved"
    messages.success(request, f"{section.noun} “{section.name(obj)}” was {done}.")
    return redirect(section.list_url)


def _form_context(section: Section, form, **extra) -> dict:
    obj = form.instance if form.instance.pk else None
    return {
        "section": section,
        "form": form,
        "object": obj,
        "is_active": section.is_active(obj) if obj else None,
        "heading": f"{section.noun}: {section.name(obj)}" if obj else f"New {section.noun}",
        "submit_label": "Save" if obj else "Create",
        **extra,
    }


@require_http_methods(["GET", "POST"])
@admin_required
def sla_plan_edit(request, pk):
    """The plan's form; "Preview changes" shows what saving would do, and saves nothing."""
    plan = SLA_PLANS.find(pk)
    form = SLA_PLANS.form_class(_posted(request), instance=SLA_PLANS.find(pk))
    if "preview" not in request.POST:
        return _form_page(request, SLA_PLANS, form)
    context = _form_context(SLA_PLANS, form)
    if form.is_valid():
        data = form.cleaned_data
        # `plan` is as saved: the form's instance already holds the typed values.
        context["preview"] = preview_plan_change(
            plan,
            schedule=data["schedule"],
            first_response_hours=data["first_response_hours"],
            resolution_hours=data["resolution_hours"],
            viewer=request.agent,
        )
    return render(request, SLA_PLANS.template, context)


@require_POST
@admin_required
def section_set_active(request, section: Section, pk, is_active: bool):
    obj = section.find(pk)
    try:
        admin_services.set_active(obj, is_active=is_active, by=request.agent)
    except admin_services.AdminPanelError as refusal:
        messages.error(request, str(refusal))
    else:
        done = "reactivated" if is_active else "deactivated"
        messages.success(request, f"{section.noun} “{section.name(obj)}” was {done}.")
    return redirect(section.list_url)


@require_http_methods(["GET", "POST"])
@admin_required
def agent_create(request):
    return _agent_page(request, Agent())


@require_http_methods(["GET", "POST"])
@admin_required
def agent_edit(request, pk):
    return _agent_page(request, AGENTS.find(pk))


def _agent_page(request, agent: Agent):
    data = _posted(request)
    form = admin_forms.AgentForm(data, instance=agent, by=request.agent)
    access = admin_forms.ExtendedAccessFormSet(data, instance=agent, agent_form=form)
    context = _form_context(AGENTS, form, access=access)
    # Both are validated, so that every mistake shows at once.
    if all([form.is_valid(), access.is_valid()]):
        try:
            saved = admin_services.save_agent(form, access, by=request.agent)
        except admin_services.AdminPanelError as refusal:
            form.add_error(None, str(refusal))
        else:
            return _saved(request, AGENTS, saved, creating=context["object"] is None)
    if agent.pk:
        lookup = admin_forms.TicketLookupForm(request.GET if "ticket" in request.GET else None)
        context["lookup"] = lookup
        context["explanations"] = _explanations(agent, lookup.found) if lookup.is_valid() else None
    return render(request, "admin_panel/agent_form.html", context)


def _explanations(agent: Agent, ticket) -> list[tuple[str, str]]:
    # A fresh agent object: explain() caches access on it, and the page's copy may hold
    # the form's unsaved changes.
    agent = Agent.objects.select_related("user", "role").get(pk=agent.pk)
    return [("See the ticket", explain(agent, ticket))] + [
        (permission.label, explain(agent, ticket, permission.value)) for permission in Permission
    ]


@require_POST
@admin_required
def agent_send_reset(request, pk):
    agent = AGENTS.find(pk)
    try:
        admin_services.send_password_reset_email(agent, request=request)
    except admin_services.AdminPanelError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"A password reset email was sent to {agent.user.email}.")
    return redirect("admin-panel:agent-edit", pk=agent.pk)


@require_GET
@admin_required
def user_detail(request, pk):
    user = get_object_or_404(_end_users().select_related("organization"), pk=pk)
    # An administrator sees a user's tickets only where their own access reaches.
    tickets = Paginator(
        Ticket.objects.visible_to(request.agent)
        .filter(requester=user)
        .select_related("department")
        .order_by("-updated_at"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "admin_panel/user_detail.html",
        {"section": USERS, "user_shown": user, "page": tickets, "is_active": user.is_active},
    )
