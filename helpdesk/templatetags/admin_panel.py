from django import template

from helpdesk.admin_panel import site

register = template.Library()


@register.inclusion_tag("admin_panel/_partials/nav.html")
def admin_panel_nav(current: str = ""):
    """The panel's menu: every registered section, the one shown marked."""
    return {"sections": site.sections, "current": current}
