from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core import validators
from django.template import loader

from accounts import emails
from accounts.models import Agent
from helpdesk.mail import outbox
from helpdesk.mail.notices import Rendered
from helpdesk.widgets import TimeZoneInput

User = get_user_model()


class LoginForm(AuthenticationForm):
    """Sign-in by email address; an inactive account is told why, if the password is right."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Please enter a correct email address and password.",
        "inactive": "This account is inactive. Please contact us to reactivate it.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email Address"
        # Django sets the field's max_length after building it, so no validator checks it:
        # a 100,000-character address would reach the database, whose LIKE (iexact, below)
        # SQLite refuses past 50,000 bytes.
        username = self.fields["username"]
        username.validators.append(validators.MaxLengthValidator(username.max_length))

    def clean_username(self):
        # The address as stored: a look-alike is told why rather than "wrong password".
        typed = self.cleaned_data.get("username") or ""
        try:
            return emails.normalise(typed)
        except emails.RefusedAddress as error:
            raise forms.ValidationError(str(error), code="refused_address") from None

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        try:
            return super().clean()
        except forms.ValidationError:
            # Django's backend refuses inactive users without saying so; with the right
            # password the person may be told, which is what lets them ask for help.
            user = User.objects.with_email(email or "").first()
            if user is not None and not user.is_active and user.check_password(password or ""):
                raise forms.ValidationError(
                    self.error_messages["inactive"], code="inactive"
                ) from None
            raise


class PortalLoginForm(LoginForm):
    """Sign-in for end users who have set a password (agents may use it too)."""


class StaffLoginForm(LoginForm):
    """Sign-in for agents only: an end user is told the staff panel is not for them."""

    error_messages = {
        **LoginForm.error_messages,
        "not_agent": "This account is not an agent account; end users sign in on the portal.",
        "inactive": "This agent account is inactive. Ask an administrator to reactivate it.",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not hasattr(user, "agent"):
            raise forms.ValidationError(self.error_messages["not_agent"], code="not_agent")


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset, its mail sent through the outbox like every other message
    (helpdesk.mail.outbox): listed in the admin panel and retried if the server is down.
    The address is normalised (accounts.emails) and looked up as sign-in looks it up."""

    email = emails.EmailAddressField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def get_users(self, email):
        return (
            user
            for user in User.objects.with_email(email).filter(is_active=True)
            if user.has_usable_password()
        )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else ""
        )
        outbox.queue(
            notice="account.password_reset",
            to=[to_email],
            rendered=Rendered(subject, body, html),
            message_id=outbox.make_message_id("password-reset"),
            headers={"Auto-Submitted": "auto-generated"},
            regarding=f"Password reset for {to_email}",
        )


class ProfileForm(forms.ModelForm):
    """What an agent sets about themselves: their name, signature and time zone."""

    full_name = forms.CharField(label="Full Name", max_length=150)

    class Meta:
        model = Agent
        fields = ["signature", "timezone"]
        labels = {"signature": "Signature", "timezone": "Time Zone"}
        help_texts = {
            "signature": "Added below every response you post, such as your name and role.",
            "timezone": "Times in the staff panel are shown in this zone, such as Europe/Berlin.",
        }
        widgets = {"signature": forms.Textarea(attrs={"rows": 3}), "timezone": TimeZoneInput}

    field_order = ["full_name", "signature", "timezone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("full_name", self.instance.user.full_name)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class TwoFactorCodeForm(forms.Form):
    """The code step of sign-in, and the confirmation of an authenticator app."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, backup_allowed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if backup_allowed:
            self.fields["code"].help_text = (
                "The 6-digit code your authenticator app shows now, or one of your backup "
                "codes if you do not have your phone."
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class TwoFactorOffForm(forms.Form):
    """Turning two-factor off: the password and a current code, so that a session left
    open is not enough."""

    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now, or a backup code.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
