"""The pages every section shares: the menu, a list, a form, deactivate and reactivate.

Every view here is behind `site.guard` (the owning app's administrator check), applied at
each request so that the app registering it may come later at start-up. Nothing is ever
deleted: configuration that tickets point to is deactivated.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.admin_panel.site import Section, site
from helpdesk.errors import Refused

PER_PAGE = 100


def guarded(view):
    """The view, behind whatever the panel's owner says about who may use it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return site.guard(view)(request, *args, **kwargs)

    return wrapper


@dataclass
class Row:
    name: str
    url_name: str
    pk: int
    cells: list
    is_active: bool


@require_GET
@guarded
def home(request):
    return render(request, "admin_panel/home.html", {"sections": site.sections})


@require_GET
@guarded
def section_list(request, section: Section):
    page = Paginator(section.rows(), PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        Row(
            name=section.name(obj),
            url_name=section.url_name(section.link),
            pk=obj.pk,
            cells=[column.value(obj) for column in section.columns],
            is_active=section.is_active(obj) if section.has_active else True,
        )
        for obj in page
    ]
    return render(
        request,
        "admin_panel/list.html",
        {"section": section, "page": page, "rows": rows, "intro": section.intro()},
    )


@require_http_methods(["GET", "POST"])
@guarded
def section_create(request, section: Section):
    return form_page(request, section, section.form_class(posted(request)))


@require_http_methods(["GET", "POST"])
@guarded
def section_edit(request, section: Section, pk):
    obj = section.find(pk)
    return form_page(request, section, section.form_class(posted(request), instance=obj))


def posted(request):
    return request.POST if request.method == "POST" else None


def form_page(request, section: Section, form, *, template: str | None = None, **extra):
    """Validate and save a section's form through the section's service, or show it with
    what is wrong; a refusal of the service shows at the top of the form."""
    context = form_context(request, section, form, **extra)  # before validation fills it
    if request.method == "POST" and form.is_valid():
        try:
            obj = section.save(form)
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            return saved(request, section, obj, creating=context["object"] is None)
    return render_form(request, section, form, context, template=template)


def render_form(request, section: Section, form, context: dict, *, template: str | None = None):
    """The form page, with what other apps add to an existing object's page."""
    if context["object"] is not None:
        section.add_extras(context, "edit", request, context["object"], form)
    return render(request, template or section.template, context)


def saved(request, section: Section, obj, creating: bool):
    done = "created" if creating else "saved"
    messages.success(request, f"{section.noun} “{section.name(obj)}” was {done}.")
    return redirect(section.list_url)


def form_context(request, section: Section, form, **extra) -> dict:
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


@require_POST
@guarded
def section_set_active(request, section: Section, pk, is_active: bool):
    obj = section.find(pk)
    try:
        section.set_active(obj, is_active=is_active, by=request.agent)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        done = "reactivated" if is_active else "deactivated"
        messages.success(request, f"{section.noun} “{section.name(obj)}” was {done}.")
    return redirect(section.list_url)
