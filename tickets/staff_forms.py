"""Forms of the ticket view's actions. Each carries the ticket revision it was loaded at."""

from datetime import UTC

from django import forms
from django.forms.boundfield import BoundField
from django.utils import timezone

from accounts.models import Agent, Team
from helpdesk.widgets import QuickHiddenInput, QuickSelect, QuickTextarea
from sla.models import SLAPlan
from tickets import canned as canned_responses
from tickets import status as status_machine
from tickets import timing
from tickets.forms import AttachmentsMixin, OpenTicketForm, check_body_length
from tickets.models import Department, HelpTopic, Priority, Source
from tickets.selectors import (
    Directory,
    action_choices,
    canned_responses_for,
    staff_directory,
)
from tickets.status import Actor, Status


class ActionForm(forms.Form):
    revision = forms.IntegerField(widget=QuickHiddenInput)

    def __init__(self, *args, ticket, **kwargs):
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)
        self.ticket = ticket
        if not self.is_bound:
            self.initial["revision"] = ticket.revision
        for field in self.fields.values():
            # The action bar renders these fields itself (staff/_partials/action_inline.html).
            widget = field.widget
            if not widget.is_hidden and "class" not in widget.attrs:
                widget.attrs["class"] = (
                    "form-select" if isinstance(widget, forms.Select) else "form-control"
                )


def offer(field, choices) -> None:
    """Show the active ones of these choices (a short-lived copy, no query); the field's
    queryset still decides on a posted value, against the database as it is."""
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.choices = empty + [(c.pk, c.label) for c in choices if c.is_active]


class PriorityForm(ActionForm):
    prefix_name = "priority"
    priority = forms.TypedChoiceField(
        label="Priority", choices=Priority.choices, coerce=int, widget=QuickSelect
    )

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, ticket=ticket, **kwargs)
        self.initial.setdefault("priority", ticket.priority)


class SLAPlanForm(ActionForm):
    prefix_name = "sla"
    sla_plan = forms.ModelChoiceField(
        label="SLA Plan",
        queryset=SLAPlan.objects.none(),
        required=False,
        empty_label="— None —",
        widget=QuickSelect,
    )

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, ticket=ticket, **kwargs)
        self.fields["sla_plan"].queryset = SLAPlan.objects.filter(is_active=True)
        offer(self.fields["sla_plan"], action_choices().plans)
        self.initial.setdefault("sla_plan", ticket.sla_plan_id)


class DueTimeForm(ActionForm):
    prefix_name = "due"
    due_at = forms.DateTimeField(
        label="Manual resolution due time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Overrides the SLA plan's resolution due time, up to a year ahead; leave "
        "empty to use the plan's.",
    )

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, ticket=ticket, **kwargs)
        if ticket.due_override_at:
            try:
                self.initial.setdefault("due_at", timezone.localtime(ticket.due_override_at))
            except OverflowError:
                # Stored beyond what the local time zone can show (only a damaged row):
                # show its UTC wall-clock time rather than fail the whole page.
                self.initial.setdefault("due_at", timezone.make_naive(ticket.due_override_at, UTC))

    def clean_due_at(self):
        due_at = self.cleaned_data["due_at"]
        if due_at is not None:
            problem = timing.manual_due_problem(due_at, timezone.now())
            if problem:
                raise forms.ValidationError(problem)
        return due_at


class HelpTopicForm(ActionForm):
    prefix_name = "topic"
    help_topic = forms.ModelChoiceField(
        label="Help Topic", queryset=HelpTopic.objects.none(), widget=QuickSelect
    )

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, ticket=ticket, **kwargs)
        self.fields["help_topic"].queryset = HelpTopic.objects.filter(is_active=True)
        offer(self.fields["help_topic"], action_choices().topics)
        self.initial.setdefault("help_topic", ticket.help_topic_id)


class TransferForm(ActionForm):
    prefix_name = "transfer"
    department = forms.ModelChoiceField(
        label="Department", queryset=Department.objects.none(), widget=QuickSelect
    )

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, ticket=ticket, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True)
        offer(self.fields["department"], action_choices().departments)
        self.initial.setdefault("department", ticket.department_id)


