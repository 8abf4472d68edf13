"""Sections of the admin panel and the registry that holds them."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Extra:
    """A block another app adds to a section's page, as Django admin's inlines do.

    `context(request, obj, form)` returns the values the block's template reads (they join
    the page's context), or None to show nothing; `form` is the page's form, validated if
    it was sent, on an edit page and None on a detail page.
    """

    template: str
    context: Callable[..., dict | None]


def _save_form(form) -> Any:
    return form.save()


def _set_is_active(obj, *, is_active: bool, by) -> None:
    obj.is_active = is_active
    obj.save(update_fields=["is_active"])


@dataclass(frozen=True)
class Section:
    """One kind of thing the admin panel configures, and how its pages show it."""

    key: str  # URL names are "<key>-list", "<key>-create", ...
    prefix: str  # the URL path under /scp/admin/
    order: int  # place in the menu
    title: str  # plural, for the menu and the list
    noun: str  # singular, for buttons and messages
    form_class: type
    # The list's rows, sorted by name, with everything the columns read (no per-row query).
    rows: Callable[[], QuerySet]
    columns: tuple[Column, ...]
    # What edit and deactivate may load; the rows by default.
    objects: Callable[[], QuerySet] | None = None
    name: Callable[[Any], str] = str
    name_header: str = "Name"  # the list's first column
    is_active: Callable[[Any], bool] = field(default=lambda obj: obj.is_active)
    # The writes: the owning app's services, which raise helpdesk.errors.Refused subclasses.
    save: Callable[[Any], Any] = _save_form
    set_active: Callable[..., None] = _set_is_active
    link: str = "edit"  # the page a row's name opens
    # What the section allows: notices cannot be created, sent mail is neither created,
    # edited nor switched off.
    can_create: bool = True
    can_edit: bool = True
    has_active: bool = True
    template: str = "admin_panel/form.html"  # the form page
    # Views that replace the generic create and edit pages (agents, SLA plans).
    create_view: Callable | None = None
    edit_view: Callable | None = None
    # A sentence above the list, worked out when it is shown (or None for none).
    intro: Callable[[], str | None] = field(default=lambda: None)
    # Blocks other apps add to this section's pages, by page: "edit" or "detail".
    extras: dict[str, list[Extra]] = field(default_factory=dict)

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

    def add_extras(self, context: dict, page: str, request, obj, form=None) -> dict:
        """Put the other apps' blocks for this page into its context: each block's values,
        and `extra_templates`, the blocks to include (those with something to show)."""
        templates = []
        for extra in self.extras.get(page, []):
            values = extra.context(request, obj, form)
            if values is not None:
                context.update(values)
                templates.append(extra.template)
        context["extra_templates"] = templates
        return context


@dataclass(frozen=True)
class Page:
    """A page of the panel outside the sections' five (a detail page, an action)."""

    route: str
    view: Callable
    name: str


def _nobody(view):
    def refuse(request, *args, **kwargs):
        raise PermissionDenied("The admin panel has no administrators configured.")

    return refuse


class AdminSite:
    def __init__(self):
        self._sections: dict[str, Section] = {}
        self._pages: list[Page] = []
        self.guard: Callable = _nobody

    def register(self, section: Section) -> Section:
        if section.key in self._sections:
            raise ValueError(f"The admin panel already has a section {section.key!r}.")
        self._sections[section.key] = section
        return section

    def add_page(self, route: str, view: Callable, *, name: str) -> None:
        self._pages.append(Page(route, view, name))

    def extend(self, key: str, page: str, extra: Extra) -> None:
        """Add a block to a page of another app's section."""
        self._sections[key].extras.setdefault(page, []).append(extra)

    def guard_with(self, decorator: Callable) -> None:
        """Who may use the panel: a view decorator that refuses everybody else."""
        self.guard = decorator

    def section(self, key: str) -> Section:
        return self._sections[key]

    @property
    def sections(self) -> list[Section]:
        return sorted(self._sections.values(), key=lambda section: section.order)

    @property
    def pages(self) -> list[Page]:
        return list(self._pages)


site = AdminSite()
