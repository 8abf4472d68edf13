"""The staff queues: Open, Answered, My Tickets, Unassigned, Overdue, Closed, as tabs.

The rules live in tickets.queues; these views only read the request and render.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import agent_required
from tickets import queues


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
    form = queues.QueueFilterForm(request.GET)
    listing = queues.queue_listing(request.agent, queue, form.params(), request.GET.get("page"))
    return render(request, "staff/queue.html", {"listing": listing, "form": form})