class AssignForm(ActionForm):
    prefix_name = "assign"
    assignee = forms.ChoiceField(label="Assigned To", required=False, widget=QuickSelect)

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, ticket=ticket, **kwargs)
        choices = action_choices()
        self.fields["assignee"].choices = [
            ("", "— Unassigned —"),
            ("Agents", [(f"agent:{a.pk}", a.label) for a in choices.agents if a.is_active]),
            ("Teams", [(f"team:{t.pk}", t.label) for t in choices.teams if t.is_active]),
        ]
        if ticket.assignee_id:
            self.initial.setdefault("assignee", f"agent:{ticket.assignee_id}")
        elif ticket.team_id:
            self.initial.setdefault("assignee", f"team:{ticket.team_id}")

    def clean_assignee(self):
        # Offered from a short-lived copy: the chosen one is read now, and the service
        # refuses one made inactive meanwhile; one deleted meanwhile is no choice at all.
        kind, _, pk = self.cleaned_data["assignee"].partition(":")
        agent = team = None
        if kind == "agent":
            agent = Agent.objects.select_related("user").filter(pk=pk).first()
        elif kind == "team":
            team = Team.objects.filter(pk=pk).first()
        if kind and agent is None and team is None:
            raise forms.ValidationError(
                self.fields["assignee"].error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": self.cleaned_data["assignee"]},
            )
        self.cleaned_data["agent"], self.cleaned_data["team"] = agent, team
        return self.cleaned_data["assignee"]


def agent_moves(ticket) -> list[tuple[str, str]]:
    """The statuses an agent may move this ticket to, as the status machine declares."""
    targets = status_machine.targets_from(ticket.status, actor=Actor.AGENT)
    return [(status.value, status.label) for status in targets]


class StatusForm(ActionForm):
    """The ticket's status now, and the moves the machine allows an agent from it."""

    prefix_name = "status"
    status = forms.ChoiceField(label="Status", widget=QuickSelect)

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, ticket=ticket, **kwargs)
        current = Status(ticket.status)
        self.fields["status"].choices = [(current.value, current.label), *agent_moves(ticket)]
        self.initial.setdefault("status", ticket.status)


