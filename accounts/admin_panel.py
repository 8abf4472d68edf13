"""The admin panel's sections for people: teams, roles, agents and end users.

This app owns the agents, so it also says who may use the panel: administrators.
"""

from django.db.models import Count, Prefetch

from accounts import admin_forms, services
from accounts.decorators import admin_required
from accounts.models import Agent, DepartmentAccess, Role, Team, User
from accounts.views import admin_panel as views
from helpdesk.admin_panel import Column, Section, site


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _or_dash(value) -> str:
    return str(value) if value not in (None, "") else "—"


def _end_users():
    return User.objects.filter(agent__isnull=True)


site.guard_with(admin_required)

site.register(
    Section(
        key="team",
        prefix="teams",
        order=20,
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
)
site.register(
    Section(
        key="role",
        prefix="roles",
        order=60,
        title="Roles",
        noun="Role",
        form_class=admin_forms.RoleForm,
        rows=lambda: Role.objects.order_by("name"),
        columns=(Column("Permissions", lambda r: _or_dash(", ".join(r.permissions))),),
    )
)
AGENTS = site.register(
    Section(
        key="agent",
        prefix="agents",
        order=70,
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
        set_active=services.set_agent_active,
        create_view=views.agent_create,
        edit_view=views.agent_edit,
    )
)
site.register(
    Section(
        key="user",
        prefix="users",
        order=80,
        title="Users",
        noun="User",
        form_class=admin_forms.EndUserForm,
        rows=lambda: _end_users().select_related("organization").order_by("full_name", "email"),
        objects=_end_users,
        columns=(
            Column("Email Address", lambda u: u.email),
            Column("Organization", lambda u: _or_dash(u.organization)),
        ),
        name=lambda u: u.full_name or u.email,
        save=lambda form: services.save_end_user(
            form.save(commit=False), new_organization=form.cleaned_data["new_organization"]
        ),
        set_active=services.set_user_active,
        link="detail",
    )
)
site.add_page("agents/<int:pk>/send-reset/", views.agent_send_reset, name="agent-send-reset")
site.add_page(
    "agents/<int:pk>/reset-two-factor/",
    views.agent_reset_two_factor,
    name="agent-reset-two-factor",
)
site.add_page("users/<int:pk>/detail/", views.user_detail, name="user-detail")
