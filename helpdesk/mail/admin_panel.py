"""The admin panel's mail sections: the notices' wording, every outgoing message, and the
addresses we never write to."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.admin_panel import Column, Section, site
from helpdesk.admin_panel.views import form_context, form_page, posted, render_form
from helpdesk.mail import admin_forms, notices, outbox
from helpdesk.mail.models import BannedAddress, EmailTemplate, OutgoingMail


def _notice_order(template: EmailTemplate) -> tuple:
    try:
        notice = notices.get(template.key)
    except KeyError:
        return (10_000, template.key)  # a notice no app sends any more
    return (notice.order, template.key)


def _templates():
    registered = {notice.key for notice in notices.all_notices()}
    return sorted(EmailTemplate.objects.filter(key__in=registered), key=_notice_order)


def _notice_name(template: EmailTemplate) -> str:
    return notices.get(template.key).name


def _set_enabled(template: EmailTemplate, *, is_active: bool, by=None) -> None:
    template.is_enabled = is_active
    template.save(update_fields=["is_enabled", "updated_at"])


@require_http_methods(["GET", "POST"])
def email_template_edit(request, pk):
    """A notice's wording; "Preview" renders it with a sample ticket and saves nothing."""
    section = site.section("email-template")
    form = section.form_class(posted(request), instance=section.find(pk))
    context = form_context(request, section, form, notice=form.notice)
    if "preview" not in request.POST:
        return form_page(request, section, form, notice=form.notice)
    if form.is_valid():
        context["preview"] = form.preview
    return render_form(request, section, form, context)


site.register(
    Section(
        key="email-template",
        prefix="email-templates",
        order=100,
        title="Email Templates",
        noun="Email Template",
        form_class=admin_forms.EmailTemplateForm,
        rows=_templates,
        objects=lambda: EmailTemplate.objects.all(),
        columns=(
            Column("Sent To", lambda t: notices.get(t.key).audience),
            Column("When", lambda t: notices.get(t.key).description),
        ),
        name=_notice_name,
        name_header="Notice",
        is_active=lambda t: t.is_enabled,
        set_active=_set_enabled,
        template="admin_panel/email_template_form.html",
        edit_view=email_template_edit,
        can_create=False,
    )
)


def _where_mail_goes() -> str | None:
    if outbox.writes_to_console():
        return (
            "No mail server is set up (EMAIL_HOST), so messages are written to the worker's "
            "console instead of being delivered; this list shows what would have been sent."
        )
    return None


def _status(mail: OutgoingMail) -> str:
    if mail.status == OutgoingMail.Status.QUEUED and mail.attempts:
        return f"Waiting to retry (attempt {mail.attempts + 1})"
    if mail.status == OutgoingMail.Status.SENT and mail.sent_via == "console":
        return "Written to the console (no mail server set up)"
    return mail.get_status_display()


OUTGOING = site.register(
    Section(
        key="outgoing-mail",
        prefix="outgoing-mail",
        order=110,
        title="Outgoing Mail",
        noun="Message",
        form_class=None,
        rows=lambda: OutgoingMail.objects.order_by("-created_at", "-pk"),
        columns=(
            Column("To", lambda m: ", ".join(m.recipients)),
            Column("About", lambda m: m.regarding or "—"),
            Column("Status", _status),
            Column("Queued", lambda m: m.created_at),
        ),
        name=lambda m: m.subject or "(no subject)",
        name_header="Subject",
        link="detail",
        can_create=False,
        can_edit=False,
        has_active=False,
        intro=_where_mail_goes,
    )
)


@require_GET
def outgoing_mail_detail(request, pk):
    mail = get_object_or_404(OutgoingMail, pk=pk)
    return render(
        request,
        "admin_panel/outgoing_mail.html",
        {"section": OUTGOING, "mail": mail, "status": _status(mail)},
    )


@require_POST
def outgoing_mail_retry(request, pk):
    mail = get_object_or_404(OutgoingMail, pk=pk)
    if mail.status == OutgoingMail.Status.SENT:
        messages.error(request, "This message was sent already; it is not sent twice.")
    else:
        outbox.retry_now(mail)
        messages.success(request, "The message will be sent again in a moment.")
    return redirect("admin-panel:outgoing-mail-detail", pk=mail.pk)


site.add_page("outgoing-mail/<int:pk>/detail/", outgoing_mail_detail, name="outgoing-mail-detail")
site.add_page("outgoing-mail/<int:pk>/retry/", outgoing_mail_retry, name="outgoing-mail-retry")

site.register(
    Section(
        key="banned-address",
        prefix="banned-addresses",
        order=120,
        title="Banned Addresses",
        noun="Banned Address",
        form_class=admin_forms.BannedAddressForm,
        rows=lambda: BannedAddress.objects.order_by("pattern"),
        columns=(Column("Reason", lambda b: b.reason or "—"),),
    )
)
