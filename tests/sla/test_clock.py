"""The working-time clock: due times and elapsed working time, checked against its definition.

The oracle below is the specification, kept deliberately naive: it walks real time minute by
minute in UTC and asks of each minute whether it is working time. Every interval boundary, DST
change and UTC offset used here falls on a whole minute, so a minute is either wholly working
time or not at all.
"""

import pickle
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sla.clock import Calendar, due, elapsed

MINUTE = timedelta(minutes=1)
MIDNIGHT = time(0, 0)
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]
BUSINESS_HOURS = {day: [(time(9, 0), time(17, 0))] for day in range(5)}
WHOLE_DAY = [(MIDNIGHT, MIDNIGHT)]


def utc(*args):
    return datetime(*args, tzinfo=UTC)


# The oracle -------------------------------------------------------------------------------


def is_working_minute(instant, zone, weekly, holidays):
    """The definition: the local date is no holiday, the local time in one of its intervals."""
    local = instant.astimezone(ZoneInfo(zone))
    if local.date() in holidays:
        return False
    clock = local.time()
    return any(
        start <= clock and (clock < end or end == MIDNIGHT)
        for start, end in weekly.get(local.weekday(), [])
    )


def oracle_due(start, work, zone, weekly, holidays):
    # Real time is walked in UTC: minutes added to a zoned datetime are wall-clock minutes.
    instant = start.astimezone(UTC)
    if not work:
        return instant
    left = work // MINUTE
    while True:
        if is_working_minute(instant, zone, weekly, holidays):
            left -= 1
            if not left:
                return instant + MINUTE
        instant += MINUTE


def oracle_elapsed(start, end, zone, weekly, holidays):
    minutes = 0
    instant = start.astimezone(UTC)
    while instant < end:
        minutes += is_working_minute(instant, zone, weekly, holidays)
        instant += MINUTE
    return minutes * MINUTE


# Strategies -------------------------------------------------------------------------------


def dst_changes(zone_name, years=range(2019, 2027)):
    """The UTC instants at which the zone's offset changes, found by walking the years."""
    zone = ZoneInfo(zone_name)
    changes = []
    instant = utc(years[0], 1, 1)
    end = utc(years[-1] + 1, 1, 1)
    offset = instant.astimezone(zone).utcoffset()
    while instant < end:
        following = instant + timedelta(days=1)
        if following.astimezone(zone).utcoffset() != offset:
            moment = instant
            while moment.astimezone(zone).utcoffset() == offset:
                moment += MINUTE * 30
            changes.append(moment)
            offset = following.astimezone(zone).utcoffset()
        instant = following
    return changes


DST_CHANGES = {zone: dst_changes(zone) for zone in ZONES}
# Clock times where DST days get interesting: 01:30-02:00 repeats on Lord Howe, 02:00-03:00
# is skipped or repeated in Europe, 01:00-02:00 repeats in New York.
DST_CLOCK_MINUTES = [60, 90, 120, 135, 150, 165, 180, 240]

clock_minutes = st.one_of(
    st.sampled_from([0, 1440, *DST_CLOCK_MINUTES]),
    st.integers(0, 96).map(lambda quarter: quarter * 15),
    st.integers(0, 1440),
)


