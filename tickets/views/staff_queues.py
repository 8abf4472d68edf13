"""The staff queues: Open, Answered, My Tickets, Unassigned, Overdue, Closed, as tabs.

The rules live in tickets.queues; these views only read the request and render.
"""

from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import agent_required
from helpdesk.db_router import replica_reads
from tickets import queues, selectors, services, staff_forms
from tickets.models import SavedQueue


@require_GET
@agent_required
@replica_reads
def home(request):
    """/scp/ opens on the Open queue."""
    return _queue_page(request, queues.QUEUES[queues.DEFAULT_QUEUE])


@require_GET
@agent_required
@replica_reads
def queue(request, queue):
    try:
        chosen = queues.QUEUES[queue]
    except KeyError:
        raise Http404("No such queue") from None
    return _queue_page(request, chosen)


def _queue_page(request, queue, *, data=None, saved=None, save_form=None, rename_form=None):
    """A queue page: a tab, a search, or a saved search (`saved`, a SavedQueue)."""
    directory = selectors.staff_directory()
    if saved is not None:
        # The saved filters and search; a click on a column header or a page number adds
        # its own sort and page to the saved search's address.
        data = QueryDict(saved.query, mutable=True)
        for name in ("sort", "dir"):
            if name in request.GET:
                data[name] = request.GET[name]
    form = queues.QueueFilterForm(request.GET if data is None else data, directory=directory)
    params = form.params()
    shown = queues.Saved(saved, queue, params) if saved is not None else None
    listing = queues.queue_listing(
        request.agent, queue, params, request.GET.get("page"), directory=directory, saved=shown
    )
    bulk = staff_forms.BulkActionForm(initial={"next": listing.address}, directory=directory)
    if save_form is None and listing.can_be_saved:
        save_form = queues.SaveSearchForm(
            prefix="save",
            initial={"queue": queue.slug, "query": listing.query.urlencode()},
        )
    if saved is not None and rename_form is None:
        rename_form = queues.RenameSearchForm(prefix="rename", initial={"name": saved.name})
    return render(
        request,
        "staff/queue.html",
        {
            "listing": listing,
            "form": form,
            "bulk": bulk,
            "save_form": save_form,
            "rename_form": rename_form,
        },
    )


@require_POST
@agent_required
def save_search(request):
    """Keep the page's filters, search and sort as a saved search beside the tabs."""
    form = queues.SaveSearchForm(request.POST, prefix="save")
    queue = queues.QUEUES.get(request.POST.get("save-queue"), queues.QUEUES[queues.DEFAULT_QUEUE])
    # The page it was saved from, checked again: what is kept is what the page could show.
    page = queues.QueueFilterForm(
        QueryDict(request.POST.get("save-query", "")[:1000]),
        directory=selectors.staff_directory(),
    )
    if form.is_valid():
        try:
            saved = services.save_search(
                request.agent,
                name=form.cleaned_data["name"],
                queue=queue.slug,
                query=page.params().as_query().urlencode(),
            )
        except services.SavedQueueRefused as refusal:
            form.add_error("name", str(refusal))
        else:
            messages.success(request, f"Saved “{saved.name}”: it is beside the tabs.")
            return redirect("staff:saved-queue", pk=saved.pk)
    return _queue_page(request, queue, data=page.data, save_form=form)


def _saved(request, pk):
    """The agent's own saved search; anyone else's does not exist for them."""
    return get_object_or_404(SavedQueue, pk=pk, agent=request.agent)


@require_GET
@agent_required
@replica_reads
def saved_queue(request, pk):
    saved = _saved(request, pk)
    return _queue_page(request, queues.saved_queue_tab(saved), saved=saved)


@require_POST
@agent_required
def rename_search(request, pk):
    saved = _saved(request, pk)
    form = queues.RenameSearchForm(request.POST, prefix="rename")
    if form.is_valid():
        try:
            services.rename_search(saved, name=form.cleaned_data["name"])
        except services.SavedQueueRefused as refusal:
            form.add_error("name", str(refusal))
        else:
            messages.success(request, f"Renamed to “{saved.name}”.")
            return redirect("staff:saved-queue", pk=saved.pk)
    saved.refresh_from_db()
    return _queue_page(request, queues.saved_queue_tab(saved), saved=saved, rename_form=form)


@require_POST
@agent_required
def delete_search(request, pk):
    saved = _saved(request, pk)
    queue = queues.saved_queue_tab(saved)
    services.delete_search(saved)
    messages.success(request, f"Deleted the saved search “{saved.name}”.")
    return redirect("staff:queue", queue=queue.slug)


@require_POST
@agent_required
def bulk(request):
    """Apply one change to the tickets ticked on a queue page; say what changed and what not."""
    form = staff_forms.BulkActionForm(request.POST)
    back = request.POST.get("next", "")
    # Only a path of this site: redirect() would take "foo" for a view's name and fail.
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        back = reverse("staff:home")
    if not form.is_valid():
        messages.error(request, form.problem)
        return redirect(back)
    if form.needs_confirmation:
        chosen = selectors.chosen_tickets(request.agent, form.cleaned_data["tickets"])
        if chosen:
            return _confirm_page(request, form, chosen, back)
    action, value = form.action
    result = services.bulk_apply(
        form.cleaned_data["tickets"], action=action, value=value, by=request.agent
    )
    if result.changed:
        messages.success(request, result.changed_message)
    for refusal in result.refused_messages:
        messages.warning(request, refusal)
    return redirect(back)


def _confirm_page(request, form, chosen, back):
    """Close or resolve these tickets? Asked first, with or without JavaScript; nothing changes.

    Only the tickets the agent sees are listed; the other numbers are re-posted unnamed, to
    be refused one by one as on any bulk change.
    """
    numbers = list(dict.fromkeys(form.cleaned_data["tickets"]))
    unseen = len(numbers) - len(chosen)
    button = f"{form.confirm_verb} {services.tickets_text(len(chosen))}"
    return render(
        request,
        "staff/bulk_confirm.html",
        {
            "question": f"{button}?",
            "button": button,
            "tickets": chosen,
            "unseen": services.unseen_text(unseen) if unseen else "",
            "numbers": numbers,
            "change": form.cleaned_data["change"],
            "back": back,
        },
    )
