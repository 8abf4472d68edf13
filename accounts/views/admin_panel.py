"""The admin panel's pages for agents and end users beyond a plain form.

An agent's page edits their user account and extended access together and lets other apps
add blocks (the tickets app's permission explainer); a user's page shows their details and
whatever other apps add (their tickets).
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import admin_forms, services, twofactor
from accounts.models import Agent, User
from helpdesk.admin_panel import site
from helpdesk.admin_panel.views import form_context, posted, render_form, saved


@require_http_methods(["GET", "POST"])
def agent_create(request):
    return _agent_page(request, Agent())


@require_http_methods(["GET", "POST"])
def agent_edit(request, pk):
    return _agent_page(request, site.section("agent").find(pk))


def _agent_page(request, agent: Agent):
    section = site.section("agent")
    data = posted(request)
    form = admin_forms.AgentForm(data, instance=agent, by=request.agent)
    access = admin_forms.ExtendedAccessFormSet(data, instance=agent, agent_form=form)
    context = form_context(
        request,
        section,
        form,
        access=access,
        is_invited=bool(agent.pk) and services.is_invited(agent),
        has_two_factor=bool(agent.pk) and twofactor.has_two_factor(agent.user),
    )
    # Both are validated, so that every mistake shows at once.
    if data is not None and all([form.is_valid(), access.is_valid()]):
        cleaned = form.cleaned_data
        try:
            agent = services.save_agent(
                form.save(commit=False),
                email=cleaned["email"],
                full_name=cleaned["full_name"],
                is_active=cleaned["is_active"],
                password=form.password,
                extended_access=access.chosen(),
                existing_user=form.existing_user,
                by=request.agent,
            )
        except services.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            return saved(request, section, agent, creating=context["object"] is None)
    return render_form(request, section, form, context, template="admin_panel/agent_form.html")


@require_POST
def agent_send_reset(request, pk):
    """A password reset email, or for an agent who never chose a password, an invitation."""
    agent = site.section("agent").find(pk)
    try:
        if services.is_invited(agent):
            services.send_invitation(agent, by=request.agent)
            done = f"An invitation was sent to {agent.user.email}."
        else:
            services.send_password_reset_email(agent, request=request)
            done = f"A password reset email was sent to {agent.user.email}."
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done)
    return redirect("admin-panel:agent-edit", pk=agent.pk)


@require_POST
def agent_reset_two_factor(request, pk):
    """Turn an agent's two-factor off, for one who lost their phone and backup codes: they
    sign in with their password until they set it up again."""
    agent = site.section("agent").find(pk)
    try:
        was_on = twofactor.reset_two_factor(agent, by=request.agent)
    except twofactor.TwoFactorRefused as refusal:
        messages.error(request, str(refusal))
    else:
        if was_on:
            messages.success(
                request,
                f"Two-factor sign-in of {agent.user.display_name} is reset. They sign in with "
                "their password and can set it up again from their profile.",
            )
        else:
            messages.info(request, f"{agent.user.display_name} had no two-factor sign-in.")
    return redirect("admin-panel:agent-edit", pk=agent.pk)


@require_GET
def user_detail(request, pk):
    section = site.section("user")
    user = get_object_or_404(
        User.objects.filter(agent__isnull=True).select_related("organization"), pk=pk
    )
    context = {"section": section, "user_shown": user, "is_active": user.is_active}
    section.add_extras(context, "detail", request, user)
    return render(request, "admin_panel/user_detail.html", context)
