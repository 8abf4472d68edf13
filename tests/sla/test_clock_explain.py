"""How a due time is explained in words: the four lines under a ticket's due time."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla.clock import Calendar, due, explain
from tests.sla.test_clock import MINUTE, cases, weekly_minutes

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS_NINE_TO_FIVE = {day: [(time(9, 0), time(17, 0))] for day in range(5)}
CHRISTMAS_EVE = {date(2018, 12, 24): "Christmas Eve"}


@pytest.fixture
def berlin_business_hours():
    """The issue's schedule: Mon–Fri 09:00–17:00 in Berlin, closed on Christmas Eve 2018."""
    return Calendar(
        "Europe/Berlin",
        WEEKDAYS_NINE_TO_FIVE,
        frozenset(CHRISTMAS_EVE),
        name="Business hours",
        holiday_names=CHRISTMAS_EVE,
    )


def berlin(*args):
    return datetime(*args, tzinfo=BERLIN)


def test_the_issues_example_reads_as_written(berlin_business_hours):
    friday = berlin(2018, 12, 21, 16, 30)

    lines = explain(friday, timedelta(hours=8), berlin_business_hours)

    assert lines == [
        "Created Fri 16:30 (Europe/Berlin).",
        "8 working hours on Business hours (Mon–Fri 09:00–17:00).",
        "Counted Fri 16:30–17:00 (0.5 h); skipped the weekend and Mon 24 Dec (Christmas Eve); "
        "counted Tue 09:00–16:30 (7.5 h).",
        "Due Tue 16:30.",
    ]
    assert due(friday, timedelta(hours=8), berlin_business_hours) == berlin(2018, 12, 25, 16, 30)


def test_the_caller_prefixes_the_plan_to_make_the_issues_sentence(berlin_business_hours):
    lines = explain(berlin(2018, 12, 21, 16, 30), timedelta(hours=8), berlin_business_hours)

    paragraph = " ".join([lines[0], f"Sev-C gives {lines[1]}", *lines[2:]])

    assert paragraph == (
        "Created Fri 16:30 (Europe/Berlin). Sev-C gives 8 working hours on Business hours "
        "(Mon–Fri 09:00–17:00). Counted Fri 16:30–17:00 (0.5 h); skipped the weekend and "
        "Mon 24 Dec (Christmas Eve); counted Tue 09:00–16:30 (7.5 h). Due Tue 16:30."
    )


def test_a_round_the_clock_period_runs_past_midnight():
    lines = explain(
        berlin(2018, 12, 21, 16, 30), timedelta(hours=8), Calendar.always("Europe/Berlin")
    )

    assert lines == [
        "Created Fri 16:30 (Europe/Berlin).",
        "8 working hours on 24/7.",
        "Counted Fri 16:30–Sat 00:30 (8 h).",
        "Due Sat 00:30.",
    ]


def test_a_ticket_created_on_a_holiday_skips_that_day(berlin_business_hours):
    lines = explain(berlin(2018, 12, 24, 10, 0), timedelta(hours=8), berlin_business_hours)

    assert lines[0] == "Created Mon 10:00 (Europe/Berlin)."
    assert lines[2:] == [
        "Skipped Mon 24 Dec (Christmas Eve); counted Tue 09:00–17:00 (8 h).",
        "Due Tue 17:00.",
    ]


def test_a_ticket_created_before_opening_counts_from_the_opening(berlin_business_hours):
    lines = explain(berlin(2018, 12, 18, 7, 0), timedelta(hours=1), berlin_business_hours)

    assert lines == [
        "Created Tue 07:00 (Europe/Berlin).",
        "1 working hour on Business hours (Mon–Fri 09:00–17:00).",
        "Counted Tue 09:00–10:00 (1 h).",
        "Due Tue 10:00.",
    ]


def test_a_ticket_created_at_the_weekend_skips_the_rest_of_it(berlin_business_hours):
    lines = explain(berlin(2018, 12, 15, 10, 0), timedelta(hours=8), berlin_business_hours)

    assert lines[0] == "Created Sat 10:00 (Europe/Berlin)."
    assert lines[2] == "Skipped the weekend; counted Mon 09:00–17:00 (8 h)."


