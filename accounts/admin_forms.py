"""Forms of the admin panel's sections for people: teams, roles, agents, end users.

Each form says what it refuses in a `clean_<field>` or `clean` named for the rule; the
writes are accounts.services functions, given the cleaned values (accounts.admin_panel).
"""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, inlineformset_factory

from accounts.emails import EmailAddressField
from accounts.models import Agent, DepartmentAccess, Permission, Role, Team, User
from accounts.selectors import active_agents
from accounts.services import lockout_refusal
from helpdesk.admin_panel.forms import AdminForm, UniqueNameMixin, active_or_current


class TeamForm(UniqueNameMixin, AdminForm, forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "lead", "members", "is_active"]
        labels = {"name": "Name", "lead": "Lead", "members": "Members", "is_active": "Active"}
        widgets = {"members": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = active_agents(self.instance.lead_id)
        members = self.instance.members.values_list("pk", flat=True) if self.instance.pk else []
        self.fields["members"].queryset = active_agents(*members)

    def clean(self):
        cleaned = super().clean()
        self.clean_lead_is_a_member(cleaned)
        return cleaned

    def clean_lead_is_a_member(self, cleaned):
        lead, members = cleaned.get("lead"), cleaned.get("members")
        if lead is not None and members is not None and lead not in members:
            self.add_error("lead", f"{lead} leads the team, so tick {lead} under Members as well.")


class RoleForm(UniqueNameMixin, AdminForm, forms.ModelForm):
    class Meta:
        model = Role
        # The checkboxes' labels are the permission fields' verbose names.
        fields = ["name", "is_active", *(p.value for p in Permission)]
        labels = {"name": "Name", "is_active": "Active"}


class AgentForm(AdminForm, forms.ModelForm):
    """An agent with their user account: name, address, whether they may sign in, password."""

    full_name = forms.CharField(label="Full Name", max_length=150)
    email = EmailAddressField(label="Email Address", max_length=254)
    is_active = forms.BooleanField(
        label="Active", required=False, initial=True, help_text="Only active agents sign in."
    )
    password1 = forms.CharField(
        label="Password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password (again)",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Leave both password fields blank to keep the password as it is; an agent "
        "without one can be sent a password reset email.",
    )

    class Meta:
        model = Agent
        fields = ["department", "role", "is_limited_access", "is_admin"]
        labels = {
            "department": "Primary Department",
            "role": "Role",
            "is_limited_access": "Limited Access",
            "is_admin": "Administrator",
        }
        help_texts = {
            "role": "What the agent may do in the primary department.",
            "is_admin": "May use this admin panel.",
        }

    field_order = [
        "full_name",
        "email",
        "is_active",
        "department",
        "role",
        "is_limited_access",
        "is_admin",
        "password1",
        "password2",
    ]

    def __init__(self, *args, by: Agent, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            user = instance.user
            kwargs["initial"] = {
                "full_name": user.full_name,
                "email": user.email,
                "is_active": user.is_active,
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        self.by = by
        # An end user who already has the address; they become this agent (see clean_email).
        self.existing_user = None
        agent = self.instance
        # Departments are the tickets app's; the field's own queryset reaches them.
        self.fields["department"].queryset = active_or_current(
            self.fields["department"].queryset, agent.department_id
        )
        self.fields["role"].queryset = active_or_current(Role.objects.all(), agent.role_id)
        if not agent.pk:
            self.fields["email"].help_text = (
                "If an end user already has this address (in any letter case), that user "
                "becomes this agent and keeps their tickets."
            )

    def clean_email(self):
        # Normalised by the field: the unicode and punycode forms of a domain are one user.
        email = self.cleaned_data["email"]
        others = User.objects.with_email(email).select_related("agent")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.user_id)
        other = others.first()
        if other is None:
            return email
        if self.instance.pk:
            raise ValidationError("Another user already has this email address.", code="taken")
        if other.is_agent:
            raise ValidationError(
                f"{other.display_name} is already an agent with this email address.",
                code="already_agent",
            )
        self.existing_user = other
        return email

    def clean(self):
        cleaned = super().clean()
        self.clean_passwords_match_and_are_strong(cleaned)
        self.clean_admins_keep_their_panel(cleaned)
        return cleaned

    def clean_passwords_match_and_are_strong(self, cleaned):
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if not password1 and not password2:
            return
        if password1 != password2:
            self.add_error("password2", "The two passwords differ; type the same one twice.")
            return
        user = self.instance.user if self.instance.pk else (self.existing_user or User())
        # The validators compare the password with what the user will be called.
        candidate = User(
            pk=user.pk,
            email=cleaned.get("email", user.email),
            full_name=cleaned.get("full_name", user.full_name),
        )
        try:
            password_validation.validate_password(password1, candidate)
        except ValidationError as error:
            self.add_error("password1", error)

    def clean_admins_keep_their_panel(self, cleaned):
        refusal = lockout_refusal(
            self.instance,
            by=self.by,
            is_active=cleaned.get("is_active", True),
            is_admin=cleaned.get("is_admin", True),
        )
        if refusal is not None:
            field = "is_admin" if cleaned.get("is_active") else "is_active"
            self.add_error(field, refusal)

    @property
    def password(self) -> str:
        return self.cleaned_data.get("password1") or ""


class ExtendedAccessForm(forms.ModelForm):
    class Meta:
        model = DepartmentAccess
        fields = ["department", "role"]
        labels = {"department": "Department", "role": "Role"}
        widgets = {
            "department": forms.Select(attrs={"class": "form-select"}),
            "role": forms.Select(attrs={"class": "form-select"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        access = self.instance
        self.fields["department"].queryset = active_or_current(
            self.fields["department"].queryset, access.department_id
        )
        self.fields["role"].queryset = active_or_current(Role.objects.all(), access.role_id)


class BaseExtendedAccessFormSet(BaseInlineFormSet):
    """Other departments the agent works in, each with its own role.

    Refuses the primary department (its role is set above) and a department listed twice.
    """

    def __init__(self, *args, agent_form: AgentForm, **kwargs):
        self.agent_form = agent_form
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove"
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        if not self.clean_departments_are_distinct_and_not_primary():
            # Django's own duplicate check would repeat what the rows already say.
            super().clean()

    def clean_departments_are_distinct_and_not_primary(self) -> bool:
        primary = None
        if self.agent_form.is_bound and self.agent_form.errors is not None:
            primary = self.agent_form.cleaned_data.get("department")
        seen, refused = set(), False
        for form in self.forms:
            if self._should_delete_form(form):
                continue
            # Blank extra rows have no cleaned data and add nothing.
            department = form.cleaned_data.get("department")
            if department is None:
                continue
            if department == primary:
                form.add_error(
                    "department",
                    f"{department} is the primary department already; its role is set above. "
                    f"Extended access is for other departments.",
                )
                refused = True
            elif department in seen:
                form.add_error(
                    "department",
                    f"{department} is listed twice; give each department one role.",
                )
                refused = True
            seen.add(department)
        return refused

    def chosen(self) -> list[tuple]:
        """The (department, role) pairs the agent will have, after validation."""
        return [
            (form.cleaned_data["department"], form.cleaned_data["role"])
            for form in self.forms
            if not self._should_delete_form(form) and form.cleaned_data.get("department")
        ]


ExtendedAccessFormSet = inlineformset_factory(
    Agent,
    DepartmentAccess,
    form=ExtendedAccessForm,
    formset=BaseExtendedAccessFormSet,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
)


class EndUserForm(AdminForm, forms.ModelForm):
    email = EmailAddressField(label="Email Address", max_length=254)
    new_organization = forms.CharField(
        label="New Organization",
        max_length=128,
        required=False,
        help_text="Or type the name of an organization to create and put this user in.",
    )

    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "organization", "is_active"]
        labels = {
            "full_name": "Full Name",
            "email": "Email Address",
            "phone": "Phone",
            "organization": "Organization",
            "is_active": "Active",
        }

    field_order = ["full_name", "email", "phone", "organization", "new_organization", "is_active"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        if User.objects.with_email(email).exclude(pk=self.instance.pk).exists():
            raise ValidationError("Another user already has this email address.", code="taken")
        return email

    def clean(self):
        cleaned = super().clean()
        self.clean_one_organization(cleaned)
        return cleaned

    def clean_one_organization(self, cleaned):
        if cleaned.get("organization") and cleaned.get("new_organization"):
            self.add_error(
                "new_organization",
                "Choose an organization or type a new one, not both.",
            )
