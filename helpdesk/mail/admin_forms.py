"""Forms of the admin panel's mail sections."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from helpdesk.admin_panel.forms import AdminForm
from helpdesk.mail import notices
from helpdesk.mail.models import BannedAddress, EmailTemplate


class EmailTemplateForm(AdminForm, forms.ModelForm):
    """A notice's wording. Refuses one that does not render with the sample values, saying
    which part and why; what was typed stays in the form."""

    class Meta:
        model = EmailTemplate
        fields = ["subject", "text_body", "html_body", "is_enabled"]
        labels = {
            "subject": "Subject",
            "text_body": "Plain-text body",
            "html_body": "HTML body",
            "is_enabled": "Send this notice",
        }
        help_texts = {
            "html_body": "Optional: mail clients that show HTML show this instead.",
            "is_enabled": "Untick to stop sending it; the wording is kept.",
        }
        widgets = {
            "text_body": forms.Textarea(attrs={"rows": 12}),
            "html_body": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notices.get(self.instance.key)
        self.preview = None

    def clean(self):
        cleaned = super().clean()
        self.clean_wording_renders(cleaned)
        return cleaned

    def clean_wording_renders(self, cleaned):
        if self.errors:
            return
        try:
            self.preview = notices.render_wording(
                cleaned.get("subject", ""),
                cleaned.get("text_body", ""),
                cleaned.get("html_body", ""),
                self.notice.sample(),
            )
        except notices.WordingProblem as problem:
            self.add_error(problem.field, f"{problem} Nothing was saved.")


class BannedAddressForm(AdminForm, forms.ModelForm):
    class Meta:
        model = BannedAddress
        fields = ["pattern", "reason", "is_active"]
        labels = {"pattern": "Address or @domain", "reason": "Reason", "is_active": "Active"}

    def clean_pattern(self):
        pattern = self.cleaned_data["pattern"].strip().lower()
        if pattern.startswith("@"):
            try:
                validate_email("someone" + pattern)
            except ValidationError:
                raise ValidationError(
                    f"“{pattern}” is not a domain; write it as @example.com.", code="domain"
                ) from None
        else:
            try:
                validate_email(pattern)
            except ValidationError:
                raise ValidationError(
                    f"“{pattern}” is not an email address; write a whole address, or "
                    "@example.com for a whole domain.",
                    code="address",
                ) from None
        taken = BannedAddress.objects.filter(pattern__iexact=pattern).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(f"“{pattern}” is banned already.", code="duplicate")
        return pattern
