"""Schedules: list, create, edit with working hours and holidays; what the clock refuses."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from sla.models import Schedule
from tests import factories
from tests.admin_panel.pages import form_data, labels, messages_of, shown_values
from tickets.models import Ticket

LIST = reverse("admin-panel:schedule-list")
CREATE = reverse("admin-panel:schedule-create")
HOURS = ("weekday", "start", "end")
HOLIDAYS = ("date", "name")


def edit_url(schedule):
    return reverse("admin-panel:schedule-edit", args=[schedule.pk])


def rows(prefix: str, fields: tuple, items: list) -> dict:
    """A formset of new rows as the browser sends it."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(items)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, values in enumerate(items):
        data.update({f"{prefix}-{index}-{name}": v for name, v in zip(fields, values, strict=True)})
    return data


def new_schedule(name="Business hours", timezone="Europe/Berlin", hours=(), holidays=(), **more):
    return {
        "name": name,
        "timezone": timezone,
        "is_active": "on",
        **rows("hours", HOURS, list(hours)),
        **rows("holidays", HOLIDAYS, list(holidays)),
        **more,
    }


WEEKDAYS_9_TO_5 = [(day, "09:00", "17:00") for day in range(5)]


def intervals(schedule) -> list[tuple[int, time, time]]:
    return [(h.weekday, h.start, h.end) for h in schedule.hours.order_by("weekday", "start")]


@pytest.fixture
def office(db):
    """Berlin office hours, Monday split around lunch, with Christmas off."""
    office = factories.ScheduleFactory(name="Berlin office", timezone="Europe/Berlin")
    factories.WorkingHoursFactory(schedule=office, weekday=0, start=time(9), end=time(12))
    factories.WorkingHoursFactory(schedule=office, weekday=0, start=time(13), end=time(17))
    factories.WorkingHoursFactory(schedule=office, weekday=1, start=time(9), end=time(17))
    factories.HolidayFactory(schedule=office, date=date(2026, 12, 25), name="Christmas Day")
    return office


def test_the_list_shows_schedules_by_name_with_zone_and_hours(as_admin, office):
    page = as_admin.get(LIST).content.decode()

    assert page.index("24/7") < page.index("Berlin office")
    assert "<td>Europe/Berlin</td>" in page
    assert "Berlin office (Mon 09:00–12:00, 13:00–17:00; Tue 09:00–17:00)" in page
    assert "<td>UTC</td>" in page
    assert "New Schedule" in page


def test_the_admin_menu_links_schedules_next_to_sla_plans(as_admin):
    page = as_admin.get(reverse("admin-panel:home")).content.decode()

    menu = page[page.index('aria-label="Admin Panel"') :]
    assert menu.index(">SLA Plans</a>") < menu.index(">Schedules</a>") < menu.index(">Roles</a>")


def test_the_form_labels_its_fields_as_people_expect(as_admin):
    response = as_admin.get(CREATE)

    assert labels(response)[:4] == ["Name", "Time Zone", "24/7", "Active"]
    assert "Day (working hours row 1)" in labels(response)
    assert "Date (holidays row 1)" in labels(response)
    page = response.content.decode()
    assert 'list="time-zone-names"' in page
    assert '<option value="Europe/Berlin">' in page


