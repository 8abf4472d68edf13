"""The admin panel's mail-in sections: the mailboxes fetched, and every message received with
what became of it (held ones to add or discard, failed ones to process again)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from helpdesk.admin_panel import Column, Section, site
from helpdesk.admin_panel.forms import AdminForm, UniqueNameMixin, active_or_current
from tickets import services
from tickets.inbound import fetch, intake
from tickets.models import HelpTopic, InboundMail, Mailbox


class MailboxForm(UniqueNameMixin, AdminForm, forms.ModelForm):
    """A mailbox to fetch. The password is never shown again; left blank, it stays."""

    password = forms.CharField(
        label="Password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = Mailbox
        fields = [
            "name",
            "address",
            "protocol",
            "security",
            "host",
            "port",
            "username",
            "password",
            "folder",
            "after_import",
            "move_to",
            "help_topic",
            "is_active",
        ]
        labels = {
            "name": "Name",
            "address": "Email Address",
            "protocol": "Protocol",
            "security": "Security",
            "host": "Server",
            "port": "Port",
            "username": "User Name",
            "folder": "Folder (IMAP)",
            "after_import": "After Import",
            "move_to": "Move To Folder",
            "help_topic": "Help Topic",
            "is_active": "Active",
        }
        help_texts = {
            "host": "The mail server's name, such as imap.example.com.",
            "port": "IMAP: 993 with TLS, 143 with STARTTLS. POP3: 995 with TLS, 110 with STARTTLS.",
            "folder": "Where new mail arrives; INBOX for most servers.",
            "move_to": "Only when imported mail is moved.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mailbox = self.instance
        self.fields["help_topic"].queryset = active_or_current(
            HelpTopic.objects.select_related("department"), mailbox.help_topic_id
        )
        self.fields["help_topic"].label_from_instance = lambda t: f"{t.name} ({t.department})"
        if mailbox.pk:
            self.fields["password"].help_text = "Leave blank to keep the password as it is."
        else:
            self.fields["password"].required = True

    def clean_password(self):
        return self.cleaned_data["password"] or self.instance.password

    def clean(self):
        cleaned = super().clean()
        self.clean_moving_needs_imap_and_a_folder(cleaned)
        return cleaned

    def clean_moving_needs_imap_and_a_folder(self, cleaned):
        if cleaned.get("after_import") != Mailbox.AfterImport.MOVE:
            return
        if cleaned.get("protocol") == Mailbox.Protocol.POP3:
            self.add_error("after_import", "POP3 has no folders: mark read or delete instead.")
        elif not cleaned.get("move_to", "").strip():
            self.add_error("move_to", "Name the folder imported mail is moved to.")


def _mailbox_state(mailbox: Mailbox) -> str:
    if mailbox.failures_in_row:
        return f"Failing ({mailbox.failures_in_row} in a row): {mailbox.last_error}"
    if mailbox.last_success_at:
        return "Working"
    return "Not fetched yet"


MAILBOXES = site.register(
    Section(
        key="mailbox",
        prefix="mailboxes",
        order=105,
        title="Mailboxes",
        noun="Mailbox",
        form_class=MailboxForm,
        rows=lambda: Mailbox.objects.select_related("help_topic").order_by("name"),
        columns=(
            Column("Email Address", lambda m: m.address),
            Column("Server", lambda m: f"{m.get_protocol_display()} {m.host}:{m.port}"),
            Column("Help Topic", lambda m: m.help_topic),
            Column("Fetching", _mailbox_state),
        ),
        template="admin_panel/mailbox_form.html",
    )
)


@require_POST
def mailbox_fetch_now(request, pk):
    mailbox = MAILBOXES.find(pk)
    result = fetch.fetch_mailbox(mailbox)
    if result.error:
        messages.error(request, f"{mailbox} could not be fetched: {result.error}")
    else:
        problems = f" {' '.join(result.problems)}" if result.problems else ""
        messages.success(request, f"{mailbox}: {result.fetched} message(s) fetched.{problems}")
    return redirect("admin-panel:mailbox-edit", pk=mailbox.pk)


INCOMING = site.register(
    Section(
        key="incoming-mail",
        prefix="incoming-mail",
        order=106,
        title="Incoming Mail",
        noun="Message",
        form_class=None,
        rows=lambda: InboundMail.objects.select_related("ticket", "mailbox").order_by(
            "-received_at", "-pk"
        ),
        columns=(
            Column("From", lambda m: m.from_address or "—"),
            Column("Status", lambda m: m.get_status_display()),
            Column("What Became of It", lambda m: m.outcome or "—"),
            Column("Ticket", lambda m: f"#{m.ticket.number}" if m.ticket_id else "—"),
            Column("Received", lambda m: m.received_at),
        ),
        name=lambda m: m.subject or "(no subject)",
        name_header="Subject",
        link="detail",
        can_create=False,
        can_edit=False,
        has_active=False,
    )
)


def _incoming(pk) -> InboundMail:
    return get_object_or_404(InboundMail.objects.select_related("ticket", "mailbox"), pk=pk)


@require_GET
def incoming_mail_detail(request, pk):
    record = _incoming(pk)
    try:
        with record.raw.open("rb") as stored:
            parsed = intake.parse(stored.read())
    except Exception as error:
        parsed, problem = None, f"{type(error).__name__}: {error}"
    else:
        problem = ""
    return render(
        request,
        "admin_panel/incoming_mail.html",
        {"section": INCOMING, "record": record, "parsed": parsed, "problem": problem},
    )


@require_GET
def incoming_mail_raw(request, pk):
    """The message exactly as it arrived, as a download (never shown inline)."""
    record = _incoming(pk)
    response = FileResponse(
        record.raw.open("rb"),
        as_attachment=True,
        filename=f"incoming-{record.pk}.eml",
        content_type="message/rfc822",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _act(request, pk, action, done: str):
    record = _incoming(pk)
    try:
        action(record)
    except (services.TicketError, ValidationError) as refusal:
        messages.error(request, str(refusal))
    else:
        record.refresh_from_db()
        messages.success(request, f"{done} {record.get_status_display()}: {record.outcome}")
    return redirect("admin-panel:incoming-mail-detail", pk=pk)


@require_POST
def incoming_mail_process(request, pk):
    return _act(request, pk, intake.process_again, "Processed again.")


@require_POST
def incoming_mail_accept(request, pk):
    return _act(request, pk, lambda r: intake.accept_held(r, by=request.agent), "Added.")


@require_POST
def incoming_mail_discard(request, pk):
    return _act(request, pk, lambda r: intake.discard_held(r, by=request.agent), "Discarded.")


site.add_page("mailboxes/<int:pk>/fetch/", mailbox_fetch_now, name="mailbox-fetch")
site.add_page("incoming-mail/<int:pk>/detail/", incoming_mail_detail, name="incoming-mail-detail")
site.add_page("incoming-mail/<int:pk>/raw/", incoming_mail_raw, name="incoming-mail-raw")
site.add_page(
    "incoming-mail/<int:pk>/process/", incoming_mail_process, name="incoming-mail-process"
)
site.add_page("incoming-mail/<int:pk>/accept/", incoming_mail_accept, name="incoming-mail-accept")
site.add_page(
    "incoming-mail/<int:pk>/discard/", incoming_mail_discard, name="incoming-mail-discard"
)