def clock_time(minutes):
    return MIDNIGHT if minutes == 1440 else time(minutes // 60, minutes % 60)


@st.composite
def weeklies(draw, max_points=6):
    """Random weekly hours: per day, 0 to 3 disjoint intervals; 1440 is the midnight end."""
    weekly = {}
    for day in range(7):
        points = sorted(draw(st.lists(clock_minutes, max_size=max_points, unique=True)))
        pairs = list(zip(points[::2], points[1::2], strict=False))
        if pairs:
            weekly[day] = [(clock_time(start), clock_time(end)) for start, end in pairs]
    return weekly


@st.composite
def busy_weeklies(draw):
    """Weekly hours with at least 40 hours of work: five to seven long days, maybe a break."""
    weekly = {}
    for day in draw(st.sets(st.integers(0, 6), min_size=5)):
        start = draw(st.one_of(st.sampled_from([0, *DST_CLOCK_MINUTES]), st.integers(0, 600)))
        end = draw(st.one_of(st.just(1440), st.integers(start + 480, 1440)))
        split = draw(st.integers(start + 60, end - 120))
        resume = split + draw(st.integers(0, 60))  # 0: two intervals that touch
        weekly[day] = [
            (clock_time(start), clock_time(split)),
            (clock_time(resume), clock_time(end)),
        ]
    return weekly


def weekly_minutes(weekly):
    return sum(
        ((end.hour * 60 + end.minute) or 1440) - (start.hour * 60 + start.minute)
        for intervals in weekly.values()
        for start, end in intervals
    )


@st.composite
def starts(draw, zone):
    """Whole-minute instants, mostly within days of a DST change, in UTC or the zone."""
    changes = DST_CHANGES[zone]
    if changes and draw(st.booleans()):
        anchor = draw(st.sampled_from(changes))
        start = anchor + MINUTE * draw(st.integers(-4 * 1440, 2 * 1440))
    else:
        start = utc(2019, 1, 1) + MINUTE * draw(st.integers(0, 8 * 365 * 1440))
    return start.astimezone(ZoneInfo(zone)) if draw(st.booleans()) else start


@st.composite
def cases(draw, busy=False):
    """A schedule with some working time, its raw parts for the oracle, and a start."""
    zone = draw(st.sampled_from(ZONES))
    weekly = draw(busy_weeklies() if busy else weeklies())
    assume(weekly_minutes(weekly) > 0)
    start = draw(starts(zone))
    first_day = start.astimezone(ZoneInfo(zone)).date()
    holidays = frozenset(
        first_day + timedelta(days=n) for n in draw(st.sets(st.integers(-2, 40), max_size=6))
    )
    return Calendar(zone, weekly, holidays), (zone, weekly, holidays), start


# Against the definition -------------------------------------------------------------------


@settings(deadline=None, max_examples=600)
@given(case=cases(), data=st.data())
def test_due_is_what_the_definition_gives(case, data):
    schedule, spec, start = case
    # At most about three weeks of real time for the oracle to walk, at most 500 hours.
    longest = min(500 * 60, weekly_minutes(spec[1]) * 3)
    work = MINUTE * data.draw(
        st.one_of(st.integers(0, min(longest, 120)), st.integers(0, longest)), label="minutes"
    )

    assert due(start, work, schedule) == oracle_due(start, work, *spec)


@settings(deadline=None, max_examples=40)
@given(case=cases(busy=True), data=st.data())
def test_due_of_long_targets_is_what_the_definition_gives(case, data):
    schedule, spec, start = case
    # Long targets only on busy schedules, so the oracle's walk stays within three months.
    work = MINUTE * data.draw(st.integers(100 * 60, 500 * 60), label="minutes")

    assert due(start, work, schedule) == oracle_due(start, work, *spec)


@settings(deadline=None, max_examples=400)
@given(case=cases(), minutes=st.integers(-60, 14 * 1440))
def test_elapsed_is_what_the_definition_gives(case, minutes):
    schedule, spec, start = case
    end = start.astimezone(UTC) + MINUTE * minutes

    assert elapsed(start, end, schedule) == oracle_elapsed(start, end, *spec)


@settings(deadline=None, max_examples=600)
@given(case=cases(), data=st.data())
def test_due_is_the_earliest_instant_with_the_work_done(case, data):
    schedule, spec, start = case
    # Up to 500 hours, or about four years of the schedule's hours if that is less.
    longest = min(500 * 60, weekly_minutes(spec[1]) * 200)
    work = MINUTE * data.draw(st.integers(0, longest), label="minutes")

    deadline = due(start, work, schedule)

    assert elapsed(start, deadline, schedule) == work
    if work:
        assert elapsed(start, deadline - timedelta(microseconds=1), schedule) < work


# Daylight saving time ---------------------------------------------------------------------


def sunday_only(zone, intervals):
    return Calendar(zone, {6: intervals})


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        ("Europe/Berlin", date(2024, 3, 31), 2),
        ("Europe/Berlin", date(2024, 10, 27), 4),
        ("America/New_York", date(2024, 3, 10), 2),
        ("America/New_York", date(2024, 11, 3), 4),
        ("Australia/Lord_Howe", date(2024, 10, 6), 2.5),
        ("Australia/Lord_Howe", date(2024, 4, 7), 3.5),
    ],
)
def test_an_interval_spanning_a_dst_change_counts_the_real_time_that_passes(zone, day, hours):
    schedule = sunday_only(zone, [(time(1, 0), time(4, 0))])
    day_start = datetime.combine(day, MIDNIGHT, ZoneInfo(zone))

    worked = elapsed(day_start, day_start + timedelta(days=1), schedule)

    assert worked == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("zone", "day", "skipped"),
    [
        ("Europe/Berlin", date(2024, 3, 31), (time(2, 0), time(3, 0))),
        ("America/New_York", date(2024, 3, 10), (time(2, 0), time(3, 0))),
        ("Australia/Lord_Howe", date(2024, 10, 6), (time(2, 0), time(2, 30))),
    ],
)
def test_wall_clock_time_skipped_by_spring_forward_is_not_worked(zone, day, skipped):
    schedule = sunday_only(zone, [skipped])
    day_start = datetime.combine(day, MIDNIGHT, ZoneInfo(zone))
    week_later = day_start + timedelta(days=7)

    assert elapsed(day_start, day_start + timedelta(days=1), schedule) == timedelta(0)
    # The next Sunday has the interval again, so that is when work gets done.
    assert due(day_start, MINUTE, schedule) == week_later.replace(
        hour=skipped[0].hour, minute=skipped[0].minute + 1
    )


