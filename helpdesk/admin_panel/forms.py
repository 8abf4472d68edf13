"""What every section's form shares."""

from crispy_forms.helper import FormHelper
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet


def active_or_current(queryset: QuerySet, current_pk, *, active_field: str = "is_active"):
    """Active choices, plus the one already chosen: editing must not drop a retired value."""
    return queryset.filter(Q(**{active_field: True}) | Q(pk=current_pk))


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
