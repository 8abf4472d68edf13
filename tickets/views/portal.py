"""The end-user portal: open a ticket, find it again, read it and reply."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.views.errors import too_many_requests
from helpdesk import throttle
from tickets import selectors, services, status, survey, uploads
from tickets.access import (
    TicketAccess,
    access_from_token,
    lookup_limits,
    masked_email,
    ticket_access_url,
)
from tickets.forms import CheckStatusForm, OpenTicketForm, ReplyForm, SurveyForm
from tickets.models import Ticket

_CREATED_SESSION_KEY = "portal_created_ticket"


@require_GET
def home(request):
    return render(request, "portal/home.html")


@require_GET
@login_required
def my_tickets(request):
    return render(
        request, "portal/my_tickets.html", {"tickets": selectors.portal_ticket_list(request.user)}
    )


def _intake_limit(request) -> list[tuple[throttle.Limit, str]]:
    """Tickets opened without signing in, per client address (HELPDESK_WEB_TICKETS_*);
    signed-in people are known and not limited."""
    if request.user.is_authenticated:
        return []
    limit = throttle.per_minutes(
        "web-tickets",
        settings.HELPDESK_WEB_TICKETS_PER_ADDRESS,
        settings.HELPDESK_WEB_TICKETS_WINDOW_MINUTES,
    )
    return [(limit, throttle.client_address(request))]


def _not_sent(refused: throttle.Throttled) -> str:
    minutes = f"{refused.minutes} minute{'s' if refused.minutes != 1 else ''}"
    return (
        "Your ticket was not sent: too many tickets have been opened from your network in the "
        f"last few minutes. Please send it again in {minutes}; what you typed is kept below."
    )


@require_http_methods(["GET", "POST"])
def open_ticket(request):
    form = OpenTicketForm(request.POST or None, request.FILES or None, user=request.user)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            # Counted before the ticket is made, so requests at once cannot all slip through.
            throttle.count(*_intake_limit(request))
            ticket, _ = services.open_ticket(**form.intake_fields())
        except throttle.Throttled as refusal:
            refused = refusal
            form.add_error(None, _not_sent(refusal))
        except services.TicketError as error:
            # An agent's address is refused beside the address field.
            form.add_error(getattr(error, "field", None), str(error))
        else:
            request.session[_CREATED_SESSION_KEY] = ticket.pk
            return redirect("portal:ticket-created")
    if form.is_bound:
        form.keep_acceptable_uploads(uploads.Keeper.of(request))
    response = render(
        request, "portal/open_ticket.html", {"form": form}, status=429 if refused else 200
    )
    if refused:
        response["Retry-After"] = str(refused.retry_after)
    return response


@require_GET
def ticket_created(request):
    pk = request.session.get(_CREATED_SESSION_KEY)
    ticket = Ticket.objects.filter(pk=pk).first() if pk else None
    if ticket is None:
        return redirect("portal:home")
    return render(
        request,
        "portal/ticket_created.html",
        {"ticket": ticket, "ticket_url": ticket_access_url(ticket)},
    )


LOOKUPS_REFUSED = {
    "heading": "Too many ticket lookups",
    "explanation": (
        "There were too many ticket lookups for this email address, or from your network, so "
        "Check Ticket Status is paused for a while. Nothing was looked up this time."
    ),
    "advice": "The emails we send about your ticket have a link that opens it directly.",
}


@require_http_methods(["GET", "POST"])
def check_status(request):
    by_email = settings.HELPDESK_STATUS_LINK_BY_EMAIL
    form = CheckStatusForm(request.POST or None, by_email=by_email)
    if request.method == "POST":
        limits = lookup_limits(
            email=request.POST.get("email", ""), address=throttle.client_address(request)
        )
        try:
            throttle.check(*limits)
        except throttle.Throttled as refused:
            return too_many_requests(request, refused, **LOOKUPS_REFUSED)
    if request.method == "POST" and form.is_valid():
        if not by_email:
            return redirect(ticket_access_url(form.access.ticket, form.access.person))
        # Each lookup by email may send mail: all of them count, not only those that miss.
        for limit, key in limits:
            throttle.hit(limit, key)
        services.send_status_link(
            email=form.cleaned_data["email"], number=form.cleaned_data["number"]
        )
        messages.info(request, form.sent_message)
        return redirect("portal:check-status")
    if form.has_error(NON_FIELD_ERRORS, "no_match"):
        # A wrong guess counts; a right one does not, so a person who finds their ticket
        # is never held up.
        for limit, key in limits:
            throttle.hit(limit, key)
    return render(request, "portal/check_status.html", {"form": form, "by_email": by_email})


def _access_or_404(token: str) -> TicketAccess:
    access = access_from_token(token)
    if access is None:
        raise Http404("No such ticket")
    return access


def _through_link(view):
    """A view behind an access link: 404 for a link that opens nothing, the expired-link
    page for one too old to open the ticket or revoked, else the view with what the link
    opens."""

    @wraps(view)
    def wrapped(request, token, **kwargs):
        access = _access_or_404(token)
        if access.is_expired:
            return render(
                request,
                "portal/link_expired.html",
                {"ticket": access.ticket, "token": token, "is_revoked": access.is_revoked},
            )
        return view(request, access, token, **kwargs)

    return wrapped


def _render_ticket(
    request,
    access: TicketAccess,
    token: str,
    form: ReplyForm,
    survey_form: SurveyForm | None = None,
):
    ticket = access.ticket
    context = {
        "ticket": ticket,
        "token": token,
        "may_resolve": settings.HELPDESK_USERS_CAN_RESOLVE
        and access.is_requester
        and status.is_open(ticket.status),
        "status_label": status.portal_label(ticket.status),
        "thread": selectors.portal_thread(ticket),
        "form": form,
    }
    # The requester is asked how we did; collaborators are not.
    if access.is_requester and survey.survey_applies(ticket):
        if survey_form is None:
            given = survey.current_rating(ticket)
            survey_form = SurveyForm(initial={"comment": given.comment} if given else None)
            if given:
                survey_form.initial["rating"] = given.rating
        context.update(_survey_context(ticket, survey_form))
        context["action"] = reverse("portal:rate-ticket", kwargs={"token": token})
    return render(request, "portal/ticket.html", context)


@require_GET
@_through_link
def ticket_detail(request, access, token):
    return _render_ticket(request, access, token, ReplyForm())


@require_POST
@_through_link
def post_reply(request, access, token):
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.post_user_reply(
                access.ticket,
                by=access.person,
                body=form.cleaned_data["body"],
                submission_key=form.cleaned_data["submission_key"],
                **form.all_attachments,
            )
        except services.TicketError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your reply was posted.")
            return redirect("portal:ticket", token=token)
    form.keep_acceptable_uploads(uploads.Keeper.of(request))
    return _render_ticket(request, access, token, form)


@require_POST
@_through_link
def resolve(request, access, token):
    try:
        services.resolve_by_user(access.ticket, by=access.person)
    except services.TicketError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Thank you: the ticket is marked resolved. Reply to reopen it.")
    return redirect("portal:ticket", token=token)


def _thanks(ticket: Ticket) -> str:
    ticket.refresh_from_db(fields=["status"])
    if status.is_open(ticket.status):
        return "Thank you for your rating. We have reopened the ticket and will be in touch."
    return "Thank you for your rating."


@require_POST
@_through_link
def rate_ticket(request, access, token):
    """The requester rates their resolved ticket from its page."""
    if not access.is_requester:
        messages.error(request, "Only the person who opened the ticket can rate it.")
        return redirect("portal:ticket", token=token)
    form = SurveyForm(request.POST)
    if form.is_valid():
        try:
            services.rate(access.ticket, **form.cleaned_data)
        except survey.SurveyRefused as error:
            # The page may no longer show the form (a rating too old to change, a ticket
            # reopened): the refusal is said on its own.
            messages.error(request, str(error))
        else:
            messages.success(request, _thanks(access.ticket))
        return redirect("portal:ticket", token=token)
    return _render_ticket(request, access, token, ReplyForm(), survey_form=form)


@require_GET
@_through_link
def download_attachment(request, access, token, pk):
    attachment = selectors.portal_attachment(access.ticket, pk)
    if attachment is None:
        raise Http404("No such attachment")
    # Always a download, never rendered inline: an uploaded .html must not run in our origin.
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )


@require_POST
def fresh_link(request, token):
    """Mail the person an expired (or current) link was made for a fresh one of their own."""
    access = _access_or_404(token)
    try:
        services.send_access_link(access.ticket, to=access.person)
    except services.TicketError as error:
        return render(request, "portal/fresh_link.html", {"refusal": str(error)})
    return render(request, "portal/fresh_link.html", {"sent_to": masked_email(access.person.email)})


def _survey_link(view):
    """A view behind a survey link: the refusal page for a link that rates nothing (expired,
    tampered, or for a resolution the ticket has since left), else the view with the link."""

    @wraps(view)
    def wrapped(request, token, **kwargs):
        try:
            link = survey.read_survey_token(token)
        except survey.SurveyRefused as refusal:
            return render(request, "portal/survey_refused.html", {"refusal": str(refusal)})
        return view(request, link, token, **kwargs)

    return wrapped


def _survey_context(ticket: Ticket, form: SurveyForm) -> dict:
    given = survey.current_rating(ticket)
    return {
        "ticket": ticket,
        "survey_form": form,
        "given": given,
        "may_change": given is None or survey.may_change(given),
    }


@require_http_methods(["GET", "POST"])
@_survey_link
def rate(request, link, token):
    """The page a Good / Bad link in the resolved notice opens: a GET only shows the choice
    (mail scanners follow links); the button records it."""
    given = survey.current_rating(link.ticket)
    if request.method == "POST":
        form = SurveyForm(request.POST)
        if form.is_valid():
            try:
                services.rate(link.ticket, **form.cleaned_data)
            except survey.SurveyRefused as error:
                form.add_error(None, str(error))
            else:
                return redirect("portal:survey-thanks", token=token)
    else:
        comment = given.comment if given else ""
        form = SurveyForm(initial={"rating": link.rating, "comment": comment})
    context = _survey_context(link.ticket, form)
    context["action"] = request.path
    return render(request, "portal/survey.html", context)


@require_GET
def survey_thanks(request, token):
    # The rating may have reopened the ticket: thank for the rating of the link's round.
    try:
        link = survey.read_survey_token(token, current=False)
    except survey.SurveyRefused as refusal:
        return render(request, "portal/survey_refused.html", {"refusal": str(refusal)})
    return render(
        request,
        "portal/survey_thanks.html",
        {
            "ticket": link.ticket,
            "given": survey.rating_of_link(link),
            "reopened": status.is_open(link.ticket.status),
        },
    )