@pytest.mark.parametrize(
    ("zone", "day", "repeated"),
    [
        ("Europe/Berlin", date(2024, 10, 27), (time(2, 15), time(2, 45))),
        ("America/New_York", date(2024, 11, 3), (time(1, 15), time(1, 45))),
        ("Australia/Lord_Howe", date(2024, 4, 7), (time(1, 35), time(1, 55))),
    ],
)
def test_wall_clock_time_repeated_by_fall_back_is_worked_twice(zone, day, repeated):
    schedule = sunday_only(zone, [repeated])
    day_start = datetime.combine(day, MIDNIGHT, ZoneInfo(zone))
    minutes = repeated[1].minute - repeated[0].minute

    worked = elapsed(day_start, day_start + timedelta(days=1), schedule)

    assert worked == 2 * minutes * MINUTE


def test_a_due_time_in_the_repeated_hour_is_the_occurrence_the_work_reaches():
    schedule = sunday_only("Europe/Berlin", [(time(2, 15), time(2, 45))])
    saturday = utc(2024, 10, 26, 12, 0)

    first = due(saturday, timedelta(minutes=20), schedule)
    second = due(saturday, timedelta(minutes=50), schedule)

    # 02:15-02:45 summer time is 00:15-00:45 UTC; after the clocks go back, 01:15-01:45 UTC.
    assert first == utc(2024, 10, 27, 0, 35)
    assert second == utc(2024, 10, 27, 1, 35)
    assert first.astimezone(BERLIN).replace(tzinfo=None) == datetime(2024, 10, 27, 2, 35)
    assert second.astimezone(BERLIN).replace(tzinfo=None) == datetime(2024, 10, 27, 2, 35)
    assert second.astimezone(BERLIN).fold == 1


def test_a_target_met_as_the_repeated_hour_ends_the_first_time_is_due_then():
    schedule = sunday_only("Europe/Berlin", [(time(2, 15), time(2, 45))])

    deadline = due(utc(2024, 10, 26, 12, 0), timedelta(minutes=30), schedule)

    assert deadline == utc(2024, 10, 27, 0, 45)


def test_a_start_in_the_skipped_hour_is_the_instant_it_names():
    schedule = Calendar("Europe/Berlin", {6: WHOLE_DAY})
    # 02:30 does not exist on 31 March 2024; Python reads it with the winter offset (PEP 495).
    start = datetime(2024, 3, 31, 2, 30, tzinfo=BERLIN)

    assert start.astimezone(UTC) == utc(2024, 3, 31, 1, 30)
    assert due(start, timedelta(hours=1), schedule) == utc(2024, 3, 31, 2, 30)