class CannedResponseSelect(QuickSelect):
    """Options carry their response's text; static/js/forms.js inserts it into the box."""

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies = bodies or {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in self.bodies:
            option["attrs"]["data-body"] = self.bodies[str(value)]
        return option


class ComposerBoundField(BoundField):
    """A composer field's widget marked invalid (Bootstrap's is-invalid) when the field has
    errors, as crispy-forms marked it (staff/_partials/composer_fields.html)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.errors and not widget.is_hidden:
            attrs["class"] = f"{attrs.get('class', widget.attrs.get('class', ''))} is-invalid"
        return attrs


class ComposerForm(AttachmentsMixin, ActionForm):
    """A reply or a note: text and files, rendered by staff/_partials/composer_fields.html."""

    bound_field_class = ComposerBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The classes crispy-forms gave these widgets: the form control's and the widget's kind.
        self.fields["body"].widget.attrs["class"] = "form-control textarea"
        self.fields["kept_uploads"].widget = QuickHiddenInput()


class ResponseForm(ComposerForm):
    prefix_name = "reply"
    canned = forms.ChoiceField(label="Canned Response", required=False, widget=QuickSelect)
    body = forms.CharField(
        label="Response",
        widget=QuickTextarea(attrs={"rows": 6}),
        error_messages={"required": "Write the response before posting it."},
    )
    status = forms.ChoiceField(label="Ticket Status", required=False, widget=QuickSelect)

    field_order = ["canned", "body", "status", "attachments"]

    def __init__(self, *args, ticket, agent=None, **kwargs):
        super().__init__(*args, ticket=ticket, **kwargs)
        self.fields["status"].choices = [("", "— Keep the status —"), *agent_moves(ticket)]
        canned = canned_responses_for(ticket.department_id)
        if canned:
            field = self.fields["canned"]
            field.choices = [("", "— Insert a canned response —")] + [
                (str(c.pk), c.title) for c in canned
            ]
            bodies, unknown = {}, []
            for response in canned:
                # Filled for this ticket and agent; a variable that does not exist is left
                # out and named below the list, never inserted as it is.
                text = (
                    canned_responses.fill(response.body, ticket, agent) if agent else response.body
                )
                for variable in canned_responses.unknown_variables(text):
                    unknown.append(f"{variable} in “{response.title}”")
                    text = text.replace(variable, "")
                bodies[str(response.pk)] = text
            if unknown:
                field.help_text = f"Unknown variables left out: {', '.join(unknown)}."
            field.widget = CannedResponseSelect(
                choices=field.choices,
                bodies=bodies,
                attrs={
                    "data-canned-target": self["body"].auto_id,
                    "class": "form-select cannedresponseselect",
                },
            )
        else:
            del self.fields["canned"]

    def clean_body(self):
        return check_body_length(self.cleaned_data["body"])


class NoteForm(ComposerForm):
    prefix_name = "note"
    body = forms.CharField(
        label="Internal Note",
        widget=QuickTextarea(attrs={"rows": 4}),
        error_messages={"required": "Write the note before posting it."},
    )

    field_order = ["body", "attachments"]

    def clean_body(self):
        return check_body_length(self.cleaned_data["body"])


class NewTicketForm(OpenTicketForm):
    """An agent opens a ticket for a user: any active topic they may create in, a source."""

    source = forms.ChoiceField(
        label="Source",
        choices=[(s.value, s.label) for s in Source if s not in (Source.WEB, Source.API)],
        initial=Source.PHONE,
    )

    field_order = [
        "email",
        "full_name",
        "phone",
        "source",
        "help_topic",
        "subject",
        "body",
        "attachments",
    ]

    def __init__(self, *args, departments: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["help_topic"].queryset = HelpTopic.objects.filter(
            is_active=True, department_id__in=departments
        ).select_related("department")
        self.fields["help_topic"].label_from_instance = lambda t: f"{t.name} ({t.department})"


class BulkActionForm(forms.Form):
    """Selected tickets of a queue page and one change for all of them."""

    tickets = forms.MultipleChoiceField(
        label="Selected tickets",
        error_messages={"required": "Tick at least one ticket, then choose a change."},
    )
    change = forms.ChoiceField(
        label="With selected",
        # Every agent, team, department, status and priority: the same <select> as Django's,
        # without a template render per option (helpdesk.widgets).
        widget=QuickSelect,
        error_messages={
            "required": "Choose a change to make to the ticked tickets.",
            "invalid_choice": "That change is no longer offered: choose another.",
        },
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
    # Set by the confirmation page: closing or resolving many tickets is asked about first.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, directory: Directory | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        directory = directory or staff_directory()
        agents = [a for a in directory.agents if a.user.is_active]
        teams = [t for t in directory.teams if t.is_active]
        departments = [d for d in directory.departments if d.is_active]
        self._targets = {
            **{f"assign:agent:{a.pk}": ("assign", a) for a in agents},
            **{f"assign:team:{t.pk}": ("assign", t) for t in teams},
            "assign:none": ("assign", None),
            **{f"transfer:{d.pk}": ("transfer", d) for d in departments},
            **{f"status:{s.value}": ("status", s.value) for s in Status},
            **{f"priority:{p.value}": ("priority", p.value) for p in Priority},
        }
        self.fields["change"].choices = [
            ("", "— Choose a change —"),
            (
                "Assign to",
                [("assign:none", "Nobody")]
                + [(f"assign:agent:{a.pk}", a.user.display_name) for a in agents]
                + [(f"assign:team:{t.pk}", f"Team {t.name}") for t in teams],
            ),
            ("Transfer to", [(f"transfer:{d.pk}", d.name) for d in departments]),
            ("Set status", [(f"status:{s.value}", s.label) for s in Status]),
            ("Set priority", [(f"priority:{p.value}", p.label) for p in Priority]),
        ]
        self.fields["change"].widget.attrs["class"] = "form-select form-select-sm"
        # Any number may be posted; the service refuses those the agent cannot see.
        self.fields["tickets"].choices = [(n, n) for n in self.data.getlist("tickets")]

    def clean_tickets(self):
        numbers = self.cleaned_data["tickets"]
        if len(numbers) > 200:
            raise forms.ValidationError("Choose at most 200 tickets at once.")
        if not all(
            number.isascii() and number.isdigit() and len(number) <= 20 for number in numbers
        ):
            raise forms.ValidationError("A ticket number is digits only.")
        return numbers

    @property
    def problem(self) -> str:
        """What is wrong, in one sentence: the tickets first, then the change."""
        for name in ("tickets", "change"):
            if name in self.errors:
                return self.errors[name][0]
        return "Tick at least one ticket, then choose a change."

    @property
    def action(self) -> tuple[str, object]:
        return self._targets[self.cleaned_data["change"]]

    @property
    def needs_confirmation(self) -> bool:
        """A change that ends tickets (close, resolve), not yet confirmed."""
        action, value = self.action
        return (
            action == "status" and status_machine.ends(value) and not self.cleaned_data["confirmed"]
        )

    @property
    def confirm_verb(self) -> str:
        """The confirmation's verb: "Close", "Resolve"."""
        return status_machine.ending_verb(self.action[1])
