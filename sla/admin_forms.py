"""Forms of the admin panel's SLA sections: plans, and schedules with their hours and holidays.

Each form says what it refuses in a `clean_<field>` or `clean` named for the rule; the
writes are sla.services functions, given the cleaned values (sla.admin_panel).
"""

from datetime import time

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, inlineformset_factory

from helpdesk.admin_panel.forms import AdminForm, UniqueNameMixin, active_or_current
from helpdesk.widgets import TimeZoneInput
from sla import clock
from sla.models import Holiday, Schedule, SLAPlan, Weekday, WorkingHours
from sla.services import (
    builtin_schedule_pk,
    is_builtin_schedule,
    plan_schedule_refusal,
    schedule_deactivation_refusal,
)


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
            clock.Calendar(
                cleaned["timezone"],
                weekly,
                frozenset(holidays),
                name=cleaned.get("name") or "",
                holiday_names=holidays,
            )
        except ValueError as refusal:
            self.add_error(None, str(refusal))

    def working_hours(self) -> list[tuple]:
        """The (weekday, start, end) rows to save, after validation."""
        return [(row["weekday"], row["start"], row["end"]) for _form, row in self.hours.kept()]

    def holiday_rows(self) -> list[tuple]:
        """The (date, name) rows to save, after validation."""
        return [(row["date"], row["name"]) for _form, row in self.holidays.kept()]
