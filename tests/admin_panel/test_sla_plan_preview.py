"""Previewing a plan change: what saving would do to the plan's open tickets, saving nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.admin_panel.pages import form_data, shown_values
from tickets.models import Department, Ticket
from tickets.status import Status

SUMMARY = (
    "4 open tickets use this plan. With these changes: 3 would change due time, 1 would "
    "become overdue (1 is overdue now)."
)


def edit_url(plan):
    return reverse("admin-panel:sla-plan-edit", args=[plan.pk])


def ticket(plan, subject, *, age_hours, status=Status.OPEN, department=None, **fields):
    """A ticket of the plan created `age_hours` ago, first answered within its 2-hour target,
    with the due times 24/7 gives it (2 h and 8 h from creation) unless told otherwise.
    In Support (the admin's department) unless told otherwise."""
    department = department or Department.objects.get(name="Support")
    made = factories.TicketFactory(
        sla_plan=plan, subject=subject, status=status, department=department
    )
    created = timezone.now().replace(microsecond=0) - timedelta(hours=age_hours)
    values = {
        "created_at": created,
        "first_responded_at": created + timedelta(minutes=30),
        "first_response_due_at": created + timedelta(hours=2),
        "resolution_due_at": created + timedelta(hours=8),
        **fields,
    }
    Ticket.objects.filter(pk=made.pk).update(**values)
    made.refresh_from_db()
    return made


@pytest.fixture
def tickets(sev_c, sev_a, support):
    """Sev-C's tickets (24/7, 2 h and 8 h) at different stages, and two that do not count."""
    in_two_days = timezone.now().replace(microsecond=0) + timedelta(days=2)
    return {
        # Due in 2 h; with a 4-hour target, 2 h ago.
        "six_hours_old": ticket(sev_c, "Printer on fire", age_hours=6),
        # Due in 7 h; with a 4-hour target, in 3 h.
        "one_hour_old": ticket(sev_c, "New laptop", age_hours=1),
        # An agent's own due time wins over the plan's: nothing moves.
        "set_by_hand": ticket(
            sev_c,
            "Contract renewal",
            age_hours=1,
            due_override_at=in_two_days,
            resolution_due_at=in_two_days,
        ),
        # Overdue already; earlier still with the new target.
        "overdue": ticket(sev_c, "VPN down", age_hours=10, is_overdue=True),
        "closed": ticket(sev_c, "Old question", age_hours=30, status=Status.CLOSED),
        "other_plan": ticket(sev_a, "Outage", age_hours=6),
    }


def preview(client, plan, **changes):
    url = edit_url(plan)
    form = client.get(url).context["form"]
    return client.post(url, form_data(form, preview="1", **changes))


def test_the_edit_page_offers_a_preview_next_to_save(as_admin, sev_c):
    page = as_admin.get(edit_url(sev_c)).content.decode()

    assert '<button type="submit" class="btn btn-primary">Save</button>' in page
    assert ">Preview changes</button>" in page


def test_a_new_plan_has_nothing_to_preview(as_admin):
    assert ">Preview changes</button>" not in (
        as_admin.get(reverse("admin-panel:sla-plan-create")).content.decode()
    )


def test_the_preview_counts_the_open_tickets_a_shorter_target_would_move(as_admin, sev_c, tickets):
    response = preview(as_admin, sev_c, resolution_hours="4")

    assert response.status_code == 200
    result = response.context["preview"]
    assert (result.open_tickets, result.changed, result.newly_overdue, result.overdue_now) == (
        4,
        3,
        1,
        1,
    )
    page = response.content.decode()
    assert SUMMARY in page
    assert page.index(SUMMARY) < page.index('<form method="post" novalidate')


def test_the_preview_lists_the_affected_tickets_with_both_due_times(as_admin, sev_c, tickets):
    response = preview(as_admin, sev_c, resolution_hours="4")

    rows = {row.number: row for row in response.context["preview"].examples}
    moved = ["six_hours_old", "one_hour_old", "overdue"]
    assert set(rows) == {tickets[key].number for key in moved}
    printer = tickets["six_hours_old"]
    row = rows[printer.number]
    assert row.due_before == printer.resolution_due_at
    assert row.due_after == printer.created_at + timedelta(hours=4)
    assert row.overdue_after
    assert not rows[tickets["one_hour_old"].number].overdue_after
    page = response.content.decode()
    for key in moved:
        assert f"#{tickets[key].number}</a>" in page
        assert tickets[key].subject in page
    for key in ["set_by_hand", "closed", "other_plan"]:
        assert f"#{tickets[key].number}" not in page
    assert page.count(">Overdue</span>") == 2


def test_the_preview_saves_nothing_and_keeps_what_was_typed(as_admin, sev_c, tickets):
    before = {t.pk: (t.resolution_due_at, t.is_overdue) for t in Ticket.objects.all()}

    response = preview(as_admin, sev_c, resolution_hours="4", warning_percent="50")

    sev_c.refresh_from_db()
    assert (sev_c.resolution_hours, sev_c.warning_percent) == (Decimal(8), None)
    assert {t.pk: (t.resolution_due_at, t.is_overdue) for t in Ticket.objects.all()} == before
    shown = shown_values(response)
    assert shown["resolution_hours"] == ["4"]
    assert shown["warning_percent"] == ["50"]
    assert "Nothing has been saved yet" in response.content.decode()


def test_unchanged_targets_move_nothing(as_admin, sev_c, tickets):
    result = preview(as_admin, sev_c).context["preview"]

    assert (result.open_tickets, result.changed, result.newly_overdue) == (4, 0, 0)
    assert result.examples == []


def test_a_plan_without_open_tickets_says_so(as_admin, sev_c):
    response = preview(as_admin, sev_c, resolution_hours="4")

    assert (
        "0 open tickets use this plan. With these changes: 0 would change due time, 0 would "
        "become overdue (0 are overdue now)."
    ) in response.content.decode()


def test_an_invalid_change_shows_its_errors_and_no_preview(as_admin, sev_c, tickets):
    response = preview(as_admin, sev_c, first_response_hours="9", resolution_hours="4")

    assert response.status_code == 200
    assert "preview" not in response.context
    assert response.context["form"].errors["first_response_hours"]
    sev_c.refresh_from_db()
    assert sev_c.resolution_hours == Decimal(8)


def test_save_still_saves(as_admin, sev_c, tickets):
    url = edit_url(sev_c)
    form = as_admin.get(url).context["form"]

    response = as_admin.post(url, form_data(form, resolution_hours="4"))

    assert response.status_code == 302
    sev_c.refresh_from_db()
    assert sev_c.resolution_hours == Decimal(4)


def test_saving_does_what_the_preview_said(as_admin, sev_c, tickets):
    url = edit_url(sev_c)
    form = as_admin.get(url).context["form"]
    shown = preview(as_admin, sev_c, resolution_hours="4").context["preview"]

    as_admin.post(url, form_data(form, resolution_hours="4"))

    for row in shown.examples:
        after = Ticket.objects.get(number=row.number)
        assert after.resolution_due_at == row.due_after
    untouched = Ticket.objects.get(pk=tickets["closed"].pk)
    assert untouched.resolution_due_at == tickets["closed"].resolution_due_at
    by_hand = Ticket.objects.get(pk=tickets["set_by_hand"].pk)
    assert by_hand.resolution_due_at == tickets["set_by_hand"].due_override_at


def test_a_ticket_outside_the_admins_departments_is_counted_but_its_subject_withheld(
    as_admin, sev_c, online_banking
):
    hidden = ticket(sev_c, "Secret merger", age_hours=6, department=online_banking)

    response = preview(as_admin, sev_c, resolution_hours="4")

    [row] = response.context["preview"].examples
    assert (row.number, row.subject) == (hidden.number, None)
    page = response.content.decode()
    assert "Secret merger" not in page
    assert "(outside your departments)" in page
