"""The staff control panel. Every read goes through visible_to, every action through can."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import agent_required
from tickets import queues, selectors, services, staff_forms, survey, thumbnails, uploads
from tickets import status as status_machine
from tickets.permissions import can, departments_to_create_in


def _visible_ticket(request, number):
    ticket = selectors.staff_ticket(request.agent, number)
    if ticket is None:
        # Not 403: a ticket the agent cannot see must not be known to exist.
        raise Http404("No such ticket")
    return ticket


# What each action form does: the permission it needs and the service it calls.
ACTIONS = {
    "priority": (
        staff_forms.PriorityForm,
        "edit",
        lambda t, d, **kw: services.change_priority(t, priority=d["priority"], **kw),
        "Priority updated.",
    ),
    "sla": (
        staff_forms.SLAPlanForm,
        "edit",
        lambda t, d, **kw: services.change_sla_plan(t, sla_plan=d["sla_plan"], **kw),
        "SLA plan updated.",
    ),
    "due": (
        staff_forms.DueTimeForm,
        "edit",
        lambda t, d, **kw: services.set_due_time(t, due_at=d["due_at"], **kw),
        "Due time updated.",
    ),
    "topic": (
        staff_forms.HelpTopicForm,
        "edit",
        lambda t, d, **kw: services.change_help_topic(t, help_topic=d["help_topic"], **kw),
        "Help topic updated.",
    ),
    "assign": (
        staff_forms.AssignForm,
        "assign",
        lambda t, d, **kw: services.assign_ticket(t, agent=d["agent"], team=d["team"], **kw),
        "Assignment updated.",
    ),
    "transfer": (
        staff_forms.TransferForm,
        "transfer",
        lambda t, d, **kw: services.transfer_ticket(t, department=d["department"], **kw),
        "Ticket transferred.",
    ),
    "status": (
        staff_forms.StatusForm,
        # Any permission that allows some move from the ticket's status: the move decides.
        lambda ticket: status_machine.agent_permissions_from(ticket.status),
        lambda t, d, **kw: services.change_status(t, status=d["status"], **kw),
        "Status updated.",
    ),
    "reply": (
        staff_forms.ResponseForm,
        "reply",
        lambda t, d, form, **kw: services.post_reply(
            t, body=d["body"], status=d["status"] or None, **form.all_attachments, **kw
        ),
        "Reply posted.",
    ),
    "note": (
        staff_forms.NoteForm,
        "note",
        lambda t, d, form, **kw: services.post_note(
            t, body=d["body"], **form.all_attachments, **kw
        ),
        "Internal note posted.",
    ),
}
WITH_FILES = {"reply", "note"}


def _form(action, data=None, files=None, *, ticket, agent):
    # The response form fills canned responses for this agent; the others need no agent.
    extra = {"agent": agent} if action == "reply" else {}
    return ACTIONS[action][0](data, files, ticket=ticket, **extra)


def _action_forms(ticket, agent, bound=None):
    forms = {name: _form(name, ticket=ticket, agent=agent) for name in ACTIONS}
    if bound is not None:
        forms[bound[0]] = bound[1]
    return forms


def _render_ticket(request, ticket, forms, bound_form=None):
    context = {
        "bound_form": bound_form,
        "ticket": ticket,
        "timeline": selectors.staff_timeline(ticket),
        "history": selectors.field_history(ticket),
        "others": selectors.others_present(ticket, request.agent),
        "forms": forms,
        "requester_tickets_url": queues.requester_tickets_url(ticket.requester_id),
        "due_times": selectors.due_times(ticket),
        "rating": survey.current_rating(ticket),
    }
    return render(request, "staff/ticket.html", context)


@require_http_methods(["GET", "POST"])
@agent_required
def new_ticket(request):
    departments = departments_to_create_in(request.agent)
    if not departments:
        raise PermissionDenied("Your roles do not allow you to open tickets.")
    form = staff_forms.NewTicketForm(
        request.POST or None, request.FILES or None, departments=departments
    )
    if request.method == "POST" and form.is_valid():
        try:
            ticket, _ = services.open_ticket(
                **form.intake_fields(), source=form.cleaned_data["source"], by=request.agent
            )
        except services.TicketError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Ticket {ticket.display_number} created.")
            if selectors.staff_ticket(request.agent, ticket.number) is None:
                return redirect("staff:home")
            return redirect("staff:ticket", number=ticket.number)
    if form.is_bound:
        form.keep_acceptable_uploads(uploads.Keeper.of(request))
    return render(request, "staff/new_ticket.html", {"form": form})


@require_POST
@agent_required
def presence(request, number):
    """Called by the ticket page every few seconds: note this agent, list the others."""
    ticket = _visible_ticket(request, number)
    services.note_presence(
        ticket, agent=request.agent, is_replying=request.POST.get("replying") == "1"
    )
    return JsonResponse({"others": selectors.others_present(ticket, request.agent)})


def _visible_attachment(request, number, pk):
    attachment = selectors.staff_attachment(_visible_ticket(request, number), pk)
    if attachment is None:
        raise Http404("No such attachment")
    return attachment


@require_GET
@agent_required
def download_attachment(request, number, pk):
    """A file of the ticket's thread, for any agent who can see the ticket."""
    attachment = _visible_attachment(request, number, pk)
    # Always a download, never rendered inline: an uploaded .html must not run in our origin.
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@agent_required
def attachment_preview(request, number, pk):
    """A small PNG drawn from an attached image; 404 when it is not a readable image."""
    data = thumbnails.thumbnail_for(_visible_attachment(request, number, pk))
    if data is None:
        raise Http404("No preview")
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require_GET
@agent_required
def ticket_detail(request, number):
    ticket = _visible_ticket(request, number)
    return _render_ticket(request, ticket, _action_forms(ticket, request.agent))