def test_an_administrator_creates_a_schedule_with_split_hours_and_a_holiday(as_admin):
    response = as_admin.post(
        CREATE,
        new_schedule(
            hours=[(0, "09:00", "12:00"), (0, "13:00", "17:00"), (4, "09:00", "15:00")],
            holidays=[("2026-12-24", "Christmas Eve")],
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == LIST
    assert messages_of(response) == ["Schedule “Business hours” was created."]
    schedule = Schedule.objects.get(name="Business hours")
    assert (schedule.timezone, schedule.is_always, schedule.is_active) == (
        "Europe/Berlin",
        False,
        True,
    )
    assert intervals(schedule) == [
        (0, time(9), time(12)),
        (0, time(13), time(17)),
        (4, time(9), time(15)),
    ]
    assert [(h.date, h.name) for h in schedule.holidays.all()] == [
        (date(2026, 12, 24), "Christmas Eve")
    ]


def test_blank_rows_add_nothing(as_admin):
    response = as_admin.post(
        CREATE, new_schedule(hours=[(0, "09:00", "17:00"), ("", "", "")], holidays=[("", "")])
    )

    assert response.status_code == 302
    schedule = Schedule.objects.get(name="Business hours")
    assert intervals(schedule) == [(0, time(9), time(17))]
    assert not schedule.holidays.exists()


def test_an_interval_ending_at_00_00_runs_to_midnight(as_admin):
    response = as_admin.post(CREATE, new_schedule(hours=[(5, "18:00", "00:00")]))

    assert response.status_code == 302
    schedule = Schedule.objects.get(name="Business hours")
    assert intervals(schedule) == [(5, time(18), time(0))]
    assert "Sat 18:00–24:00" in schedule.to_clock().describe()


def test_a_24_7_schedule_needs_no_working_hours(as_admin):
    response = as_admin.post(CREATE, new_schedule(name="Around the clock", is_always="on"))

    assert response.status_code == 302
    assert Schedule.objects.get(name="Around the clock").is_always


def test_an_administrator_adds_an_interval_deletes_one_and_adds_a_holiday(as_admin, office):
    url = edit_url(office)
    form = as_admin.get(url).context["form"]
    # The saved rows come first, in order: Mon 09-12, Mon 13-17, Tue 09-17; then blank ones.
    assert [row.initial.get("start") for row in form.hours.forms[:3]] == [
        time(9),
        time(13),
        time(9),
    ]

    response = as_admin.post(
        url,
        form_data(
            form,
            form.hours,
            form.holidays,
            **{
                "hours-2-DELETE": True,
                "hours-3-weekday": "1",
                "hours-3-start": "08:00",
                "hours-3-end": "12:00",
                "hours-4-weekday": "1",
                "hours-4-start": "12:30",
                "hours-4-end": "16:30",
                "holidays-1-date": "2026-12-31",
                "holidays-1-name": "New Year's Eve",
            },
        ),
    )

    assert response.status_code == 302
    assert messages_of(response) == ["Schedule “Berlin office” was saved."]
    assert intervals(office) == [
        (0, time(9), time(12)),
        (0, time(13), time(17)),
        (1, time(8), time(12)),
        (1, time(12, 30), time(16, 30)),
    ]
    assert [(h.date, h.name) for h in office.holidays.all()] == [
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 31), "New Year's Eve"),
    ]


