"""How fast the SLA clock computes due times and elapsed working time.

Run from the repository root, either way:

    .venv/bin/python bench/sla_clock.py
    .venv/bin/python -m bench.sla_clock

It prints one line for 100,000 due() calls (8-hour targets on Mon-Fri 09:00-17:00 in
Europe/Berlin with ten holidays a year, from starts spread over two years) and one for
elapsed() over the same start and due pairs. Only the calls themselves are timed, starting
from a fresh schedule, so building its working periods is included.
"""

import random
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

# Run as a script, the repository root is not on the path; put it there.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from time import perf_counter  # noqa: E402

from sla.clock import Calendar, due, elapsed  # noqa: E402

CALLS = 100_000
TARGET = timedelta(hours=8)
FIRST_START = datetime(2025, 1, 1, tzinfo=UTC)
SPREAD = timedelta(days=2 * 365)
# Germany's nationwide public holidays, and Christmas Eve and New Year's Eve.
HOLIDAYS = {
    date(2025, 1, 1): "New Year's Day",
    date(2025, 4, 18): "Good Friday",
    date(2025, 4, 21): "Easter Monday",
    date(2025, 5, 1): "Labour Day",
    date(2025, 5, 29): "Ascension Day",
    date(2025, 6, 9): "Whit Monday",
    date(2025, 10, 3): "German Unity Day",
    date(2025, 12, 24): "Christmas Eve",
    date(2025, 12, 25): "Christmas Day",
    date(2025, 12, 26): "Boxing Day",
    date(2025, 12, 31): "New Year's Eve",
    date(2026, 1, 1): "New Year's Day",
    date(2026, 4, 3): "Good Friday",
    date(2026, 4, 6): "Easter Monday",
    date(2026, 5, 1): "Labour Day",
    date(2026, 5, 14): "Ascension Day",
    date(2026, 5, 25): "Whit Monday",
    date(2026, 10, 3): "German Unity Day",
    date(2026, 12, 24): "Christmas Eve",
    date(2026, 12, 25): "Christmas Day",
    date(2026, 12, 26): "Boxing Day",
    date(2026, 12, 31): "New Year's Eve",
}


def business_hours() -> Calendar:
    weekdays = {day: [(time(9, 0), time(17, 0))] for day in range(5)}
    return Calendar(
        "Europe/Berlin",
        weekdays,
        frozenset(HOLIDAYS),
        name="Business hours",
        holiday_names=HOLIDAYS,
    )


def report(what: str, calls: int, seconds: float) -> None:
    print(f"{what}: {calls:,} calls in {seconds:.3f} s ({calls / seconds:,.0f} per second)")


def main() -> None:
    rng = random.Random(2018)
    spread = SPREAD // timedelta(microseconds=1)
    starts = [FIRST_START + timedelta(microseconds=rng.randrange(spread)) for _ in range(CALLS)]
    schedule = business_hours()

    began = perf_counter()
    dues = [due(start, TARGET, schedule) for start in starts]
    report("due()", len(dues), perf_counter() - began)

    began = perf_counter()
    worked = [elapsed(start, end, schedule) for start, end in zip(starts, dues, strict=True)]
    report("elapsed()", len(worked), perf_counter() - began)

    if any(amount != TARGET for amount in worked):
        sys.exit("elapsed(start, due(start, 8 h)) is not 8 h for every start")


if __name__ == "__main__":
    main()
