"""Administrators reword the notices, preview them with a sample ticket, and switch them off;
a wording that does not render is refused with the reason, and what was typed is kept."""

from django.urls import reverse

from helpdesk.mail.models import EmailTemplate
from tests.admin_panel.pages import messages_of


def edit_url(key: str) -> str:
    return reverse("admin-panel:email-template-edit", args=[EmailTemplate.objects.get(key=key).pk])


def wording(**changes) -> dict:
    data = {
        "subject": "Got it: {{ ticket.subject }}",
        "text_body": "Hello {{ recipient.name }}, ticket {{ ticket.number }} is open.",
        "html_body": "",
        "is_enabled": "on",
    }
    data.update(changes)
    return data


def test_every_notice_is_listed_with_whom_it_goes_to(as_admin):
    page = as_admin.get(reverse("admin-panel:email-template-list")).content.decode()

    for name in [
        "New ticket auto-response",
        "Response to the end user",
        "Resolved notice",
        "New ticket alert",
        "New message alert",
        "Internal note alert",
        "Assignment alert",
        "Transfer alert",
        "Overdue alert",
        "SLA warning",
        "New agent invitation",
        "Weekly summary",
    ]:
        assert name in page
    assert "New Email Template" not in page  # notices come from the apps, not the panel


def test_a_new_wording_is_saved_and_used(as_admin, karen, outage_topic):
    response = as_admin.post(edit_url("ticket.autoresponse"), wording())

    assert response.status_code == 302
    assert messages_of(response) == ["Email Template “New ticket auto-response” was saved."]
    template = EmailTemplate.objects.get(key="ticket.autoresponse")
    assert template.subject == "Got it: {{ ticket.subject }}"


def test_preview_renders_with_a_sample_ticket_and_saves_nothing(as_admin):
    response = as_admin.post(edit_url("ticket.autoresponse"), wording(preview="1"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Got it: Printer on the third floor jams" in page
    assert "Hello Karen Taylor, ticket 482913 is open." in page
    assert EmailTemplate.objects.get(key="ticket.autoresponse").subject.startswith("We received")


def test_the_preview_shows_markup_in_a_wording_as_text(as_admin):
    # Another admin's wording must not run in the page of whoever previews it.
    markup = '</pre><img src=x onerror=alert(1)>" onload="alert(2)'
    response = as_admin.post(
        edit_url("ticket.resolved"),
        wording(
            subject=f"Done {markup}", text_body=markup, html_body=f"<p>{markup}</p>", preview="1"
        ),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<img src=x" not in page
    assert 'onload="alert(2)' not in page
    assert "&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_weekly_summary_previews_with_sample_figures(as_admin):
    template = EmailTemplate.objects.get(key="agent.weekly_summary")
    data = {
        "subject": template.subject,
        "text_body": template.text_body,
        "html_body": template.html_body,
        "is_enabled": "on",
        "preview": "1",
    }

    response = as_admin.post(edit_url("agent.weekly_summary"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Weekly summary for Support: Mon 7 Dec 2026 to Sun 13 Dec 2026" in page
    assert "First responses on time: 90 % (36 of 40)" in page
    assert "Median time to resolution: 6 h 40 min" in page
    assert "https://helpdesk.example.com/scp/dashboard/?period=range" in page


def test_a_wording_that_does_not_render_is_refused_beside_its_field_and_kept(as_admin):
    broken = "Hello {% if recipient.name %}{{ recipient.name }}"

    response = as_admin.post(edit_url("ticket.autoresponse"), wording(text_body=broken))

    assert response.status_code == 200
    form = response.context["form"]
    [error] = form.errors["text_body"]
    assert error.startswith("The plain-text body does not render:")
    assert "endif" in error
    assert "Nothing was saved." in error
    assert form["text_body"].value() == broken
    assert EmailTemplate.objects.get(key="ticket.autoresponse").text_body != broken


def test_an_unknown_tag_is_refused_with_the_reason(as_admin):
    response = as_admin.post(edit_url("ticket.response"), wording(subject="{% load secrets %}Hi"))

    [error] = response.context["form"].errors["subject"]
    assert "The subject does not render" in error
    assert "secrets" in error


def test_switching_a_notice_off_and_on(as_admin):
    template = EmailTemplate.objects.get(key="ticket.resolved")

    as_admin.post(reverse("admin-panel:email-template-deactivate", args=[template.pk]))
    template.refresh_from_db()
    assert template.is_enabled is False
    as_admin.post(reverse("admin-panel:email-template-reactivate", args=[template.pk]))
    template.refresh_from_db()
    assert template.is_enabled is True


def test_a_variable_left_open_is_refused_instead_of_sent_as_it_is(as_admin):
    response = as_admin.post(
        edit_url("ticket.autoresponse"), wording(subject="Got it: {{ ticket.subject")
    )

    [error] = response.context["form"].errors["subject"]
    assert error == (
        "The subject does not render: “{{” is never closed with “}}”. Nothing was saved."
    )
