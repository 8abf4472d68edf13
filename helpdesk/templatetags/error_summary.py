from dataclasses import dataclass

from django import template

register = template.Library()


@dataclass(frozen=True)
class Problem:
    text: str
    field_id: str = ""  # the field it belongs to, to link to; "" for the form as a whole
    label: str = ""  # that field's label


@register.simple_tag
def problems_of(form) -> list[Problem]:
    """What is wrong with a bound form, in the order people read it: the form's own
    errors, then each visible field's (hidden fields' errors are the form's own)."""
    if form is None or not getattr(form, "errors", None):
        return []
    found = [Problem(str(error)) for error in form.non_field_errors()]
    for field in form:
        if field.errors:
            text = " ".join(str(error) for error in field.errors)
            if field.is_hidden:
                found.append(Problem(text))
            else:
                found.append(Problem(text, field.auto_id, str(field.label)))
    return found
