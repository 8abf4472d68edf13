"""Forms of the admin panel's ticket sections: departments, help topics, canned responses,
and the permission explainer's ticket lookup."""

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Team
from accounts.selectors import active_agents
from helpdesk.admin_panel.forms import AdminForm, UniqueNameMixin, active_or_current
from sla.models import SLAPlan
from tickets import canned
from tickets.models import CannedResponse, Department, HelpTopic, Ticket


class DepartmentForm(UniqueNameMixin, AdminForm, forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "manager", "sla_plan", "is_public", "is_active", "weekly_summary"]
        labels = {
            "name": "Name",
            "manager": "Manager",
            "sla_plan": "Default SLA Plan",
            "is_public": "Public",
            "is_active": "Active",
            "weekly_summary": "Weekly summary",
        }
        help_texts = {
            "sla_plan": "Tickets of this department whose help topic has no plan get this one.",
            "is_public": "End users may choose it on the portal.",
            "weekly_summary": "Email the manager last week's figures every Monday at 07:00 in "
            "their time zone, counting only the tickets they can see.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = active_agents(self.instance.manager_id)
        self.fields["sla_plan"].queryset = active_or_current(
            SLAPlan.objects.all(), self.instance.sla_plan_id
        )


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
            "survey_enabled",
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
            "survey_enabled": "Ask for a rating when resolved",
        }
        help_texts = {
            "is_public": "End users may choose it on the portal's form.",
            "sla_plan": "Leave empty to use the department's default plan.",
            "auto_assign_team": "New tickets go to this agent or this team; choose at most one.",
            "survey_enabled": "The resolved notice and the portal ask the requester "
            "“How did we do?”.",
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
        known = ", ".join(f"%{{{name}}}" for name in canned.VARIABLES)
        self.fields["body"].help_text = f"Variables filled in when it is inserted: {known}."

    def clean_body(self):
        body = self.cleaned_data["body"]
        unknown = canned.unknown_variables(body)
        if unknown:
            verb = "is not a variable" if len(unknown) == 1 else "are not variables"
            known = ", ".join(f"%{{{name}}}" for name in canned.VARIABLES)
            raise ValidationError(
                f"{', '.join(unknown)} {verb}; use {known}.", code="unknown_variable"
            )
        return body
