"""The admin panel's webhook form."""

from django import forms

from api import targets
from api.models import Webhook, WebhookEvent
from helpdesk.admin_panel.forms import AdminForm, UniqueNameMixin


class WebhookForm(UniqueNameMixin, AdminForm, forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each chosen event is POSTed to the URL, signed with the webhook's secret.",
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "events", "allow_private_targets"]

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        try:
            targets.split(url)
        except targets.TargetRefused as refusal:
            raise forms.ValidationError(str(refusal), code="url") from None
        return url

    def clean(self):
        """The URL's host must resolve, and (unless private targets are allowed) only to
        public addresses: said beside the URL."""
        cleaned = super().clean()
        url = cleaned.get("url")
        if url and "url" not in self.errors:
            allow = cleaned.get("allow_private_targets", False)
            try:
                targets.check(url, allow_private=allow)
            except targets.TargetRefused as refusal:
                self.add_error("url", str(refusal))
        return cleaned
