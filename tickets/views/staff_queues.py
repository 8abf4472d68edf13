"""The staff queues: Open, Answered, My Tickets, Unassigned, Overdue, Closed, as tabs.

The rules live in tickets.queues; these views only read the request and render.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import agent_required
from tickets import queues, selectors, services, staff_forms


@require_GET
@agent_required
def home(request):
    """/scp/ opens on the Open queue."""
    return _queue_page(request, queues.QUEUES[queues.DEFAULT_QUEUE])


@require_GET
@agent_required
def queue(request, queue):
    try:
        chosen = queues.QUEUES[queue]
    except KeyError:
        raise Http404("No such queue") from None
    return _queue_page(request, chosen)


def _queue_page(request, queue):
    directory = selectors.staff_directory()
    form = queues.QueueFilterForm(request.GET, directory=directory)
    listing = queues.queue_listing(request.agent, queue, form.params(), request.GET.get("page"))
    bulk = staff_forms.BulkActionForm(
        initial={"next": request.get_full_path()}, directory=directory
    )
    return render(request, "staff/queue.html", {"listing": listing, "form": form, "bulk": bulk})


@require_POST
@agent_required
def bulk(request):
    """Apply one change to the tickets ticked on a queue page; say what changed and what not."""
    form = staff_forms.BulkActionForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("staff:home")
    if not form.is_valid():
        messages.error(request, "Choose at least one ticket and a change to make.")
        return redirect(back)
    action, value = form.action
    result = services.bulk_apply(
        form.cleaned_data["tickets"], action=action, value=value, by=request.agent
    )
    if result.changed:
        messages.success(request, f"{len(result.changed)} ticket(s) changed.")
    if result.refused:
        refused = "; ".join(f"#{number}: {why}" for number, why in result.refused)
        messages.warning(request, f"{len(result.refused)} ticket(s) refused: {refused}")
    return redirect(back)
