"""The admin panel's API keys: made and shown once, bound to addresses, given permissions,
switched off; every use is listed (when, from where, how often)."""

from django import forms
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Agent
from api import (
    services,
    webhooks_admin,  # noqa: F401 - registers the Webhooks sections
)
from api.models import ApiKey
from helpdesk.admin_panel import Column, Section, site
from helpdesk.admin_panel.forms import AdminForm, UniqueNameMixin
from helpdesk.admin_panel.views import form_context, posted, render_form
from tickets.templatetags.when import when

# Where the new key waits, in the creating admin's session, for the one page that shows it.
_SHOW_ONCE = "api.new-key"


class ApiKeyForm(UniqueNameMixin, AdminForm, forms.ModelForm):
    """A key's settings; the key itself is made by the service and never edited."""

    class Meta:
        model = ApiKey
        fields = [
            "name",
            "allowed_networks",
            "can_create_tickets",
            "can_run_cron",
            "can_read",
            "can_write",
            "agent",
            "expires_at",
            "rate_per_minute",
            "notes",
            "is_active",
        ]
        labels = {"name": "Name", "agent": "Acts As Agent", "notes": "Notes"}
        widgets = {
            "allowed_networks": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "expires_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        help_texts = {"expires_at": "Optional: the key stops working at this time."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agents = Agent.objects.select_related("user").order_by("user__full_name", "user__email")
        self.fields["agent"].queryset = agents.filter(user__is_active=True) | agents.filter(
            pk=self.instance.agent_id
        )
        self.fields["agent"].label_from_instance = lambda a: (
            f"{a.user.display_name} ({a.user.email})"
        )


def _agent_label(agent: Agent) -> str:
    return f"{agent.user.display_name} ({agent.user.email})"


def _permissions(key: ApiKey) -> str:
    words = [
        word
        for allowed, word in [
            (key.can_create_tickets, "create tickets"),
            (key.can_run_cron, "run cron"),
            (key.can_read, "read"),
            (key.can_write, "write"),
        ]
        if allowed
    ]
    if key.agent is not None and (key.can_read or key.can_write):
        words.append(f"as {key.agent.user.display_name}")
    return ", ".join(words) or "—"


def _allowed_from(key: ApiKey) -> str:
    return ", ".join(str(network) for network in key.networks) or "Anywhere"


@require_http_methods(["GET", "POST"])
def api_key_create(request):
    """The form for a new key; once saved, the key is shown on the next page, once."""
    section = site.section("api-key")
    form = ApiKeyForm(posted(request))
    context = form_context(request, section, form)
    if request.method == "POST" and form.is_valid():
        key = form.save(commit=False)
        plain = services.create_api_key(key, by=request.agent)
        request.session[_SHOW_ONCE] = {"pk": key.pk, "key": plain}
        return redirect("admin-panel:api-key-created", pk=key.pk)
    return render_form(request, section, form, context)


@require_GET
def api_key_created(request, pk):
    """The new key in full, taken from the session as it is shown: a reload shows it no more."""
    section = site.section("api-key")
    key = section.find(pk)
    waiting = request.session.get(_SHOW_ONCE) or {}
    plain = None
    if waiting.get("pk") == key.pk:
        plain = request.session.pop(_SHOW_ONCE)["key"]
    return render(
        request,
        "admin_panel/api_key_created.html",
        {"section": section, "object": key, "plain_key": plain},
    )


API_KEYS = site.register(
    Section(
        key="api-key",
        prefix="api-keys",
        order=130,
        title="API Keys",
        noun="API Key",
        form_class=ApiKeyForm,
        rows=lambda: ApiKey.objects.select_related("agent__user").order_by("name", "pk"),
        columns=(
            Column("Key", lambda k: f"{k.prefix}…"),
            Column("Permissions", _permissions),
            Column("Allowed From", _allowed_from),
            Column("Last Used", lambda k: when(k.last_used_at) if k.last_used_at else "Never"),
            Column("From", lambda k: k.last_used_from or "—"),
            Column("Uses", lambda k: k.use_count),
            Column("Expires", lambda k: when(k.expires_at) if k.expires_at else "Never"),
        ),
        name=lambda k: k.name,
        template="admin_panel/api_key_form.html",
        create_view=api_key_create,
        intro=lambda: (
            "Programs send a key in the X-API-Key header (osTicket's API) or as "
            "Authorization: Bearer. A key is shown once, when it is made."
        ),
    )
)


site.add_page("api-keys/<int:pk>/created/", api_key_created, name="api-key-created")
