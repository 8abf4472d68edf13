"""Forms of the admin panel: one per thing an administrator configures.

Each form says what it refuses in a `clean_<field>` or `clean` named for the rule; the
writes that are more than `ModelForm.save()` live in accounts.admin_services.
"""

import zoneinfo
from datetime import time
from functools import cache

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.html import format_html, format_html_join

from accounts.admin_services import (
    builtin_schedule_pk,
    is_builtin_schedule,
    lockout_refusal,
    plan_schedule_refusal,
    schedule_deactivation_refusal,
)
from accounts.models import Agent, DepartmentAccess, Permission, Role, Team, User
from sla import clock
from sla.models import Holiday, Schedule, SLAPlan, Weekday, WorkingHours
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
    WARNING_RANGE = "Enter a whole number from 1 to 99, or leave it empty for no warning."

    warning_percent = forms.IntegerField(
        label="Warn at (% of target)",
        required=False,
        min_value=1,
        max_value=99,
        help_text="Alert the assignee once this share of a target's working hours has "
        "passed, such as 75; leave empty for no warning.",
        error_messages={"min_value": WARNING_RANGE, "max_value": WARNING_RANGE},
    )

    class Meta:
        model = SLAPlan
        fields = [
            "name",
            "schedule",
            "first_response_hours",
            "resolution_hours",
            "warning_percent",
            "is_active",
        ]
        labels = {
            "name": "Name",
            "schedule": "Schedule",
            "first_response_hours": "First Response (working hours)",
            "resolution_hours": "Resolution (working hours)",
            "is_active": "Active",
        }
        help_texts = {
            "schedule": "The targets count only the working hours of this schedule.",
            "first_response_hours": "Working hours until the first reply is due. May be a "
            "fraction: 0.25.",
            "resolution_hours": "Working hours until the ticket must be resolved; not less "
            "than first response.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance
        self.fields["schedule"].queryset = active_or_current(
            Schedule.objects.all(), plan.schedule_id
        )
        self.fields["schedule"].empty_label = "— Choose a schedule —"
        if plan.pk is None:
            # Plans counted around the clock before schedules existed; that stays the default.
            self.fields["schedule"].initial = builtin_schedule_pk()

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
        self.clean_active_plan_has_active_schedule(cleaned)
        return cleaned

    def clean_first_response_within_resolution(self, cleaned):
        first, resolution = cleaned.get("first_response_hours"), cleaned.get("resolution_hours")
        if first is not None and resolution is not None and first > resolution:
            self.add_error(
                "first_response_hours",
                f"The first response cannot be due later than the resolution: {first} hours "
                f"is more than {resolution} hours.",
            )

    def clean_active_plan_has_active_schedule(self, cleaned):
        schedule = cleaned.get("schedule")
        if schedule is not None and cleaned.get("is_active"):
            refusal = plan_schedule_refusal(schedule)
            if refusal is not None:
                self.add_error("schedule", refusal)


@cache
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


class TimeZoneInput(forms.TextInput):
    """A text box that suggests time zone names as one types (a <datalist>)."""

    LIST_ID = "time-zone-names"

    def __init__(self, attrs=None):
        super().__init__({"list": self.LIST_ID, "autocomplete": "off", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}">', ((n,) for n in time_zone_names()))
        return format_html('{}<datalist id="{}">{}</datalist>', box, self.LIST_ID, options)


def _clock(moment: time, *, is_end: bool = False) -> str:
    return "24:00" if is_end and moment == time(0) else f"{moment:%H:%M}"


def _interval(start: time, end: time) -> str:
    return f"{_clock(start)}–{_clock(end, is_end=True)}"


def _end_key(end: time) -> time:
    # An end of 00:00 is midnight at the end of the day: after every other time.
    return time.max if end == time(0) else end


class WorkingHoursForm(forms.ModelForm):
    class Meta:
        model = WorkingHours
        fields = ["weekday", "start", "end"]
        labels = {"weekday": "Day", "start": "From", "end": "To"}
        # The table's introduction says what an end of 00:00 means.
        help_texts = {"end": ""}
        widgets = {
            "weekday": forms.Select(attrs={"class": "form-select"}),
            "start": forms.TimeInput(
                format="%H:%M", attrs={"type": "time", "class": "form-control"}
            ),
            "end": forms.TimeInput(format="%H:%M", attrs={"type": "time", "class": "form-control"}),
        }

    def clean(self):
        cleaned = super().clean()
        self.clean_ends_after_it_starts(cleaned)
        return cleaned

    def clean_ends_after_it_starts(self, cleaned):
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None or end is None or _end_key(end) > start:
            return
        weekday = cleaned.get("weekday")
        day = Weekday(weekday).label if weekday is not None else "This interval"
        self.add_error(
            "end",
            f"{day} {start:%H:%M}–{end:%H:%M} does not end after it starts. End it later, or "
            f"at 00:00 for midnight; a shift past midnight is two intervals on two days.",
        )
        # WorkingHours.clean() would refuse the same interval again, in other words.
        self.instance.end = None


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["date", "name"]
        labels = {"date": "Date", "name": "Name"}
        widgets = {
            "date": forms.DateInput(
                format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}
            ),
            "name": forms.TextInput(attrs={"class": "form-control"}),
        }

    # One holiday per day: every holiday of the schedule is a row of the same formset, which
    # compares the rows with each other. Comparing a row with the saved holidays instead
    # would refuse moving a holiday to a day another row gives up in the same save.
    def validate_unique(self):
        pass

    def validate_constraints(self):
        pass


class BaseScheduleRowsFormSet(BaseInlineFormSet):
    """Rows of a schedule's table; a ticked Delete removes the row, blank rows add nothing."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Delete"
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def kept(self) -> list[tuple[forms.Form, dict]]:
        """The rows that will be saved, with what they hold (after validation)."""
        return [
            (form, form.cleaned_data)
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


class BaseWorkingHoursFormSet(BaseScheduleRowsFormSet):
    """A schedule's working hours: any number of intervals per weekday, none overlapping."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new schedule offers a row per weekday to fill in; a saved one a few spare rows.
        self.extra = 3 if self.instance.pk else 7

    def clean(self):
        super().clean()
        self.clean_intervals_do_not_overlap()

    def clean_intervals_do_not_overlap(self):
        by_day: dict[int, list] = {}
        for form, row in self.kept():
            if None not in (row.get("weekday"), row.get("start"), row.get("end")):
                by_day.setdefault(row["weekday"], []).append((row["start"], row["end"], form))
        for weekday, intervals in by_day.items():
            intervals.sort(key=lambda interval: (interval[0], _end_key(interval[1])))
            # The interval reaching furthest so far: a later one starting before it ends
            # overlaps it, however many shorter ones lie between.
            reach = intervals[0]
            for start, end, form in intervals[1:]:
                if start < _end_key(reach[1]):
                    form.add_error(
                        None,
                        f"{Weekday(weekday).label} {_interval(*reach[:2])} overlaps "
                        f"{_interval(start, end)}.",
                    )
                if _end_key(end) > _end_key(reach[1]):
                    reach = (start, end, form)


class BaseHolidayFormSet(BaseScheduleRowsFormSet):
    """A schedule's holidays: one per day."""

    def clean(self):
        if not self.clean_one_holiday_per_day():
            # Django's own duplicate check would repeat what the rows already say.
            super().clean()

    def clean_one_holiday_per_day(self) -> bool:
        seen, refused = set(), False
        for form, row in self.kept():
            day = row.get("date")
            if day is None:
                continue
            if day in seen:
                form.add_error(
                    "date", f"{day:%a %d %b %Y} is listed twice; keep one holiday per day."
                )
                refused = True
            seen.add(day)
        return refused


WorkingHoursFormSet = inlineformset_factory(
    Schedule,
    WorkingHours,
    form=WorkingHoursForm,
    formset=BaseWorkingHoursFormSet,
    extra=3,
    can_delete=True,
    can_delete_extra=False,
)
HolidayFormSet = inlineformset_factory(
    Schedule,
    Holiday,
    form=HolidayForm,
    formset=BaseHolidayFormSet,
    extra=3,
    can_delete=True,
    can_delete_extra=False,
)


class ScheduleForm(UniqueNameMixin, AdminForm, forms.ModelForm):
    """A schedule with its working hours and holidays: one form holding two tables.

    The tables are formsets validated in clean(), so the Section views and save_schedule
    handle one form. The typed schedule is then built as the clock would build it, so what
    the clock refuses is refused here, with everything typed still on the page.
    """

    NEEDS_HOURS = "A schedule needs working hours, or tick 24/7."
    ROWS_REFUSED = (
        "Please correct the working hours or holidays marked below; everything you typed is "
        "still here."
    )

    class Meta:
        model = Schedule
        fields = ["name", "timezone", "is_always", "is_active"]
        labels = {
            "name": "Name",
            "timezone": "Time Zone",
            "is_always": "24/7",
            "is_active": "Active",
        }
        help_texts = {
            "timezone": "The zone the working hours and holidays are in, such as Europe/Berlin.",
            "is_always": "Counts every minute of every day; the working hours and holidays "
            "below are not used.",
        }
        widgets = {"timezone": TimeZoneInput}

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.hours = WorkingHoursFormSet(data, instance=self.instance, prefix="hours")
        self.holidays = HolidayFormSet(data, instance=self.instance, prefix="holidays")
        self.is_builtin = is_builtin_schedule(self.instance)
        if self.is_builtin:
            for name in ("is_always", "is_active"):
                self.fields[name].disabled = True
            self.fields["is_active"].help_text = (
                "The built-in 24/7 schedule stays active and around the clock; its name and "
                "time zone may change."
            )

    def clean(self):
        cleaned = super().clean()
        # Both tables are validated, so that every mistake shows at once.
        if not all([self.hours.is_valid(), self.holidays.is_valid()]):
            raise ValidationError(self.ROWS_REFUSED, code="rows")
        self.clean_has_working_hours(cleaned)
        self.clean_stays_active_while_in_use(cleaned)
        self.clean_the_clock_accepts_it(cleaned)
        return cleaned

    def clean_has_working_hours(self, cleaned):
        if not cleaned.get("is_always", True) and not self.hours.kept():
            self.add_error(None, self.NEEDS_HOURS)

    def clean_stays_active_while_in_use(self, cleaned):
        if not cleaned.get("is_active", True):
            refusal = schedule_deactivation_refusal(self.instance)
            if refusal is not None:
                self.add_error("is_active", refusal)

    def clean_the_clock_accepts_it(self, cleaned):
        if "timezone" not in cleaned:
            return
        weekly: dict[int, list[tuple[time, time]]] = {}
        for _form, row in self.hours.kept():
            weekly.setdefault(row["weekday"], []).append((row["start"], row["end"]))
        holidays = {row["date"]: row["name"] for _form, row in self.holidays.kept()}
        try:
            clock.Schedule(
                cleaned["timezone"],
                weekly,
                frozenset(holidays),
                name=cleaned.get("name") or "",
                holiday_names=holidays,
            )
        except ValueError as refusal:
            self.add_error(None, str(refusal))


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
