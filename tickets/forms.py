import re
import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from accounts.emails import EmailAddressField
from helpdesk import memo
from tickets import uploads
from tickets.access import find_ticket_for_person
from tickets.attachments import problems_with
from tickets.models import HelpTopic, SatisfactionRating
from tickets.services.intake import TOPIC_READS
from tickets.survey import MAX_COMMENT_CHARS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input, each checked against the attachment rules.

    Every problem is reported (not just the first), so that a person with three files
    learns about all of them at once.
    """

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        problems = []
        limit = settings.HELPDESK_MAX_ATTACHMENTS
        if len(files) > limit:
            problems.append(f"You can attach at most {limit} files; you chose {len(files)}.")
        for upload in files:
            problems.extend(problems_with(upload))
        if problems:
            raise forms.ValidationError(problems)
        return files


def attachment_help_text() -> str:
    return (
        f"Optional. Up to {settings.HELPDESK_MAX_ATTACHMENTS} files, "
        f"{filesizeformat(settings.HELPDESK_MAX_ATTACHMENT_BYTES)} each."
    )


class SubmissionKeyMixin(forms.Form):
    """A hidden one-time key; the service uses it to make a double submit harmless."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())


class AttachmentsMixin(forms.Form):
    """Attachments that survive a refused form.

    When the form is refused, its acceptable files are kept (see tickets.uploads) and
    listed under the field, each with a "Remove" box; `all_attachments` is what the
    service stores once the form goes through.
    """

    attachments = AttachmentsField(label="Attachments")
    kept_uploads = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachment_help_text()
        self.kept = (
            uploads.from_token(
                self.data.get(self.add_prefix("kept_uploads"), ""),
                dropped=self.data.getlist(self.drop_upload_name),
            )
            if self.is_bound
            else []
        )

    @property
    def drop_upload_name(self) -> str:
        return self.add_prefix("drop_upload")

    def clean(self):
        cleaned = super().clean()
        limit = settings.HELPDESK_MAX_ATTACHMENTS
        new = cleaned.get("attachments") or []
        if self.kept and "attachments" not in self.errors and len(new) + len(self.kept) > limit:
            self.add_error(
                "attachments",
                f"You can attach at most {limit} files; with the {len(self.kept)} already "
                f"attached you chose {len(new) + len(self.kept)}. Remove some first.",
            )
        return cleaned

    @property
    def all_attachments(self) -> dict:
        return {"attachments": self.cleaned_data["attachments"], "kept_uploads": self.kept}

    def keep_acceptable_uploads(self, keeper: uploads.Keeper) -> None:
        """After a refusal, keep the files that broke no rule, so they need not be chosen again.

        A file over the keeper's budget is not kept; the field says so and asks for it again.
        """
        room = settings.HELPDESK_MAX_ATTACHMENTS - len(self.kept)
        for upload in self.files.getlist(self.add_prefix("attachments")):
            if room > 0 and not problems_with(upload):
                try:
                    self.kept.append(uploads.stash(upload, keeper))
                except uploads.NotKept as refusal:
                    self.add_error("attachments", str(refusal))
                    continue
                room -= 1
        self.data = self.data.copy()
        self.data[self.add_prefix("kept_uploads")] = uploads.token_for(self.kept)
        self.data.setlist(self.drop_upload_name, [])


def check_body_length(body: str) -> str:
    # Checked here, not with an HTML maxlength, which silently cuts a long paste short.
    limit = settings.HELPDESK_MAX_BODY_CHARS
    if len(body) > limit:
        raise forms.ValidationError(
            f"Please shorten this to {limit:,} characters or fewer (it has {len(body):,}), "
            "or attach the rest as a file."
        )
    return body


OFFERED_TOPICS = "tickets.offered-topics"


def offered_topics() -> list[HelpTopic]:
    """The topics the portal's form lists; kept a few seconds (helpdesk.memo)."""
    return memo.remembered(OFFERED_TOPICS, lambda: list(HelpTopic.objects.offered()))


