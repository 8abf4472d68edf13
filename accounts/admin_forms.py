"""Forms of the admin panel: one per thing an administrator configures.

Each form says what it refuses in a `clean_<field>` or `clean` named for the rule; the
writes that are more than `ModelForm.save()` live in accounts.admin_services.
"""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms.models import BaseInlineFormSet, inlineformset_factory

from accounts.admin_services import lockout_refusal
from accounts.models import Agent, DepartmentAccess, Permission, Role, Team, User
from sla.models import SLAPlan
from tickets.models import CannedResponse, Department, HelpTopic, Ticket


def active_or_current(queryset: QuerySet, current_pk, *, active_field: str = "is_active"):
    """Active choices, plus the one already chosen: editing must not drop a retired value."""
    return queryset.filter(Q(**{active_field: True}) | Q(pk=current_pk))


def active_agents(*current_pks) -> QuerySet:
    """Agents who may sign in, plus those already chosen, with the user their name needs."""
    return (
        Agent.objects.select_related("user")
        .filter(Q(user__is_active=True) | Q(pk__in=[pk for pk in current_pks if pk]))
        .order_by("user__full_name", "user__email")
    )


class AdminForm:
    """Crispy renders the fields; the page template writes the <form> tag and buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class UniqueNameMixin:
    """Names are unique ignoring case: "Support" and "support" are one thing to a person."""

    def clean_name(self):
        name = self.cleaned_data["name"]
        model = self._meta.model
        if model.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                f"A {model._meta.verbose_name} named “{name}” already exists.",
                code="duplicate_name",
            )
        return name


class DepartmentForm(UniqueNameMixin, AdminForm, forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "manager", "sla_plan", "is_public", "is_active"]
        labels = {
            "name": "Name",
            "manager": "Manager",
            "sla_plan": "Default SLA Plan",
            "is_public": "Public",
            "is_active": "Active",
        }
        help_texts = {
            "sla_plan": "Tickets of this department whose help topic has no plan get this one.",
            "is_public": "End users may choose it on the portal.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = active_agents(self.instance.manager_id)
        self.fields["sla_plan"].queryset = active_or_current(
            SLAPlan.objects.all(), self.instance.sla_plan_id
        )


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


class HelpTopicForm(UniqueNameMixin, AdminForm, forms.ModelForm):
    ONE_ASSIGNEE = "Auto-assign to an agent or to a team, not both: clear one of the two."

    class Meta:
        model = HelpTopic
        fields = [
            "name",
            "is_public",
            "is_active",
            "department",
            "priority",
            "sla_plan",
            "auto_assign_agent",
            "auto_assign_team",
        ]
        labels = {
            "name": "Name",
            "is_public": "Public",
            "is_active": "Active",
            "department": "Department",
            "priority": "Priority",
            "sla_plan": "SLA Plan",
            "auto_assign_agent": "Auto-assign to Agent",
            "auto_assign_team": "Auto-assign to Team",
        }
        help_texts = {
            "is_public": "End users may choose it on the portal's form.",
            "sla_plan": "Leave empty to use the department's default plan.",
            "auto_assign_team": "New tickets go to this agent or this team; choose at most one.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        topic = self.instance
        self.fields["department"].queryset = active_or_current(
            Department.objects.all(), topic.department_id
        )
        self.fields["sla_plan"].queryset = active_or_current(
            SLAPlan.objects.all(), topic.sla_plan_id
        )
        self.fields["auto_assign_agent"].queryset = active_agents(topic.auto_assign_agent_id)
        self.fields["auto_assign_team"].queryset = active_or_current(
            Team.objects.all(), topic.auto_assign_team_id
        )

    def clean(self):
        cleaned = super().clean()
        self.clean_one_auto_assignee(cleaned)
        return cleaned

    def clean_one_auto_assignee(self, cleaned):
        if cleaned.get("auto_assign_agent") and cleaned.get("auto_assign_team"):
            self.add_error("auto_assign_agent", self.ONE_ASSIGNEE)
            self.add_error("auto_assign_team", self.ONE_ASSIGNEE)


class SLAPlanForm(UniqueNameMixin, AdminForm, forms.ModelForm):
    class Meta:
        model = SLAPlan
        fields = ["name", "first_response_hours", "resolution_hours", "is_active"]
        labels = {
            "name": "Name",
            "first_response_hours": "First Response (hours)",
            "resolution_hours": "Resolution (hours)",
            "is_active": "Active",
        }
        help_texts = {
            "first_response_hours": "How soon the first reply is due. May be a fraction: 0.25.",
            "resolution_hours": "How soon the ticket must be resolved; not less than first "
            "response.",
        }

    def clean_first_response_hours(self):
        return self._positive_hours("first_response_hours")

    def clean_resolution_hours(self):
        return self._positive_hours("resolution_hours")

    def _positive_hours(self, field):
        hours = self.cleaned_data[field]
        if hours is not None and hours <= 0:
            raise ValidationError("Enter a number of hours greater than 0.", code="not_positive")
        return hours

    def clean(self):
        cleaned = super().clean()
        self.clean_first_response_within_resolution(cleaned)
        return cleaned

    def clean_first_response_within_resolution(self, cleaned):
        first, resolution = cleaned.get("first_response_hours"), cleaned.get("resolution_hours")
        if first is not None and resolution is not None and first > resolution:
            self.add_error(
                "first_response_hours",
                f"The first response cannot be due later than the resolution: {first} hours "
                f"is more than {resolution} hours.",
            )


class RoleForm(UniqueNameMixin, AdminForm, forms.ModelForm):
    class Meta:
        model = Role
        # The checkboxes' labels are the permission fields' verbose names.
        fields = ["name", "is_active", *(p.value for p in Permission)]
        labels = {"name": "Name", "is_active": "Active"}


class AgentForm(AdminForm, forms.ModelForm):
    """An agent with their user account: name, address, whether they may sign in, password."""

    full_name = forms.CharField(label="Full Name", max_length=150)
    email = forms.EmailField(label="Email Address", max_length=254)
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
        self.fields["department"].queryset = active_or_current(
            Department.objects.all(), agent.department_id
        )
        self.fields["role"].queryset = active_or_current(Role.objects.all(), agent.role_id)
        if not agent.pk:
            self.fields["email"].help_text = (
                "If an end user already has this address (in any letter case), that user "
                "becomes this agent and keeps their tickets."
            )

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        others = User.objects.filter(email__iexact=email).select_related("agent")
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
            Department.objects.all(), access.department_id
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
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
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


class TicketLookupForm(AdminForm, forms.Form):
    """The permission explainer's question: which ticket?"""

    ticket = forms.CharField(label="Ticket Number", max_length=13)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.found = None

    def clean_ticket(self):
        number = self.cleaned_data["ticket"].strip().lstrip("#").strip()
        self.found = (
            Ticket.objects.select_related("department", "team").filter(number=number).first()
        )
        if self.found is None:
            raise ValidationError(f"No ticket #{number} exists.", code="no_ticket")
        return number


class CannedResponseForm(AdminForm, forms.ModelForm):
    class Meta:
        model = CannedResponse
        fields = ["title", "department", "body", "is_active"]
        labels = {
            "title": "Title",
            "department": "Department",
            "body": "Response",
            "is_active": "Active",
        }
        help_texts = {"department": "Leave empty to offer it in every department."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = active_or_current(
            Department.objects.all(), self.instance.department_id
        )
        self.fields["department"].empty_label = "— All departments —"
