"""The portal's form fields drawn as crispy's Bootstrap 5 pack draws them, from one template.

Crispy renders each field through a dozen nested templates: on "Open a New Ticket" that was
30 of the page's 49 ms, paid by everybody who opens a ticket. `portal/_partials/field.html`
gives the same markup (labels, help texts, Django's aria attributes, the error classes)
with one include per field and this one tag for the input.
"""

from django import forms, template

register = template.Library()


@register.simple_tag
def bootstrap_input(field) -> str:
    """The field's input with crispy's classes: its widget's name and form-control (a
    select's form-select), and is-invalid while the field has errors."""
    widget = field.field.widget
    if isinstance(widget, forms.FileInput):
        classes = ["form-control"]
    elif isinstance(widget, forms.Select):
        classes = [type(widget).__name__.lower(), "form-select"]
    else:
        classes = [type(widget).__name__.lower(), "form-control"]
    if field.errors:
        classes.append("is-invalid")
    return field.as_widget(attrs={"class": " ".join(classes)})
