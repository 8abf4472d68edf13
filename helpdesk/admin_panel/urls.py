"""The panel's URLs, made from the sections and pages the apps registered at start-up."""

from django.urls import path

from helpdesk.admin_panel import views
from helpdesk.admin_panel.site import Section, site

app_name = "admin-panel"


def section_urls(section: Section) -> list:
    """The pages of a section: list, and as it allows, create, edit, deactivate, reactivate."""
    given = {"section": section}
    prefix, key = section.prefix, section.key
    create, edit = section.create_view, section.edit_view
    urls = [path(f"{prefix}/", views.section_list, given, name=f"{key}-list")]
    if section.can_create:
        urls.append(
            path(
                f"{prefix}/new/",
                views.guarded(create) if create else views.section_create,
                None if create else given,
                name=f"{key}-create",
            )
        )
    if section.can_edit:
        urls.append(
            path(
                f"{prefix}/<int:pk>/",
                views.guarded(edit) if edit else views.section_edit,
                None if edit else given,
                name=f"{key}-edit",
            )
        )
    if section.has_active:
        urls += [
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
    return urls


urlpatterns = [
    path("", views.home, name="home"),
    *(url for section in site.sections for url in section_urls(section)),
    *(path(page.route, views.guarded(page.view), name=page.name) for page in site.pages),
]
