"""The staff control panel. Every read goes through visible_to, every action through can."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import agent_required
from tickets import selectors


@require_GET
@agent_required
def home(request):
    tickets = selectors.staff_ticket_list(request.agent)
    return render(request, "staff/home.html", {"tickets": tickets})


@require_GET
@agent_required
def ticket_detail(request, number):
    ticket = selectors.staff_ticket(request.agent, number)
    if ticket is None:
        # Not 403: a ticket the agent cannot see must not be known to exist.
        raise Http404("No such ticket")
    return render(
        request,
        "staff/ticket.html",
        {"ticket": ticket, "thread": selectors.staff_thread(ticket)},
    )
