from datetime import time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from helpdesk.validators import validate_timezone  # also named here by migration sla 0002
from sla import clock


class Schedule(models.Model):
    """When the SLA clock runs: a time zone, weekly working hours and holidays.

    A schedule marked `is_always` runs around the clock ("24/7") and ignores its hours.
    """

    name = models.CharField(max_length=64)
    timezone = models.CharField(
        "time zone", max_length=64, default="UTC", validators=[validate_timezone]
    )
    is_always = models.BooleanField(
        "24/7", default=False, help_text="Counts every minute; working hours are not used."
    )
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="schedule_name_ci_unique",
                violation_error_message="A schedule with this name already exists.",
            )
        ]

    def __str__(self):
        return self.name

    def to_clock(self) -> clock.Calendar:
        """This schedule as the clock knows it; reads its hours and holidays once."""
        if self.is_always:
            return clock.Calendar.always(self.timezone)
        weekly: dict[int, list[tuple[time, time]]] = {}
        for hours in self.hours.all():
            weekly.setdefault(hours.weekday, []).append((hours.start, hours.end))
        holidays = {holiday.date: holiday.name for holiday in self.holidays.all()}
        return clock.Calendar(
            self.timezone,
            weekly,
            frozenset(holidays),
            name=self.name,
            holiday_names=holidays,
        )


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WorkingHours(models.Model):
    """One working interval of a weekday, in the schedule's local time; 00:00 as end = midnight."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday)
    start = models.TimeField()
    end = models.TimeField(help_text="00:00 means midnight, the end of the day.")

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name_plural = "working hours"

    def __str__(self):
        end = "24:00" if self.end == time(0) else f"{self.end:%H:%M}"
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{end}"

    def clean(self):
        if None not in (self.start, self.end) and self.end != time(0) and self.end <= self.start:
            raise ValidationError({"end": "The interval must end after it starts."})


class Holiday(models.Model):
    """A whole local day of the schedule with no working time."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField()
    name = models.CharField(max_length=64)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "date"],
                name="holiday_one_per_day",
                violation_error_message="This schedule already has a holiday on that day.",
            )
        ]

    def __str__(self):
        return f"{self.date:%a %d %b %Y} ({self.name})"


class SLAPlan(models.Model):
    """Service targets: how soon a ticket must be first answered and resolved, in working
    hours of the plan's schedule."""

    name = models.CharField(max_length=64)
    schedule = models.ForeignKey(
        Schedule,
        on_delete=models.PROTECT,
        related_name="plans",
        help_text="The hours the targets count in.",
    )
    first_response_hours = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    resolution_hours = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    warning_percent = models.PositiveSmallIntegerField(
        "warn at (% of target)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text="Alert once this share of a target has passed; empty for no warning.",
    )
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "SLA plan"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="sla_plan_name_ci_unique",
                violation_error_message="An SLA plan with this name already exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(first_response_hours__gt=0, resolution_hours__gt=0),
                name="sla_plan_targets_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(first_response_hours__lte=models.F("resolution_hours")),
                name="sla_plan_first_response_within_resolution",
                violation_error_message="The first response cannot be due after the resolution.",
            ),
            models.CheckConstraint(
                condition=models.Q(warning_percent__isnull=True)
                | models.Q(warning_percent__gte=1, warning_percent__lte=99),
                name="sla_plan_warning_percent_range",
            ),
        ]

    def __str__(self):
        return self.name
