from django.urls import path

from accounts.views import admin_panel as views

app_name = "admin-panel"


def section_urls(prefix: str, section: views.Section, *, create=None, edit=None) -> list:
    """The five pages of a section: list, create, edit, deactivate, reactivate."""
    given = {"section": section}
    key = section.key
    return [
        path(f"{prefix}/", views.section_list, given, name=f"{key}-list"),
        path(
            f"{prefix}/new/",
            create or views.section_create,
            None if create else given,
            name=f"{key}-create",
        ),
        path(
            f"{prefix}/<int:pk>/",
            edit or views.section_edit,
            None if edit else given,
            name=f"{key}-edit",
        ),
        path(
            f"{prefix}/<int:pk>/deactivate/",
            views.section_set_active,
            {**given, "is_active": False},
            name=f"{key}-deactivate",
        ),
        path(
            f"{prefix}/<int:pk>/reactivate/",
            views.section_set_active,
            {**given, "is_active": True},
            name=f"{key}-reactivate",
        ),
    ]


urlpatterns = [
    path("", views.home, name="home"),
    *section_urls("departments", views.DEPARTMENTS),
    *section_urls("teams", views.TEAMS),
    *section_urls("topics", views.TOPICS),
    *section_urls("sla-plans", views.SLA_PLANS, edit=views.sla_plan_edit),
    *section_urls("schedules", views.SCHEDULES),
    *section_urls("roles", views.ROLES),
    *section_urls("agents", views.AGENTS, create=views.agent_create, edit=views.agent_edit),
    path("agents/<int:pk>/send-reset/", views.agent_send_reset, name="agent-send-reset"),
    *section_urls("users", views.USERS),
    path("users/<int:pk>/detail/", views.user_detail, name="user-detail"),
    *section_urls("canned-responses", views.CANNED_RESPONSES),
]
