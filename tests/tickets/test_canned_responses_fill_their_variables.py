"""Canned responses fill their variables (osTicket's %{...} names) for the ticket and the
agent; an unknown variable is refused when saved and never inserted as it is."""

from django.urls import reverse

from tickets.models import CannedResponse
from tickets.staff_forms import ResponseForm


def options(form) -> dict[str, str]:
    return form.fields["canned"].widget.bodies


def test_variables_are_filled_for_the_ticket_and_the_agent(john, karens_ticket):
    john.signature = "John, Support"
    canned = CannedResponse.objects.create(
        title="Received",
        body="Hello %{recipient.name}, ticket #%{ticket.number} (%{ticket.subject}) is with "
        "%{agent.name} now.\n%{signature}",
    )

    form = ResponseForm(ticket=karens_ticket, agent=john)

    assert options(form)[str(canned.pk)] == (
        f"Hello Karen Taylor, ticket #{karens_ticket.number} (Entire mobile online banking is "
        "down) is with John Miller now.\nJohn, Support"
    )


def test_an_unknown_variable_is_left_out_and_reported_to_the_agent(john, karens_ticket):
    canned = CannedResponse.objects.create(title="Old", body="Dear %{user.fullname}, done.")

    form = ResponseForm(ticket=karens_ticket, agent=john)

    assert options(form)[str(canned.pk)] == "Dear , done."
    assert form.fields["canned"].help_text == (
        "Unknown variables left out: %{user.fullname} in “Old”."
    )


def test_an_administrator_cannot_save_a_response_with_an_unknown_variable(as_admin):
    response = as_admin.post(
        reverse("admin-panel:canned-create"),
        {"title": "Typo", "body": "Ticket %{ticket.numbr}", "is_active": "on"},
    )

    assert response.status_code == 200
    [error] = response.context["form"].errors["body"]
    assert error.startswith("%{ticket.numbr} is not a variable; use %{ticket.number},")
    assert not CannedResponse.objects.filter(title="Typo").exists()