def test_an_unknown_time_zone_is_refused_and_the_input_kept(as_admin):
    response = as_admin.post(
        CREATE,
        new_schedule(timezone="Mars/Olympus_Mons", hours=[(0, "09:00", "17:00")]),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["timezone"] == [
        "“Mars/Olympus_Mons” is not a time zone name such as Europe/Berlin."
    ]
    shown = shown_values(response)
    assert shown["timezone"] == ["Mars/Olympus_Mons"]
    assert shown["hours-0-start"] == ["09:00"]
    assert not Schedule.objects.filter(name="Business hours").exists()


def test_an_interval_ending_before_it_starts_is_refused_and_the_input_kept(as_admin):
    response = as_admin.post(
        CREATE, new_schedule(hours=[(0, "09:00", "17:00"), (2, "22:00", "06:00")])
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() == [form.ROWS_REFUSED]
    assert form.hours.forms[1].errors["end"] == [
        "Wednesday 22:00–06:00 does not end after it starts. End it later, or at 00:00 for "
        "midnight; a shift past midnight is two intervals on two days."
    ]
    page = response.content.decode()
    assert "Wednesday 22:00–06:00 does not end after it starts." in page
    shown = shown_values(response)
    assert (shown["hours-1-weekday"], shown["hours-1-start"], shown["hours-1-end"]) == (
        ["2"],
        ["22:00"],
        ["06:00"],
    )
    assert shown["name"] == ["Business hours"]
    assert not Schedule.objects.filter(name="Business hours").exists()


def test_overlapping_intervals_on_one_day_are_refused(as_admin):
    response = as_admin.post(
        CREATE,
        new_schedule(hours=[(0, "11:00", "13:00"), (1, "10:00", "11:30"), (0, "09:00", "12:00")]),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.hours.forms[0].non_field_errors() == ["Monday 09:00–12:00 overlaps 11:00–13:00."]
    assert not form.hours.forms[1].errors
    assert "Monday 09:00–12:00 overlaps 11:00–13:00." in response.content.decode()
    assert shown_values(response)["hours-2-end"] == ["12:00"]
    assert not Schedule.objects.filter(name="Business hours").exists()


def test_an_interval_inside_a_longer_one_overlaps_it(as_admin):
    response = as_admin.post(
        CREATE,
        new_schedule(hours=[(3, "08:00", "00:00"), (3, "09:00", "10:00"), (3, "12:00", "13:00")]),
    )

    form = response.context["form"]
    assert form.hours.forms[1].non_field_errors() == ["Thursday 08:00–24:00 overlaps 09:00–10:00."]
    assert form.hours.forms[2].non_field_errors() == ["Thursday 08:00–24:00 overlaps 12:00–13:00."]


def test_touching_intervals_are_allowed(as_admin):
    response = as_admin.post(
        CREATE, new_schedule(hours=[(0, "09:00", "12:00"), (0, "12:00", "17:00")])
    )

    assert response.status_code == 302


def test_a_day_listed_twice_as_holiday_is_refused_and_the_input_kept(as_admin):
    response = as_admin.post(
        CREATE,
        new_schedule(
            hours=WEEKDAYS_9_TO_5,
            holidays=[("2026-12-25", "Christmas Day"), ("2026-12-25", "Xmas")],
        ),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.holidays.forms[1].errors["date"] == [
        "Fri 25 Dec 2026 is listed twice; keep one holiday per day."
    ]
    assert not form.holidays.forms[0].errors
    shown = shown_values(response)
    assert shown["holidays-1-date"] == ["2026-12-25"]
    assert shown["holidays-1-name"] == ["Xmas"]
    assert not Schedule.objects.filter(name="Business hours").exists()


def test_moving_a_holiday_to_a_day_freed_in_the_same_save_is_allowed(as_admin, office):
    url = edit_url(office)
    form = as_admin.get(url).context["form"]

    response = as_admin.post(
        url,
        form_data(
            form,
            form.hours,
            form.holidays,
            **{
                "holidays-0-date": "2026-12-24",
                "holidays-1-date": "2026-12-25",
                "holidays-1-name": "Christmas Day (moved)",
            },
        ),
    )

    assert response.status_code == 302
    assert [(h.date, h.name) for h in office.holidays.all()] == [
        (date(2026, 12, 24), "Christmas Day"),
        (date(2026, 12, 25), "Christmas Day (moved)"),
    ]


def test_a_schedule_without_working_hours_must_be_24_7(as_admin):
    response = as_admin.post(CREATE, new_schedule(holidays=[("2026-12-25", "Christmas Day")]))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "A schedule needs working hours, or tick 24/7."
    ]
    assert "A schedule needs working hours, or tick 24/7." in response.content.decode()
    assert shown_values(response)["holidays-0-name"] == ["Christmas Day"]


def test_deleting_every_interval_leaves_a_schedule_without_working_hours(as_admin, office):
    url = edit_url(office)
    form = as_admin.get(url).context["form"]
    deleted = {f"hours-{index}-DELETE": True for index in range(3)}

    response = as_admin.post(url, form_data(form, form.hours, form.holidays, **deleted))

    assert response.context["form"].non_field_errors() == [
        "A schedule needs working hours, or tick 24/7."
    ]
    assert len(intervals(office)) == 3


def test_a_name_taken_in_any_letter_case_is_refused(as_admin, office):
    response = as_admin.post(
        CREATE, new_schedule(name="BERLIN OFFICE", hours=[(0, "09:00", "17:00")])
    )

    assert response.context["form"].errors["name"] == [
        "A schedule named “BERLIN OFFICE” already exists."
    ]


def test_get_is_the_only_other_method(as_admin, office):
    assert as_admin.put(edit_url(office)).status_code == 405
    assert as_admin.post(LIST).status_code == 405


def test_an_unknown_schedule_is_not_found(as_admin):
    assert as_admin.get(reverse("admin-panel:schedule-edit", args=[999_999])).status_code == 404


def test_new_holidays_move_the_due_times_of_open_tickets_on_the_schedule(as_admin, office):
    plan = factories.SLAPlanFactory(
        name="Office plan", schedule=office, first_response_hours=1, resolution_hours=4
    )
    ticket = factories.TicketFactory(sla_plan=plan, subject="Monitor flickers")
    # Created Tue 2026-12-22 09:00 Berlin: 4 working hours fall on Tue, due Tue 13:00.
    created = datetime(2026, 12, 22, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    Ticket.objects.filter(pk=ticket.pk).update(
        created_at=created, resolution_due_at=created.replace(hour=13)
    )
    url = edit_url(office)
    form = as_admin.get(url).context["form"]

    as_admin.post(
        url,
        form_data(
            form,
            form.hours,
            form.holidays,
            **{"holidays-1-date": "2026-12-22", "holidays-1-name": "Office closed"},
        ),
    )

    ticket.refresh_from_db()
    # Tue is off now; Mon 28 Dec 09:00–12:00 and 13:00–14:00 give the 4 hours.
    assert ticket.resolution_due_at == datetime(
        2026, 12, 28, 14, 0, tzinfo=ZoneInfo("Europe/Berlin")
    )
