"""The working-time clock: when a target falls due, and how much working time has passed.

A pure module (standard library only, no database, no Django) so the ticket service can call it
anywhere and the tests can check it exhaustively against a brute-force definition.

The definition. An instant is working time when, seen in the schedule's time zone, its local
date is not a holiday and its local wall-clock time lies in one of that weekday's intervals
``[start, end)``; an end of ``time(0, 0)`` means midnight at the end of the day. Working time is
measured in real time, so daylight-saving changes count as they pass:

- an interval that spans a change counts the minutes that actually pass (Berlin 01:00-04:00 is
  2 h on the spring-forward day and 4 h on the fall-back day);
- a wall-clock time skipped by a change does not exist (02:00-03:00 counts nothing on the
  spring-forward day, and a day whose midnight is skipped simply starts later);
- a repeated wall-clock time is worked once per real occurrence (02:15-02:45 counts twice on the
  fall-back day, as two separate real periods).

Every instant returned is an aware datetime in UTC; inputs may be in any zone and are compared
as instants. Results are exact to the microsecond.

How. Real time is cut into fixed 28-day chunks of UTC. A chunk is turned once into the sorted
real (UTC) working periods it contains, with running totals: the chunk is split wherever the
zone's UTC offset changes (probed every few hours and pinned down by bisection), each piece of
constant offset is mapped to local days, and each day's intervals are clipped to the piece. The
chunks are cached (shared by equal schedules), so ``due`` and ``elapsed`` cost two bisections
plus one step per chunk crossed, however many minutes the target is.

The bound. No call works through more than 100 years of chunks (at most about half a second the
first time, nothing once cached): a target the schedule does not provide within 100 years (say,
a schedule without working hours), and an ``elapsed`` or ``explain`` over a longer span, raise
``OutOfReach`` (a ValueError) at once instead of working for minutes. So no stored instant,
however far off, can make a caller stall.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["Calendar", "OutOfReach", "due", "elapsed", "explain"]

_US = timedelta(microseconds=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday
_HOUR_US = 3_600_000_000
_DAY_US = 24 * _HOUR_US
_CHUNK_US = 28 * _DAY_US
# No zone changes its offset twice within this long, so probing at this step finds every change.
_PROBE_US = 6 * _HOUR_US
# No call works through more than this many years: a target not met within them, or a span
# longer than them, is refused (OutOfReach) rather than counted.
_HORIZON_YEARS = 100
_HORIZON_CHUNKS = _HORIZON_YEARS * 366 * _DAY_US // _CHUNK_US
# Chunks stay two days inside what datetime can represent, so every local day in them can be.
_MIN_US = (datetime.min.replace(tzinfo=UTC) - _EPOCH) // _US
_MAX_US = (datetime.max.replace(tzinfo=UTC) - _EPOCH) // _US
_FIRST_CHUNK = -(-(_MIN_US + 2 * _DAY_US) // _CHUNK_US)
_LAST_CHUNK = (_MAX_US - 2 * _DAY_US) // _CHUNK_US - 1
# Cached chunks per schedule; past this many, start again (a bound, not a tuning knob).
_MAX_CACHED_CHUNKS = 4096

_DASH = "\u2013"  # ranges in describe() and explain() use an en dash: "Mon\u2013Fri"
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FULL_DAY = ((0, _DAY_US),)
# explain() lists at most this many counted periods; longer runs keep the first and last few.
_MAX_LISTED_PERIODS = 6
_LISTED_HEAD, _LISTED_TAIL = 3, 2


class OutOfReach(ValueError):
    """The answer lies beyond what one call may count: past the 100-year bound, outside the
    dates a datetime can hold, or never (a schedule without working time)."""


class Calendar:
    """When work happens: weekly wall-clock intervals in one time zone, minus whole-day holidays.

    ``weekly`` maps a weekday (0 = Monday ... 6 = Sunday) to ``(start, end)`` pairs of naive
    ``datetime.time``; ``end == time(0, 0)`` means midnight at the end of the day, so
    ``(time(0, 0), time(0, 0))`` is the whole day. An overnight shift is two intervals on two
    days. Intervals on one day that overlap are refused (likely a typing mistake); intervals that
    merely touch (09:00-12:00, 12:00-17:00) are merged into one. Holidays are local dates with no
    working time; ``holiday_names`` optionally names some of them for explanations.

    Malformed input raises ValueError saying what is wrong. A calendar is immutable and compares
    and hashes by value. Its computed working periods are cached and shared by equal calendars,
    so building one per request is cheap.
    """

    __slots__ = (
        "_chunks",
        "_days",
        "_holiday_days",
        "_key",
        "_tz",
        "holiday_names",
        "holidays",
        "name",
        "timezone",
        "weekly",
    )

    def __init__(
        self,
        timezone: str,
        weekly: Mapping[int, Iterable[tuple[time, time]]],
        holidays: Iterable[date] = frozenset(),
        *,
        name: str = "",
        holiday_names: Mapping[date, str] | None = None,
    ):
        zone = _zone(timezone)
        days = _normalise_weekly(weekly)
        holiday_set = _normalise_holidays(holidays)
        names = _normalise_holiday_names(holiday_names, holiday_set)
        if not isinstance(name, str):
            raise ValueError(f"The schedule's name must be a string, not {name!r}.")

        set_ = object.__setattr__
        set_(self, "timezone", timezone)
        set_(self, "name", name)
        set_(self, "holidays", holiday_set)
        set_(self, "holiday_names", MappingProxyType(names))
        set_(
            self,
            "weekly",
            MappingProxyType(
                {
                    day: tuple((_clock_time(s), _clock_time(e)) for s, e in intervals)
                    for day, intervals in enumerate(days)
                    if intervals
                }
            ),
        )
        set_(self, "_tz", zone)
        set_(self, "_days", days)
        set_(self, "_holiday_days", frozenset(d.toordinal() - _EPOCH_ORDINAL for d in holiday_set))
        set_(self, "_key", (timezone, days, holiday_set, name, tuple(sorted(names.items()))))
        set_(self, "_chunks", _shared_chunks(timezone, days, holiday_set))

    @classmethod
    def always(cls, timezone: str = "UTC") -> "Calendar":
        """Round the clock, every day of the year."""
        whole_day = [(time(0, 0), time(0, 0))]
        return cls(timezone, dict.fromkeys(range(7), whole_day), name="24/7")

    @property
    def tzinfo(self) -> tzinfo:
        return self._tz

    def describe(self) -> str:
        """A short summary for explanations: "Business hours (Mon-Fri 09:00-17:00)", "24/7".

        Weekdays with the same intervals are grouped ("Mon-Thu 09:00-17:00; Fri 09:00-15:00"),
        consecutive weekdays shown as a range; a midnight end shows as 24:00. Holidays are not
        listed. The name comes first when there is one and says something the summary does not.
        """
        summary = self._summary()
        if self.name and self.name != summary:
            return f"{self.name} ({summary})"
        return self.name or summary

    def _summary(self) -> str:
        if self._days == (_FULL_DAY,) * 7:
            return "24/7"
        groups: dict[tuple[tuple[int, int], ...], list[int]] = {}
        for day, intervals in enumerate(self._days):
            if intervals:
                groups.setdefault(intervals, []).append(day)
        parts = [
            f"{_weekday_runs(days)} {', '.join(_interval_label(s, e) for s, e in intervals)}"
            for intervals, days in groups.items()
        ]
        return "; ".join(parts) or "no working hours"

    def __setattr__(self, attr, value):
        raise AttributeError(f"A calendar is immutable; build a new one instead of setting {attr}.")

    def __delattr__(self, attr):
        raise AttributeError(f"A calendar is immutable; {attr} cannot be deleted.")

    def __eq__(self, other):
        if not isinstance(other, Calendar):
            return NotImplemented
        return self._key == other._key

    def __hash__(self):
        return hash(self._key)

    def __reduce__(self):
        return (
            _rebuild_schedule,
            (self.timezone, dict(self.weekly), self.holidays, self.name, dict(self.holiday_names)),
        )

    def __repr__(self):
        name = f" {self.name!r}" if self.name else ""
        holidays = f", {len(self.holidays)} holidays" if self.holidays else ""
        return f"<Calendar{name} {self._summary()} {self.timezone}{holidays}>"

    # Working periods -----------------------------------------------------------------------

    def _chunk(self, index: int) -> tuple[list[int], list[int], list[int], int]:
        """The working periods of one 28-day chunk of UTC: starts, ends, running totals, total.

        Instants are microseconds since the Unix epoch; ``totals[i]`` is the working time from
        the chunk's beginning to ``ends[i]``. Touching periods are merged.
        """
        chunk = self._chunks.get(index)
        if chunk is None:
            if not _FIRST_CHUNK <= index <= _LAST_CHUNK:
                raise OutOfReach("The working time runs past the dates a datetime can hold.")
            lo = index * _CHUNK_US
            starts: list[int] = []
            ends: list[int] = []
            totals: list[int] = []
            total = 0
            for start, end, _day in sorted(self._day_segments(lo, lo + _CHUNK_US)):
                total += end - start
                if ends and ends[-1] == start:
                    ends[-1] = end
                    totals[-1] = total
                else:
                    starts.append(start)
                    ends.append(end)
                    totals.append(total)
            chunk = (starts, ends, totals, total)
            if len(self._chunks) >= _MAX_CACHED_CHUNKS:
                self._chunks.clear()
            self._chunks[index] = chunk
        return chunk

    def _day_segments(self, lo: int, hi: int) -> list[tuple[int, int, int]]:
        """The real working segments inside [lo, hi), as (start, end, local day number).

        Each piece of constant UTC offset is mapped to local wall-clock time, cut into local
        days, and each day's intervals are clipped to it; skipped wall-clock times therefore
        never appear, and repeated ones appear once per piece they occur in.
        """
        days = self._days
        holidays = self._holiday_days
        segments = []
        for piece_start, piece_end, offset in self._offset_pieces(lo, hi):
            local_start, local_end = piece_start + offset, piece_end + offset
            for day in range(local_start // _DAY_US, (local_end - 1) // _DAY_US + 1):
                intervals = days[(day + _EPOCH_WEEKDAY) % 7]
                if not intervals or day in holidays:
                    continue
                midnight = day * _DAY_US
                for start, end in intervals:
                    start = max(midnight + start, local_start)
                    end = min(midnight + end, local_end)
                    if start < end:
                        segments.append((start - offset, end - offset, day))
        return segments

    def _offset_pieces(self, lo: int, hi: int) -> list[tuple[int, int, int]]:
        """Split [lo, hi) into maximal pieces of constant UTC offset: (start, end, offset)."""
        offset_at = self._offset_at
        pieces = []
        piece_start, offset = lo, offset_at(lo)
        probe = lo
        while probe < hi - 1:
            next_probe = min(probe + _PROBE_US, hi - 1)
            while offset_at(next_probe) != offset:
                # Some instant in (probe, next_probe] has a new offset; bisect to the first one.
                before, after = probe, next_probe
                while after - before > 1:
                    middle = (before + after) // 2
                    if offset_at(middle) == offset:
                        before = middle
                    else:
                        after = middle
                pieces.append((piece_start, after, offset))
                piece_start, offset, probe = after, offset_at(after), after
            probe = next_probe
        pieces.append((piece_start, hi, offset))
        return pieces

    def _offset_at(self, instant: int) -> int:
        local = (_EPOCH + timedelta(microseconds=instant)).astimezone(self._tz)
        return local.utcoffset() // _US

    def _has_working_time_on(self, day: date) -> bool:
        number = day.toordinal() - _EPOCH_ORDINAL
        if not self._days[day.weekday()] or number in self._holiday_days:
            return False
        window = self._day_segments((number - 2) * _DAY_US, (number + 3) * _DAY_US)
        return any(segment_day == number for _start, _end, segment_day in window)

    def _due(self, start: int, work: int) -> int:
        """The earliest instant by which ``work`` (> 0) has been worked since ``start``."""
        if not any(self._days):
            raise OutOfReach(f"{self.describe()} has no working time, so nothing falls due.")
        first = index = start // _CHUNK_US
        starts, ends, totals, total = self._chunk(index)
        i = bisect_right(starts, start) - 1
        target = work if i < 0 else work + totals[i] - max(0, ends[i] - start)
        while target > total:
            target -= total
            index += 1
            if index - first > _HORIZON_CHUNKS:
                raise OutOfReach(
                    f"{self.describe()} does not give {_hours(work)} working hours "
                    f"within {_HORIZON_YEARS} years."
                )
            starts, ends, totals, total = self._chunk(index)
        # The first period whose running total reaches the target: a target met exactly as a
        # period closes is due at that close, not at the next opening.
        j = bisect_left(totals, target)
        return ends[j] - (totals[j] - target)

    def _worked_in_chunk(self, index: int, instant: int) -> int:
        starts, ends, totals, _total = self._chunk(index)
        i = bisect_right(starts, instant) - 1
        return 0 if i < 0 else totals[i] - max(0, ends[i] - instant)

    def _elapsed(self, start: int, end: int) -> int:
        if end <= start or not any(self._days):
            return 0
        first, last = start // _CHUNK_US, end // _CHUNK_US
        _check_span(first, last)
        worked = self._worked_in_chunk(last, end) - self._worked_in_chunk(first, start)
        for index in range(first, last):
            worked += self._chunk(index)[3]
        return worked

    def _periods(self, start: int, end: int) -> list[tuple[int, int]]:
        """The working periods within [start, end), clipped to it, touching ones merged."""
        periods: list[tuple[int, int]] = []
        if end <= start:
            return periods
        _check_span(start // _CHUNK_US, (end - 1) // _CHUNK_US)
        for index in range(start // _CHUNK_US, (end - 1) // _CHUNK_US + 1):
            starts, ends, _totals, _total = self._chunk(index)
            for i in range(bisect_right(ends, start), len(starts)):
                if starts[i] >= end:
                    break
                lo, hi = max(starts[i], start), min(ends[i], end)
                if periods and periods[-1][1] == lo:
                    periods[-1] = (periods[-1][0], hi)
                else:
                    periods.append((lo, hi))
        return periods


def _check_span(first: int, last: int) -> None:
    if last - first > _HORIZON_CHUNKS:
        raise OutOfReach(
            f"The span is longer than {_HORIZON_YEARS} years; working time is not counted that far."
        )


def due(start: datetime, work: timedelta, schedule: Calendar) -> datetime:
    """The earliest instant at which ``work`` of working time has passed since ``start``, in UTC.

    ``due(start, timedelta(0), s)`` is the instant ``start``, even outside working hours. The
    result is always in UTC; convert it for display. (Python never calls a datetime in a
    repeated or skipped wall-clock hour equal to one in another zone (PEP 495), so compare such
    starts after ``.astimezone(UTC)``.) Refuses naive datetimes and negative work (ValueError),
    and work the schedule does not provide within 100 years (OutOfReach).
    """
    instant = _instant(start, "start")
    work_us = _duration(work)
    if not work_us:
        return start.astimezone(UTC)
    return _EPOCH + timedelta(microseconds=schedule._due(instant, work_us))


def elapsed(start: datetime, end: datetime, schedule: Calendar) -> timedelta:
    """The working time between two instants; zero when ``end`` is not after ``start``.

    A span of more than 100 years raises OutOfReach.
    """
    worked = schedule._elapsed(_instant(start, "start"), _instant(end, "end"))
    return timedelta(microseconds=worked)


def explain(start: datetime, work: timedelta, schedule: Calendar) -> list[str]:
    """How ``due(start, work, schedule)`` was reached, in four lines for people.

    1. ``"Created Fri 16:30 (Europe/Berlin)."``
    2. ``"8 working hours on Business hours (Mon-Fri 09:00-17:00)."`` (the caller prefixes
       the plan: "Sev-C gives ...")
    3. ``"Counted Fri 16:30-17:00 (0.5 h); skipped the weekend and Mon 24 Dec (Christmas Eve);
       counted Tue 09:00-16:30 (7.5 h)."``
    4. ``"Due Tue 16:30."``

    Times are wall-clock times in the schedule's zone, to the minute (seconds are dropped); a
    time in the hour repeated when the clocks go back carries its zone abbreviation ("02:30
    CET"), so its two occurrences can be told apart.
    Labels are as short as stays unambiguous: the weekday alone ("Fri 16:30") when the due date
    is at most 6 days after the start date, with day and month ("Tue 8 Jan 09:00") within a
    year, and with the year beyond that. Holidays always show their date and name ("Mon 24 Dec
    (Christmas Eve)", or "(holiday)" when unnamed).

    Each counted period is a stretch of working time, touching stretches merged (so a 24/7
    schedule reads "counted Fri 16:30-Sat 00:30 (8 h)"); a period ending at midnight ends at
    "24:00" of its last day. Between periods, whole local days without working time are named:
    a Saturday and Sunday as "the weekend", holidays by name, more than three other days in a
    row as a range ("Tue 2 Jan-Sun 7 Jan"), others by label; overnight gaps are not mentioned.
    A start outside working hours is still the creation time; the days from it to the first
    opening are skipped the same way, its own day included when that day has no working time.
    More than six periods keep the first three and last two and summarise the middle ("then
    57 more working periods (456 h), skipping 2 holidays"). No work reads "Counted nothing;
    due at once."
    """
    start_us = _instant(start, "start")
    work_us = _duration(work)
    due_us = schedule._due(start_us, work_us) if work_us else start_us
    zone = schedule.tzinfo
    created, due_at = _local(start_us, zone), _local(due_us, zone)
    span = (due_at.date() - created.date()).days
    labels = _Labels(0 if span <= 6 else 1 if span < 365 else 2, schedule)
    hours = _hours(work_us)
    return [
        f"Created {labels.moment(created)} ({schedule.timezone}).",
        f"{hours} working hour{'' if hours == '1' else 's'} on {schedule.describe()}.",
        _counted_line(start_us, due_us, schedule, labels),
        f"Due {labels.moment(due_at)}.",
    ]


def _counted_line(start: int, end: int, schedule: Calendar, labels: "_Labels") -> str:
    periods = schedule._periods(start, end)
    if not periods:
        return "Counted nothing; due at once."
    zone = schedule.tzinfo
    one_day = timedelta(days=1)

    # The days skipped before each period: for the first, from the creation day (when it has
    # no working time at all) to the day the first period starts.
    created = _local(start, zone).date()
    gap_from = created if not schedule._has_working_time_on(created) else created + one_day
    gaps = []
    for period_start, period_end in periods:
        first_day = _local(period_start, zone).date()
        gaps.append(_dates(gap_from, first_day))
        gap_from = _local(period_end - 1, zone).date() + one_day

    def period_part(index):
        return f"counted {labels.period(*periods[index])}"

    def gap_parts(index):
        return [f"skipped {labels.skipped(gaps[index])}"] if gaps[index] else []

    parts = []
    if len(periods) <= _MAX_LISTED_PERIODS:
        for index in range(len(periods)):
            parts += [*gap_parts(index), period_part(index)]
    else:
        head, tail = _LISTED_HEAD, len(periods) - _LISTED_TAIL
        for index in range(head):
            parts += [*gap_parts(index), period_part(index)]
        middle_work = sum(e - s for s, e in periods[head:tail])
        middle_holidays = sum(
            1 for gap in gaps[head : tail + 1] for day in gap if day in schedule.holidays
        )
        summary = f"then {tail - head} more working periods ({_hours(middle_work)} h)"
        if middle_holidays:
            summary += f", skipping {middle_holidays} holiday{'s' if middle_holidays > 1 else ''}"
        parts.append(summary)
        parts.append(period_part(tail))
        for index in range(tail + 1, len(periods)):
            parts += [*gap_parts(index), period_part(index)]
    line = "; ".join(parts)
    return f"{line[0].upper()}{line[1:]}."


class _Labels:
    """Dates and times for one explanation, as short as its span allows (see explain)."""

    def __init__(self, detail: int, schedule: Calendar):
        self.detail = detail  # 0: weekday only, 1: with day and month, 2: with the year too
        self.schedule = schedule

    def day(self, day: date, detail: int | None = None) -> str:
        detail = self.detail if detail is None else detail
        label = _DAY_NAMES[day.weekday()]
        if detail >= 1:
            label += f" {day.day} {_MONTH_NAMES[day.month - 1]}"
        if detail >= 2:
            label += f" {day.year}"
        return label

    def moment(self, local: datetime) -> str:
        return f"{self.day(local.date())} {_wall_clock(local)}"

    def period(self, start: int, end: int) -> str:
        zone = self.schedule.tzinfo
        opened, closed = _local(start, zone), _local(end, zone)
        since = self.moment(opened)
        if closed.time() == time(0, 0):
            last_day = closed.date() - timedelta(days=1)
            until = "24:00" if last_day == opened.date() else f"{self.day(last_day)} 24:00"
        elif closed.date() == opened.date():
            until = _wall_clock(closed)
            if _is_ambiguous(opened) and _is_ambiguous(closed):
                # Both ends in the repeated hour: name the offset once, "02:15–02:45 CET".
                since, until = f"{self.day(opened.date())} {opened:%H:%M}", f"{closed:%H:%M %Z}"
        else:
            until = self.moment(closed)
        return f"{since}{_DASH}{until} ({_hours(end - start)} h)"

    def holiday(self, day: date) -> str:
        name = self.schedule.holiday_names.get(day) or "holiday"
        return f"{self.day(day, max(self.detail, 1))} ({name})"

    def skipped(self, days: list[date]) -> str:
        holidays = self.schedule.holidays
        items = []
        i = 0
        while i < len(days):
            if days[i] in holidays:
                items.append(self.holiday(days[i]))
                i += 1
                continue
            run_end = i
            while run_end < len(days) and days[run_end] not in holidays:
                run_end += 1
            run = days[i:run_end]
            if len(run) > 3:
                detail = max(self.detail, 1)
                items.append(f"{self.day(run[0], detail)}{_DASH}{self.day(run[-1], detail)}")
            else:
                j = 0
                while j < len(run):
                    if run[j].weekday() == 5 and j + 1 < len(run):
                        items.append("the weekend")
                        j += 2
                    else:
                        items.append(self.day(run[j]))
                        j += 1
            i = run_end
        if len(items) == 1:
            return items[0]
        return f"{', '.join(items[:-1])} and {items[-1]}"


# Validation and formatting ----------------------------------------------------------------


@lru_cache(maxsize=256)
def _shared_chunks(timezone: str, days: tuple, holidays: frozenset[date]) -> dict:
    """One cache of working periods per distinct schedule, so one rebuilt per request is cheap."""
    return {}


def _rebuild_schedule(timezone, weekly, holidays, name, holiday_names):
    return Calendar(timezone, weekly, holidays, name=name, holiday_names=holiday_names)


def _zone(key: object) -> ZoneInfo:
    if not isinstance(key, str) or not key:
        raise ValueError(f"Unknown time zone {key!r}: give an IANA name such as 'Europe/Berlin'.")
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            f"Unknown time zone {key!r}: give an IANA name such as 'Europe/Berlin'."
        ) from None


def _normalise_weekly(weekly: object) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Seven tuples (Monday first) of sorted, disjoint (start, end) microseconds after midnight."""
    if not isinstance(weekly, Mapping):
        raise ValueError("weekly must map weekdays (0 = Monday ... 6 = Sunday) to intervals.")
    days: list[tuple[tuple[int, int], ...]] = [()] * 7
    for day, intervals in weekly.items():
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise ValueError(f"Weekday {day!r} is not 0 (Monday) to 6 (Sunday).")
        parsed = sorted(_parse_interval(day, item) for item in _iterate(day, intervals))
        merged: list[tuple[int, int]] = []
        for start, end in parsed:
            if merged and start < merged[-1][1]:
                raise ValueError(
                    f"{_DAY_NAMES[day]} {_interval_label(*merged[-1])} overlaps "
                    f"{_interval_label(start, end)}."
                )
            if merged and start == merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        days[day] = tuple(merged)
    return tuple(days)


def _iterate(day: int, intervals: object) -> list[object]:
    try:
        return list(intervals)  # type: ignore[call-overload]
    except TypeError:
        raise ValueError(f"{_DAY_NAMES[day]}: {intervals!r} is not a list of intervals.") from None


def _parse_interval(day: int, item: object) -> tuple[int, int]:
    try:
        start, end = item  # type: ignore[misc]
    except (TypeError, ValueError):
        raise ValueError(
            f"{_DAY_NAMES[day]}: {item!r} is not a (start, end) pair of times."
        ) from None
    if not isinstance(start, time) or not isinstance(end, time):
        raise ValueError(f"{_DAY_NAMES[day]}: {item!r} is not a (start, end) pair of times.")
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValueError(
            f"{_DAY_NAMES[day]}: interval times are wall-clock times in the schedule's zone; "
            "give them without a tzinfo."
        )
    start_us, end_us = _time_us(start), _time_us(end) or _DAY_US
    if start_us >= end_us:
        raise ValueError(
            f"{_DAY_NAMES[day]} {_interval_label(start_us, end_us)} does not end after it "
            "starts; split a shift past midnight into two days, or end it at 00:00 (midnight)."
        )
    return start_us, end_us


def _normalise_holidays(holidays: object) -> frozenset[date]:
    try:
        days = frozenset(holidays)  # type: ignore[arg-type]
    except TypeError:
        raise ValueError("holidays must be a set of dates.") from None
    for day in days:
        if isinstance(day, datetime) or not isinstance(day, date):
            raise ValueError(f"Holiday {day!r} is not a date; holidays are whole local days.")
    return days


def _normalise_holiday_names(names: object, holidays: frozenset[date]) -> dict[date, str]:
    if names is None:
        return {}
    if not isinstance(names, Mapping):
        raise ValueError("holiday_names must map holiday dates to names.")
    for day, name in names.items():
        if day not in holidays:
            raise ValueError(f"holiday_names names {day!r}, which is not one of the holidays.")
        if not isinstance(name, str):
            raise ValueError(f"The name of holiday {day} must be a string, not {name!r}.")
    return dict(names)


def _instant(moment: object, what: str) -> int:
    if not isinstance(moment, datetime):
        raise TypeError(f"{what} must be a datetime, not {type(moment).__name__}.")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be an aware datetime; {moment!r} is naive.")
    return (moment - _EPOCH) // _US


def _duration(work: object) -> int:
    if not isinstance(work, timedelta):
        raise TypeError(f"work must be a timedelta, not {type(work).__name__}.")
    if work < timedelta(0):
        raise ValueError(f"work must not be negative; got {work}.")
    return work // _US


def _local(instant: int, zone: tzinfo) -> datetime:
    return (_EPOCH + timedelta(microseconds=instant)).astimezone(zone)


def _is_ambiguous(local: datetime) -> bool:
    """Whether this wall-clock time happens twice, as in the hour repeated when clocks go back."""
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def _wall_clock(local: datetime) -> str:
    """ "16:30"; a time that happens twice says which: "02:30 CET" after "02:30 CEST"."""
    return f"{local:%H:%M %Z}" if _is_ambiguous(local) else f"{local:%H:%M}"


def _dates(first: date, stop: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((stop - first).days)]


def _time_us(moment: time) -> int:
    return (
        (moment.hour * 60 + moment.minute) * 60 + moment.second
    ) * 1_000_000 + moment.microsecond


def _clock_time(microseconds: int) -> time:
    if microseconds == _DAY_US:
        return time(0, 0)
    seconds, micro = divmod(microseconds, 1_000_000)
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro)


def _clock_label(microseconds: int) -> str:
    seconds = microseconds // 1_000_000
    label = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}"
    return f"{label}:{seconds % 60:02d}" if seconds % 60 else label


def _interval_label(start: int, end: int) -> str:
    return f"{_clock_label(start)}{_DASH}{_clock_label(end)}"


def _weekday_runs(days: list[int]) -> str:
    """Weekdays as runs: [0, 1, 2, 3, 4] -> "Mon-Fri"; [0, 1, 2, 4] -> "Mon-Wed, Fri"."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        _DAY_NAMES[run[0]] if len(run) == 1 else f"{_DAY_NAMES[run[0]]}{_DASH}{_DAY_NAMES[run[-1]]}"
        for run in runs
    )


def _hours(microseconds: int) -> str:
    """Hours without trailing zeros, to two decimals at most: 8, 0.5, 7.5, 1.25, 0.33."""
    hours = (Decimal(microseconds) / _HOUR_US).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{hours:f}".rstrip("0").rstrip(".")
