from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower


class SLAPlan(models.Model):
    """Service targets: how soon a ticket must be first answered and resolved.

    Schedules (business hours, holidays) arrive with the SLA issue; until then targets
    are plain hours.
    """

    name = models.CharField(max_length=64)
    first_response_hours = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    resolution_hours = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
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
        ]

    def __str__(self):
        return self.name