def test_a_start_just_before_spring_forward_continues_after_the_jump():
    schedule = sunday_only("Europe/Berlin", [(time(1, 0), time(4, 0))])
    start = utc(2024, 3, 31, 0, 59)  # 01:59 winter time; a minute later it is 03:00 summer time

    deadline = due(start, timedelta(minutes=2), schedule)

    assert deadline == utc(2024, 3, 31, 1, 1)
    assert deadline.astimezone(BERLIN).time() == time(3, 1)


def test_a_day_whose_midnight_is_skipped_starts_an_hour_late():
    # Brazil's last summer time began at midnight: 4 November 2018 started at 01:00.
    schedule = sunday_only("America/Sao_Paulo", WHOLE_DAY)
    first_hour = sunday_only("America/Sao_Paulo", [(time(0, 0), time(1, 0))])
    saturday = utc(2018, 11, 3, 12, 0)
    monday = utc(2018, 11, 5, 12, 0)

    assert elapsed(saturday, monday, schedule) == timedelta(hours=23)
    assert elapsed(saturday, monday, first_hour) == timedelta(0)
    assert due(saturday, MINUTE, schedule) == utc(2018, 11, 4, 3, 1)


def test_round_the_clock_counts_real_hours_across_dst_changes():
    schedule = Calendar.always("Europe/Berlin")
    evening = datetime(2024, 3, 30, 22, 0, tzinfo=BERLIN)

    deadline = due(evening, timedelta(hours=8), schedule)

    assert deadline == evening.astimezone(UTC) + timedelta(hours=8)
    assert deadline.astimezone(BERLIN).replace(tzinfo=None) == datetime(2024, 3, 31, 7, 0)


# Due times and elapsed time ---------------------------------------------------------------


def test_a_target_met_exactly_at_closing_is_due_at_the_close_not_the_next_opening():
    schedule = Calendar("Europe/Berlin", BUSINESS_HOURS)
    monday = datetime(2024, 6, 3, 9, 0, tzinfo=BERLIN)

    assert due(monday, timedelta(hours=8), schedule) == datetime(2024, 6, 3, 17, tzinfo=BERLIN)


def test_a_target_continues_at_the_next_opening():
    schedule = Calendar("Europe/Berlin", BUSINESS_HOURS)
    friday = datetime(2024, 6, 7, 16, 0, tzinfo=BERLIN)

    deadline = due(friday, timedelta(hours=2), schedule)

    assert deadline == datetime(2024, 6, 10, 10, 0, tzinfo=BERLIN)


def test_no_work_is_due_at_the_start_even_outside_working_hours():
    schedule = Calendar("Europe/Berlin", BUSINESS_HOURS)
    saturday = datetime(2024, 6, 8, 10, 17, 23, 456, tzinfo=BERLIN)

    assert due(saturday, timedelta(0), schedule) == saturday


def test_due_times_are_in_utc_and_keep_microseconds():
    schedule = Calendar("Europe/Berlin", BUSINESS_HOURS)
    start = datetime(2024, 6, 3, 9, 0, 0, 250, tzinfo=BERLIN)

    deadline = due(start, timedelta(hours=1, microseconds=1), schedule)

    assert deadline.tzinfo is UTC
    assert deadline == datetime(2024, 6, 3, 10, 0, 0, 251, tzinfo=BERLIN)


def test_the_start_zone_does_not_matter_only_the_instant():
    schedule = Calendar("Europe/Berlin", BUSINESS_HOURS)
    in_berlin = datetime(2024, 6, 7, 16, 0, tzinfo=BERLIN)
    in_new_york = in_berlin.astimezone(NEW_YORK)

    work = timedelta(hours=3)
    assert due(in_berlin, work, schedule) == due(in_new_york, work, schedule)


def test_holidays_have_no_working_time():
    christmas_eve = date(2024, 12, 24)
    schedule = Calendar("Europe/Berlin", BUSINESS_HOURS, frozenset({christmas_eve}))
    monday = datetime(2024, 12, 23, 9, 0, tzinfo=BERLIN)

    assert elapsed(monday, monday + timedelta(days=2), schedule) == timedelta(hours=8)
    assert due(monday, timedelta(hours=9), schedule) == datetime(2024, 12, 25, 10, 0, tzinfo=BERLIN)