def test_a_ticket_created_after_closing_skips_only_the_whole_days_after(berlin_business_hours):
    lines = explain(berlin(2018, 12, 21, 18, 0), timedelta(minutes=75), berlin_business_hours)

    assert lines[1] == "1.25 working hours on Business hours (Mon–Fri 09:00–17:00)."
    assert lines[2] == (
        "Skipped the weekend and Mon 24 Dec (Christmas Eve); counted Tue 09:00–10:15 (1.25 h)."
    )


def test_no_work_is_due_at_once(berlin_business_hours):
    lines = explain(berlin(2018, 12, 22, 10, 0), timedelta(0), berlin_business_hours)

    assert lines == [
        "Created Sat 10:00 (Europe/Berlin).",
        "0 working hours on Business hours (Mon–Fri 09:00–17:00).",
        "Counted nothing; due at once.",
        "Due Sat 10:00.",
    ]


def test_consecutive_working_days_are_each_counted(berlin_business_hours):
    lines = explain(berlin(2018, 12, 17, 13, 0), timedelta(hours=20), berlin_business_hours)

    assert lines[2] == (
        "Counted Mon 13:00–17:00 (4 h); counted Tue 09:00–17:00 (8 h); "
        "counted Wed 09:00–17:00 (8 h)."
    )
    assert lines[3] == "Due Wed 17:00."


def test_a_multi_week_target_summarises_the_middle_and_dates_its_labels():
    holiday = {date(2019, 1, 15): "Company day"}
    schedule = Calendar(
        "Europe/Berlin", WEEKDAYS_NINE_TO_FIVE, frozenset(holiday), holiday_names=holiday
    )

    lines = explain(berlin(2019, 1, 7, 9, 0), timedelta(hours=100), schedule)

    assert lines == [
        "Created Mon 7 Jan 09:00 (Europe/Berlin).",
        "100 working hours on Mon–Fri 09:00–17:00.",
        "Counted Mon 7 Jan 09:00–17:00 (8 h); counted Tue 8 Jan 09:00–17:00 (8 h); "
        "counted Wed 9 Jan 09:00–17:00 (8 h); then 8 more working periods (64 h), "
        "skipping 1 holiday; counted Wed 23 Jan 09:00–17:00 (8 h); "
        "counted Thu 24 Jan 09:00–13:00 (4 h).",
        "Due Thu 24 Jan 13:00.",
    ]


def test_a_500_hour_target_stays_a_short_paragraph(berlin_business_hours):
    lines = explain(berlin(2018, 12, 21, 16, 30), timedelta(hours=500), berlin_business_hours)

    assert lines[2] == (
        "Counted Fri 21 Dec 16:30–17:00 (0.5 h); skipped the weekend and Mon 24 Dec "
        "(Christmas Eve); counted Tue 25 Dec 09:00–17:00 (8 h); counted Wed 26 Dec 09:00–17:00 "
        "(8 h); then 59 more working periods (472 h); counted Wed 20 Mar 09:00–17:00 (8 h); "
        "counted Thu 21 Mar 09:00–12:30 (3.5 h)."
    )
    assert lines[3] == "Due Thu 21 Mar 12:30."


def test_a_target_more_than_a_year_away_shows_years():
    mondays = Calendar("UTC", {0: [(time(9, 0), time(10, 0))]}, name="Monday surgery")

    lines = explain(datetime(2018, 1, 1, 9, 30, tzinfo=UTC), timedelta(hours=60), mondays)

    assert lines[0] == "Created Mon 1 Jan 2018 09:30 (UTC)."
    assert lines[2].startswith(
        "Counted Mon 1 Jan 2018 09:30–10:00 (0.5 h); skipped Tue 2 Jan 2018–Sun 7 Jan 2018; "
        "counted Mon 8 Jan 2018 09:00–10:00 (1 h);"
    )
    assert lines[3] == "Due Mon 25 Feb 2019 09:30."


