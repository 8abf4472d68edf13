"""helpdesk.widgets' quick widgets write exactly the HTML of Django's own templates."""

import pytest
from django import forms

from helpdesk.widgets import QuickHiddenInput, QuickSelect, QuickTextarea

CHOICES = [
    ("", "— None —"),
    ("Agents", [("agent:1", "Jane <Cooper> & Co"), ("agent:2", 'Say "hi"')]),
    ("Teams", [("team:3", "Level 2")]),
    (4, "Plain"),
]


@pytest.mark.parametrize("value", ["", "agent:2", 4, None])
@pytest.mark.parametrize(
    "attrs",
    [{}, {"class": "form-select", "required": True, "disabled": False, "data-x": 'a"b\n<c>'}],
)
def test_a_quick_select_writes_what_djangos_select_writes(value, attrs):
    quick = QuickSelect(attrs=attrs, choices=CHOICES).render("assign-assignee", value)
    django = forms.Select(attrs=attrs, choices=CHOICES).render("assign-assignee", value)

    assert quick == django


@pytest.mark.parametrize("value", [None, "", 0, 17, 'a"b<c>'])
def test_a_quick_hidden_input_writes_what_djangos_writes(value):
    attrs = {"id": "id_reply-revision", "data-on": True, "off": False}

    quick = QuickHiddenInput(attrs=attrs).render("reply-revision", value)
    django = forms.HiddenInput(attrs=attrs).render("reply-revision", value)

    assert quick == django


@pytest.mark.parametrize("value", [None, "", "Dear <Karen>,\n\n  thanks & bye"])
def test_a_quick_textarea_writes_what_djangos_writes(value):
    attrs = {"rows": 6, "class": "form-control textarea", "required": True}

    quick = QuickTextarea(attrs=attrs).render("reply-body", value)
    django = forms.Textarea(attrs=attrs).render("reply-body", value)

    assert quick == django