def test_500_working_hours_is_months_of_business_hours():
    schedule = Calendar("Europe/Berlin", BUSINESS_HOURS)
    start = datetime(2024, 1, 1, 9, 0, tzinfo=BERLIN)  # a Monday

    deadline = due(start, timedelta(hours=500), schedule)

    # 62 working days and 4 hours: Wednesday 27 March, 13:00.
    assert deadline == datetime(2024, 3, 27, 13, 0, tzinfo=BERLIN)
    assert elapsed(start, deadline, schedule) == timedelta(hours=500)


def test_elapsed_is_zero_when_the_end_is_not_after_the_start():
    schedule = Calendar.always()
    start = utc(2024, 6, 3, 12, 0)

    assert elapsed(start, start, schedule) == timedelta(0)
    assert elapsed(start, start - timedelta(hours=5), schedule) == timedelta(0)


def test_elapsed_counts_only_working_time():
    schedule = Calendar("Europe/Berlin", BUSINESS_HOURS)
    friday_noon = datetime(2024, 6, 7, 12, 0, tzinfo=BERLIN)
    tuesday_ten = datetime(2024, 6, 11, 10, 0, tzinfo=BERLIN)

    assert elapsed(friday_noon, tuesday_ten, schedule) == timedelta(hours=5 + 8 + 1)


def test_round_the_clock_due_is_the_start_plus_the_work():
    schedule = Calendar.always("America/New_York")
    start = utc(2024, 11, 2, 20, 0)

    assert due(start, timedelta(hours=30), schedule) == start + timedelta(hours=30)
    assert elapsed(start, start + timedelta(days=3), schedule) == timedelta(days=3)


def test_elapsed_across_years_adds_up():
    schedule = Calendar.always()

    assert elapsed(utc(2020, 1, 1), utc(2024, 1, 1), schedule) == timedelta(days=4 * 365 + 1)


# Schedules without working time -----------------------------------------------------------


def test_a_schedule_without_working_hours_never_falls_due():
    schedule = Calendar("Europe/Berlin", {})
    start = utc(2024, 6, 3)

    with pytest.raises(ValueError, match="no working time"):
        due(start, MINUTE, schedule)
    assert elapsed(start, start + timedelta(days=30), schedule) == timedelta(0)
    assert due(start, timedelta(0), schedule) == start


def test_a_target_beyond_a_century_of_working_time_is_refused():
    with pytest.raises(ValueError, match="within 100 years"):
        due(utc(2024, 6, 3), timedelta(days=101 * 366), Calendar.always())


def test_years_of_holidays_only_delay_the_due_time():
    every_day_of_2024 = frozenset(date(2024, 1, 1) + timedelta(days=n) for n in range(366))
    schedule = Calendar("UTC", BUSINESS_HOURS, every_day_of_2024)

    assert due(utc(2024, 1, 1), timedelta(hours=1), schedule) == utc(2025, 1, 1, 10, 0)


# Refused input ----------------------------------------------------------------------------


def test_naive_datetimes_are_refused():
    schedule = Calendar.always()
    naive = datetime(2024, 6, 3, 9, 0)

    with pytest.raises(ValueError, match="aware"):
        due(naive, timedelta(hours=1), schedule)
    with pytest.raises(ValueError, match="aware"):
        elapsed(utc(2024, 6, 3), naive, schedule)


def test_negative_work_is_refused():
    with pytest.raises(ValueError, match="negative"):
        due(utc(2024, 6, 3), timedelta(minutes=-1), Calendar.always())


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("Europe/Atlantis", BUSINESS_HOURS), "Unknown time zone"),
        (("", BUSINESS_HOURS), "Unknown time zone"),
        (("../etc/passwd", BUSINESS_HOURS), "Unknown time zone"),
        (("UTC", {7: [(time(9), time(17))]}), "Weekday 7"),
        (("UTC", {-1: [(time(9), time(17))]}), "Weekday -1"),
        (("UTC", {"Mon": [(time(9), time(17))]}), "Weekday 'Mon'"),
        (("UTC", {0: [(time(17), time(9))]}), "does not end after it starts"),
        (("UTC", {0: [(time(9), time(9))]}), "does not end after it starts"),
        (("UTC", {0: [(time(9), time(13)), (time(12), time(17))]}), "overlaps"),
        (("UTC", {0: [(time(9), time(17, tzinfo=UTC))]}), "without a tzinfo"),
        (("UTC", {0: (time(9), time(17))}), "pair of times"),
        (("UTC", {0: [("09:00", "17:00")]}), "pair of times"),
        (("UTC", [(time(9), time(17))]), "weekly must map"),
        (("UTC", {}, frozenset({datetime(2024, 12, 24)})), "not a date"),
    ],
)
def test_malformed_schedules_are_refused_with_a_reason(arguments, message):
    with pytest.raises(ValueError, match=message):
        Calendar(*arguments)