def test_a_week_without_work_is_skipped_as_a_range():
    mondays = Calendar("UTC", {0: [(time(9, 0), time(17, 0))]})

    lines = explain(datetime(2018, 1, 1, 16, 0, tzinfo=UTC), timedelta(hours=2), mondays)

    assert lines[2] == (
        "Counted Mon 1 Jan 16:00–17:00 (1 h); skipped Tue 2 Jan–Sun 7 Jan; "
        "counted Mon 8 Jan 09:00–10:00 (1 h)."
    )
    assert lines[3] == "Due Mon 8 Jan 10:00."


@pytest.mark.parametrize(
    ("working_days", "created", "skipped"),
    [
        (range(4), berlin(2024, 6, 6, 16, 0), "skipped Fri and the weekend"),
        (range(6), berlin(2024, 6, 8, 16, 0), "skipped Sun"),
    ],
)
def test_days_without_work_between_periods_are_named(working_days, created, skipped):
    schedule = Calendar("Europe/Berlin", {day: [(time(9), time(17))] for day in working_days})

    lines = explain(created, timedelta(hours=2), schedule)

    assert f"; {skipped}; " in lines[2]


def test_a_holiday_on_a_round_the_clock_schedule_splits_it_at_midnight():
    every_day = {day: [(time(0), time(0))] for day in range(7)}
    schedule = Calendar(
        "Europe/Berlin", every_day, frozenset(CHRISTMAS_EVE), holiday_names=CHRISTMAS_EVE
    )

    lines = explain(berlin(2018, 12, 23, 20, 0), timedelta(hours=8), schedule)

    assert lines[2:] == [
        "Counted Sun 20:00–24:00 (4 h); skipped Mon 24 Dec (Christmas Eve); "
        "counted Tue 00:00–04:00 (4 h).",
        "Due Tue 04:00.",
    ]


def test_an_unnamed_holiday_is_called_a_holiday():
    schedule = Calendar("Europe/Berlin", WEEKDAYS_NINE_TO_FIVE, frozenset({date(2018, 12, 24)}))

    lines = explain(berlin(2018, 12, 21, 16, 30), timedelta(hours=8), schedule)

    assert "skipped the weekend and Mon 24 Dec (holiday);" in lines[2]


def test_the_spring_forward_night_is_an_hour_shorter():
    lines = explain(
        berlin(2024, 3, 30, 22, 0), timedelta(hours=8), Calendar.always("Europe/Berlin")
    )

    assert lines[2:] == ["Counted Sat 22:00–Sun 07:00 (8 h).", "Due Sun 07:00."]


def test_the_repeated_hour_is_counted_twice_and_told_apart_by_its_zone():
    night_watch = Calendar("Europe/Berlin", {6: [(time(2, 15), time(2, 45))]}, name="Night watch")

    lines = explain(berlin(2024, 10, 26, 12, 0), timedelta(hours=1), night_watch)

    assert lines == [
        "Created Sat 12:00 (Europe/Berlin).",
        "1 working hour on Night watch (Sun 02:15–02:45).",
        "Skipped Sat; counted Sun 02:15–02:45 CEST (0.5 h); counted Sun 02:15–02:45 CET (0.5 h).",
        "Due Sun 02:45 CET.",
    ]


def test_times_are_shown_in_the_schedules_zone_whatever_the_start_zone(berlin_business_hours):
    friday_in_utc = datetime(2018, 12, 21, 15, 30, tzinfo=UTC)

    lines = explain(friday_in_utc, timedelta(hours=8), berlin_business_hours)

    assert lines[0] == "Created Fri 16:30 (Europe/Berlin)."
    assert lines[3] == "Due Tue 16:30."


@settings(deadline=None, max_examples=150)
@given(case=cases(), data=st.data())
def test_any_due_time_can_be_explained(case, data):
    schedule, (_zone, weekly, _holidays), start = case
    work = MINUTE * data.draw(st.integers(0, min(200 * 60, weekly_minutes(weekly) * 20)))

    lines = explain(start, work, schedule)

    local_due = due(start, work, schedule).astimezone(schedule.tzinfo)
    assert len(lines) == 4
    assert lines[0].startswith("Created ")
    assert lines[2].startswith(("Counted ", "Skipped ") if work else "Counted nothing")
    assert lines[3].startswith("Due ")
    assert f" {local_due:%H:%M}" in lines[3]