@require_POST
@agent_required
def ticket_action(request, number, action):
    ticket = _visible_ticket(request, number)
    _form_class, permission, perform, done = ACTIONS[action]
    needed = sorted(permission(ticket)) if callable(permission) else [permission]
    if not any(can(request.agent, p, ticket) for p in needed):
        raise PermissionDenied(
            f"Your role does not allow you to {' or '.join(needed)} on this ticket."
        )
    files = request.FILES if action in WITH_FILES else None
    form = _form(action, request.POST, files, ticket=ticket, agent=request.agent)
    if form.is_valid():
        extra = {"form": form} if action in WITH_FILES else {}
        try:
            perform(
                ticket,
                form.cleaned_data,
                by=request.agent,
                revision=form.cleaned_data["revision"],
                **extra,
            )
        except services.ActionRefused as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        except services.StaleTicket as refusal:
            # Only a reply or a note has text to keep; a changed choice is shown as it was.
            kept = " Your text is still in the form." if action in WITH_FILES else ""
            form.add_error(None, f"{refusal}{kept}")
        except services.TicketError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, done)
            if selectors.staff_ticket(request.agent, number) is None:
                # Transferred out of the agent's sight: back to the list, not a 404.
                return redirect("staff:home")
            return redirect("staff:ticket", number=number)
    if action in WITH_FILES:
        form.keep_acceptable_uploads(uploads.Keeper.of(request))
    ticket = _visible_ticket(request, number)  # fresh: show what changed meanwhile
    # The agent has now seen the current ticket: sending the kept text again may go through.
    form.data = form.data.copy()
    form.data[form.add_prefix("revision")] = ticket.revision
    return _render_ticket(
        request, ticket, _action_forms(ticket, request.agent, bound=(action, form)), bound_form=form
    )


@require_http_methods(["GET", "POST"])
@agent_required
def revoke_links(request, number):
    """Revoke every portal link to the ticket: a GET asks first (no JavaScript needed), the
    POST does it. Needs `edit`."""
    ticket = _visible_ticket(request, number)
    if not can(request.agent, "edit", ticket):
        raise PermissionDenied("Your role does not allow you to revoke this ticket's links.")
    if request.method == "POST":
        try:
            services.revoke_access_links(ticket, by=request.agent)
        except services.ActionRefused as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        messages.success(
            request,
            "Access links revoked. The links mailed until now no longer open the ticket; "
            "their people can ask for a fresh one by email.",
        )
        return redirect("staff:ticket", number=number)
    return render(request, "staff/revoke_links_confirm.html", {"ticket": ticket})