def test_a_holiday_name_for_a_working_day_is_refused():
    with pytest.raises(ValueError, match="not one of the holidays"):
        Calendar("UTC", BUSINESS_HOURS, holiday_names={date(2024, 12, 24): "Christmas Eve"})


def test_intervals_that_touch_are_merged():
    schedule = Calendar("UTC", {0: [(time(12), time(17)), (time(9), time(12))]})

    assert schedule.weekly == {0: ((time(9), time(17)),)}
    assert schedule == Calendar("UTC", {0: [(time(9), time(17))]})


def test_an_interval_may_run_to_midnight_or_be_the_whole_day():
    schedule = Calendar("UTC", {0: [(time(18), MIDNIGHT)], 1: WHOLE_DAY})
    monday = utc(2024, 6, 3)

    assert elapsed(monday, monday + timedelta(days=7), schedule) == timedelta(hours=6 + 24)


# The schedule as a value ------------------------------------------------------------------


def test_schedules_are_immutable_values_usable_as_keys():
    one = Calendar("Europe/Berlin", BUSINESS_HOURS, frozenset({date(2024, 12, 24)}), name="B")
    same = Calendar("Europe/Berlin", BUSINESS_HOURS, frozenset({date(2024, 12, 24)}), name="B")
    other = Calendar("Europe/Berlin", BUSINESS_HOURS, name="B")

    assert one == same
    assert hash(one) == hash(same)
    assert one != other
    assert len({one, same, other}) == 2
    with pytest.raises(AttributeError):
        one.timezone = "UTC"


def test_a_schedule_survives_pickling():
    schedule = Calendar(
        "Europe/Berlin",
        BUSINESS_HOURS,
        frozenset({date(2024, 12, 24)}),
        name="Business hours",
        holiday_names={date(2024, 12, 24): "Christmas Eve"},
    )

    assert pickle.loads(pickle.dumps(schedule)) == schedule  # noqa: S301 (our own bytes)


@pytest.mark.parametrize(
    ("schedule", "description"),
    [
        (Calendar("Europe/Berlin", BUSINESS_HOURS, name="Business hours"),
         "Business hours (Mon–Fri 09:00–17:00)"),
        (Calendar.always("Europe/Berlin"), "24/7"),
        (Calendar("UTC", dict.fromkeys(range(7), WHOLE_DAY), name="Round the clock"),
         "Round the clock (24/7)"),
        (Calendar("UTC", {d: [(time(9), time(12)), (time(13), time(17))] for d in range(5)}),
         "Mon–Fri 09:00–12:00, 13:00–17:00"),
        (Calendar("UTC", {**{d: [(time(9), time(17))] for d in range(4)},
                          4: [(time(9), time(15))]}),
         "Mon–Thu 09:00–17:00; Fri 09:00–15:00"),
        (Calendar("UTC", {0: [(time(9), time(17))], 2: [(time(9), time(17))],
                          4: [(time(9), time(17))], 5: [(time(18), MIDNIGHT)]}),
         "Mon, Wed, Fri 09:00–17:00; Sat 18:00–24:00"),
        (Calendar("UTC", {}), "no working hours"),
    ],
)  # fmt: skip
def test_a_schedule_describes_itself_in_a_few_words(schedule, description):
    assert schedule.describe() == description


# A pure module ----------------------------------------------------------------------------


def test_the_clock_imports_without_django():
    root = Path(__file__).resolve().parents[2]
    check = "import sys, sla.clock; sys.exit('django' in sys.modules)"
    environment = {"PATH": "/usr/bin:/bin"}  # no DJANGO_SETTINGS_MODULE

    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", check], cwd=root, env=environment, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr or "importing sla.clock imported django"