class _TopicChoices(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if not self.field.lists_offered:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for topic in offered_topics():
            yield self.choice(topic)

    def __len__(self):
        if not self.field.lists_offered:
            return super().__len__()
        return len(offered_topics()) + (self.field.empty_label is not None)

    def __bool__(self):
        return len(self) > 0


class HelpTopicField(forms.ModelChoiceField):
    """A help topic. The portal's (`offer_public_topics`) are listed from a short-lived copy,
    so that showing the form reads no topics; the one chosen is always read afresh, with
    what opening a ticket reads of it, so a topic made private a second ago is refused.
    Given any other queryset (the staff form's), it lists that one."""

    iterator = _TopicChoices
    lists_offered = False

    def _set_queryset(self, queryset):
        self.lists_offered = False
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def offer_public_topics(self) -> None:
        self.queryset = HelpTopic.objects.offered().select_related(*TOPIC_READS)
        self.lists_offered = True
        self.widget.choices = self.choices


PHONE_RE = re.compile(r"^\+?[0-9 ()./-]{3,30}(\s*(x|ext\.?)\s*[0-9]{1,6})?$", re.IGNORECASE)


class OpenTicketForm(AttachmentsMixin, SubmissionKeyMixin):
    email = EmailAddressField(label="Email Address", max_length=254)
    full_name = forms.CharField(label="Full Name", max_length=150)
    phone = forms.CharField(
        label="Phone Number", max_length=40, required=False, help_text="Optional."
    )
    help_topic = HelpTopicField(
        label="Help Topic",
        queryset=HelpTopic.objects.none(),
        empty_label="— Select a Help Topic —",
        error_messages={
            "invalid_choice": "That help topic is not available; please choose one from the list."
        },
    )
    subject = forms.CharField(label="Issue Summary", max_length=255)
    body = forms.CharField(label="Details", widget=forms.Textarea(attrs={"rows": 8}))

    field_order = ["email", "full_name", "phone", "help_topic", "subject", "body", "attachments"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["help_topic"].offer_public_topics()
        # Signed in, a person files as themselves: their own name and address, shown but
        # not editable (a disabled field ignores whatever is posted for it).
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None:
            for name, value in [
                ("email", self.user.email),
                ("full_name", self.user.full_name or self.user.display_name),
            ]:
                self.fields[name].disabled = True
                self.fields[name].initial = value
                self.fields[name].help_text = "From your account."
            if not self.is_bound:
                self.initial.setdefault("phone", self.user.phone)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def intake_fields(self) -> dict:
        """What services.open_ticket takes from this form."""
        data = self.cleaned_data
        fields = ["email", "full_name", "phone", "help_topic", "subject", "body", "submission_key"]
        return (
            {name: data[name] for name in fields} | self.all_attachments | {"requester": self.user}
        )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(
                "Enter a phone number using digits, spaces, + ( ) - and an optional extension."
            )
        return phone

    def clean_body(self):
        return check_body_length(self.cleaned_data["body"])


class CheckStatusForm(forms.Form):
    email = EmailAddressField(label="Email Address", max_length=254)
    number = forms.CharField(label="Ticket Number", max_length=20)

    error_message = (
        "We could not find a ticket with that email address and ticket number. "
        "Please check both and try again."
    )
    sent_message = (
        "If this address has a ticket with this number, we have sent it a link to the ticket."
    )

    def __init__(self, *args, by_email: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # By email, the pair is only looked up to send mail: the form says nothing of it.
        self.by_email = by_email
        self.access = None
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        if self.errors or self.by_email:
            return cleaned
        self.access = find_ticket_for_person(email=cleaned["email"], number=cleaned["number"])
        if self.access is None:
            # One message whatever was wrong, so the form cannot be used to probe numbers.
            raise forms.ValidationError(self.error_message, code="no_match")
        return cleaned


class ReplyForm(AttachmentsMixin, SubmissionKeyMixin):
    body = forms.CharField(label="Reply", widget=forms.Textarea(attrs={"rows": 6}))

    field_order = ["body", "attachments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_body(self):
        return check_body_length(self.cleaned_data["body"])


class SurveyForm(forms.Form):
    """ "How did we do?": good or bad, and a comment if they like."""

    rating = forms.ChoiceField(
        label="How did we do?",
        choices=SatisfactionRating.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose Good or Bad.",
            "invalid_choice": "Choose Good or Bad.",
        },
    )
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": "The comment is too long: at most %(limit_value)d characters "
            "(it has %(show_value)d)."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
