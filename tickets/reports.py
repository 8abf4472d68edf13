"""The dashboard's figures: what happened to the tickets in a period, and how well.

Everything is counted in the database by aggregations, a fixed number of queries whatever
the number of tickets (`Report` makes them all; pages, CSV files and the weekly summary
read it). Working-time durations are not worked out here: they were stored on the ticket
when its target was met (tickets.timing: `first_response_work`, `resolution_work`, in
working time of the ticket's own schedule, awaiting-user time left out), so a report only
takes their median and 90th percentile.

Days are the viewer's days (their time zone). Which tickets count is the caller's choice
(`Scope.tickets`): an agent's dashboard starts from `Ticket.objects.visible_to(agent)`.

What counts as what:

- created: the ticket's creation; first response: the ticket's first agent response;
- resolved or closed: a status change from open (or awaiting the user) to resolved or
  closed, as the ticket's events record it (a resolved ticket later closed ended once);
- reopened, became overdue: the events of those names;
- open at the end of a day: the open tickets now, less what opened since and plus what
  ended since, day by day back; filters apply to what a ticket is now (its department
  today, not the one it had on that day).
- SLA compliance: of the first responses (resolutions) made in the period on tickets with
  an SLA plan, the share made by their due time.
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from time import monotonic
from zoneinfo import ZoneInfo

from django.db import OperationalError, connection, connections, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from helpdesk.aggregates import Percentile
from sla.models import SLAPlan
from sla.targets import hours_text
from tickets import status as status_machine
from tickets.models import (
    Department,
    Event,
    KeptFigures,
    Priority,
    SatisfactionRating,
    ThreadEntry,
)

OPEN = sorted(status_machine.OPEN_STATUSES)
ENDED = sorted(status_machine.CLOSED_STATUSES)

# The open backlog by age (wall-clock time since the ticket was created): label, and the
# bucket's upper bound (None: no bound).
AGE_BUCKETS = (
    ("Less than 1 day", timedelta(days=1)),
    ("1 to 3 days", timedelta(days=3)),
    ("3 to 7 days", timedelta(days=7)),
    ("1 to 4 weeks", timedelta(days=28)),
    ("Over 4 weeks", None),
)
LATEST_COMMENTS = 10
MAX_DAYS = 366
# The figures a Report works out in the database (each a cached property); `kept()` keeps
# them together. `totals` is summed from `days` and needs no query of its own.
FIGURES = ("backlog", "days", "by_plan", "by_department", "by_agent", "satisfaction")
TABLES = ("by_plan", "by_department", "by_agent")


@dataclass(frozen=True)
class Period:
    """Whole days from `start` to `end` (both included), in time zone `zone`."""

    start: date
    end: date
    zone: ZoneInfo

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time(), self.zone)

    @property
    def ends_at(self) -> datetime:
        """The first moment after the period."""
        return datetime.combine(self.end + timedelta(days=1), time(), self.zone)

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    @property
    def label(self) -> str:
        if self.start == self.end:
            return f"{self.start:%a %-d %b %Y}"
        return f"{self.start:%a %-d %b %Y} to {self.end:%a %-d %b %Y}"

    @property
    def slug(self) -> str:
        """For file names: 2026-11-03_to_2026-12-02."""
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}_to_{self.end.isoformat()}"

    def contains(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.starts_at, f"{field_name}__lt": self.ends_at})

    @classmethod
    def last_days(cls, days: int, zone: ZoneInfo, now: datetime | None = None) -> "Period":
        """The last `days` days, today included."""
        today = timezone.localtime(now or timezone.now(), zone).date()
        return cls(today - timedelta(days=days - 1), today, zone)


@dataclass(frozen=True)
class Scope:
    """Which tickets a report counts, over which days."""

    tickets: QuerySet
    period: Period
    now: datetime = field(default_factory=timezone.now)


@dataclass
class Day:
    day: date
    created: int = 0
    first_responses: int = 0
    ended: int = 0
    reopened: int = 0
    overdue: int = 0
    open_at_end: int = 0


@dataclass
class Row:
    """One line of a per-plan, per-department or per-agent table."""

    key: int | None
    name: str
    first_responses: int = 0
    first_responses_met: int = 0
    resolutions: int = 0
    resolutions_met: int = 0
    first_response_median: timedelta | None = None
    first_response_p90: timedelta | None = None
    first_responses_measured: int = 0
    resolution_median: timedelta | None = None
    resolution_p90: timedelta | None = None
    resolutions_measured: int = 0
    open_now: int = 0
    overdue_now: int = 0
    # Per agent only.
    responded: int = 0
    resolved: int = 0
    ratings: int = 0
    good_ratings: int = 0

    @property
    def first_response_rate(self) -> float | None:
        return share(self.first_responses_met, self.first_responses)

    @property
    def resolution_rate(self) -> float | None:
        return share(self.resolutions_met, self.resolutions)

    @property
    def satisfaction(self) -> float | None:
        return share(self.good_ratings, self.ratings)


@dataclass
class Satisfaction:
    ratings: int
    good: int
    asked: int
    answered: int
    comments: list[SatisfactionRating]

    @property
    def bad(self) -> int:
        return self.ratings - self.good

    @property
    def good_share(self) -> float | None:
        return share(self.good, self.ratings)

    @property
    def response_rate(self) -> float | None:
        return share(self.answered, self.asked)


def percent(part: int, whole: int) -> str:
    """'67 %': a whole number, halves rounded up (in integers, so 1 of 8 is 13 %); an en
    dash where there was nothing to count (not 0 %). The dashboard and the weekly summary
    both say it so."""
    if not whole:
        return "–"
    return f"{(200 * part + whole) // (2 * whole)} %"


def working_hours(value: timedelta) -> str:
    """'2 h 10 min', and past a day whole hours ('61 h'): a working day is not 24 hours, so
    unlike hours_text it never says days."""
    if value < timedelta(days=1):
        return hours_text(value)
    return f"{(value + timedelta(minutes=30)) // timedelta(hours=1)} h"


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide (not 0 %: nothing was measured)."""
    return part / whole if whole else None


def _by_day(queryset: QuerySet, field_name: str, zone: ZoneInfo, **counts) -> dict:
    rows = (
        queryset.annotate(day=TruncDate(field_name, tzinfo=zone))
        .values("day")
        .annotate(**counts)
        .order_by()
    )
    return {row["day"]: row for row in rows}


class Report:
    """Every figure of the dashboard for one scope; each property runs its queries once."""

    def __init__(self, scope: Scope, *, agents=(), departments=()):
        self.scope = scope
        self._names = {"agents": agents, "departments": departments}
        # Set when the figures shown are older ones while newer ones are worked out.
        self.refreshing = False
        self.period = scope.period
        self.tickets = scope.tickets
        # When the figures were worked out: now, unless they were kept (see `kept`).
        self.as_of = scope.now
        # Names for the tables, from lists the page has loaded anyway.
        self._agent_names = {agent.pk: str(agent) for agent in agents}
        self._agent_of_user = {agent.user_id: agent.pk for agent in agents}
        self._department_names = {dept.pk: dept.name for dept in departments}

    def afresh(self) -> "Report":
        """The same report with nothing worked out yet."""
        return Report(self.scope, **self._names)

    def _of_tickets(self, rows) -> QuerySet:
        """These rows (events, entries, ratings) of the scope's tickets. Over every ticket
        (the admin's dashboard, unfiltered) no condition at all: `ticket IN (every id)`
        would make the database hash the whole ticket table for nothing."""
        if not self.tickets.query.where:
            return rows.all()
        return rows.filter(ticket__in=self.tickets)

    # Activity ---------------------------------------------------------------------------

    @cached_property
    def days(self) -> list[Day]:
        """Per day of the period: created, first responses, ended, reopened, became overdue,
        and open at the end of the day. Four queries."""
        period, zone, now = self.period, self.period.zone, self.scope.now
        since_start = Q(created_at__gte=period.starts_at, created_at__lte=now)
        created = _by_day(self.tickets.filter(since_start), "created_at", zone, n=Count("pk"))
        responded = _by_day(
            self.tickets.filter(period.contains("first_responded_at")),
            "first_responded_at",
            zone,
            n=Count("pk"),
        )
        events = _by_day(
            self._of_tickets(Event.objects).filter(
                since_start,
                kind__in=[Event.Kind.STATUS_CHANGED, Event.Kind.REOPENED, Event.Kind.OVERDUE],
            ),
            "created_at",
            zone,
            ended=Count("pk", filter=_ending()),
            reopened=Count("pk", filter=Q(kind=Event.Kind.REOPENED)),
            overdue=Count("pk", filter=Q(kind=Event.Kind.OVERDUE)),
        )
        open_now = self.backlog["total"]

        def net(day) -> int:
            flows = events.get(day, {})
            return (
                created.get(day, {}).get("n", 0) + flows.get("reopened", 0) - flows.get("ended", 0)
            )

        # Open at the end of each day: from now, back day by day.
        today = timezone.localtime(now, zone).date()
        open_at_end = {}
        running = open_now
        day = today
        while day >= period.start:
            if day <= period.end:
                open_at_end[day] = running
            running -= net(day)
            day -= timedelta(days=1)
        result = []
        for day in period.days:
            flows = events.get(day, {})
            result.append(
                Day(
                    day=day,
                    created=created.get(day, {}).get("n", 0),
                    first_responses=responded.get(day, {}).get("n", 0),
                    ended=flows.get("ended", 0),
                    reopened=flows.get("reopened", 0),
                    overdue=flows.get("overdue", 0),
                    # A day after today has no end yet: the backlog stands as it is now.
                    open_at_end=open_at_end.get(day, open_now) if day <= today else open_now,
                )
            )
        return result

    @cached_property
    def totals(self) -> Day:
        total = Day(day=self.period.end)
        for day in self.days:
            total.created += day.created
            total.first_responses += day.first_responses
            total.ended += day.ended
            total.reopened += day.reopened
            total.overdue += day.overdue
        total.open_at_end = self.days[-1].open_at_end if self.days else 0
        return total

    # Backlog ----------------------------------------------------------------------------

    @cached_property
    def backlog(self) -> dict:
        """The open tickets now: in all, by age and by priority. One query."""
        now = self.scope.now
        counts = {"total": Count("pk")}
        lower = None
        for n, (_label, upper) in enumerate(AGE_BUCKETS):
            age = Q()
            if upper is not None:
                age &= Q(created_at__gt=now - upper)
            if lower is not None:
                age &= Q(created_at__lte=now - lower)
            counts[f"age{n}"] = Count("pk", filter=age)
            lower = upper
        for priority in Priority:
            counts[f"priority{priority.value}"] = Count("pk", filter=Q(priority=priority))
        counts["overdue"] = Count("pk", filter=Q(is_overdue=True))
        counts["unassigned"] = Count("pk", filter=Q(assignee__isnull=True, team__isnull=True))
        row = self.tickets.filter(status__in=OPEN).aggregate(**counts)
        row["by_age"] = [(label, row[f"age{n}"]) for n, (label, _upper) in enumerate(AGE_BUCKETS)]
        row["by_priority"] = [
            (priority.label, row[f"priority{priority.value}"])
            for priority in sorted(Priority, key=lambda p: -p.value)
        ]
        return row

    # SLA compliance and working time ----------------------------------------------------

    def _grouped(self, field_name: str) -> dict:
        period = self.period
        fr = period.contains("first_responded_at")
        res = period.contains("resolved_at")
        fr_timed = fr & Q(first_response_on_time__isnull=False)
        res_timed = res & Q(resolution_on_time__isnull=False)
        fr_measured = fr & Q(first_response_work__isnull=False)
        res_measured = res & Q(resolution_work__isnull=False)
        is_open = Q(status__in=OPEN)
        rows = (
            self.tickets.filter(fr | res | is_open)
            .values(field_name)
            .annotate(
                first_responses=Count("pk", filter=fr_timed),
                first_responses_met=Count("pk", filter=fr_timed & Q(first_response_on_time=True)),
                resolutions=Count("pk", filter=res_timed),
                resolutions_met=Count("pk", filter=res_timed & Q(resolution_on_time=True)),
                first_responses_measured=Count("pk", filter=fr_measured),
                first_response_median=Percentile("first_response_work", 0.5, filter=fr_measured),
                first_response_p90=Percentile("first_response_work", 0.9, filter=fr_measured),
                resolutions_measured=Count("pk", filter=res_measured),
                resolution_median=Percentile("resolution_work", 0.5, filter=res_measured),
                resolution_p90=Percentile("resolution_work", 0.9, filter=res_measured),
                open_now=Count("pk", filter=is_open),
                overdue_now=Count("pk", filter=is_open & Q(is_overdue=True)),
            )
            .order_by()
        )
        return {row.pop(field_name): row for row in rows}

    def _rows(self, grouped: dict, names: dict, *, none_name: str) -> list[Row]:
        rows = [
            Row(key=key, name=names.get(key, none_name), **data) for key, data in grouped.items()
        ]
        rows.sort(key=lambda row: (row.key is None, row.name.lower()))
        return rows

    @cached_property
    def by_plan(self) -> list[Row]:
        """SLA compliance per plan (tickets without a plan have no due times: left out)."""
        grouped = self._grouped("sla_plan")
        grouped.pop(None, None)
        names = dict(SLAPlan.objects.filter(pk__in=list(grouped)).values_list("pk", "name"))
        return self._rows(grouped, names, none_name="")

    @cached_property
    def by_department(self) -> list[Row]:
        grouped = self._grouped("department")
        missing = [pk for pk in grouped if pk not in self._department_names]
        if missing:
            self._department_names.update(
                Department.objects.filter(pk__in=missing).values_list("pk", "name")
            )
        return self._rows(grouped, self._department_names, none_name="")

    @cached_property
    def by_agent(self) -> list[Row]:
        """Per agent (the assignee now): compliance and working time of their tickets, open
        and overdue now; and what they did in the period: tickets responded to, tickets
        resolved or closed, satisfaction with their tickets' resolutions. Four queries."""
        grouped = self._grouped("assignee")
        period = self.period
        responded = dict(
            self._of_tickets(ThreadEntry.objects)
            .filter(period.contains("created_at"), kind=ThreadEntry.Kind.RESPONSE)
            .values("author")
            .annotate(n=Count("ticket", distinct=True))
            .order_by()
            .values_list("author", "n")
        )
        resolved = dict(
            self._of_tickets(Event.objects)
            .filter(period.contains("created_at"), _ending())
            .values("actor")
            .annotate(n=Count("ticket", distinct=True))
            .order_by()
            .values_list("actor", "n")
        )
        ratings = {
            row["ticket__assignee"]: row
            for row in self._ratings()
            .values("ticket__assignee")
            .annotate(n=Count("pk"), good=Count("pk", filter=Q(rating="good")))
            .order_by()
        }
        data: dict = defaultdict(dict)
        for key, row in grouped.items():
            data[key].update(row)
        for user_id, n in responded.items():
            if user_id in self._agent_of_user:
                data[self._agent_of_user[user_id]]["responded"] = n
        for user_id, n in resolved.items():
            if user_id in self._agent_of_user:
                data[self._agent_of_user[user_id]]["resolved"] = n
        for key, row in ratings.items():
            data[key].update(ratings=row["n"], good_ratings=row["good"])
        return self._rows(dict(data), self._agent_names, none_name="Unassigned")

    # Satisfaction -----------------------------------------------------------------------

    def _ratings(self) -> QuerySet:
        """The ratings of resolutions made in the period."""
        return self._of_tickets(SatisfactionRating.objects).filter(
            self.period.contains("resolved_at")
        )

    @cached_property
    def satisfaction(self) -> Satisfaction:
        """Good share, response rate and the latest comments. Three queries."""
        given = self._ratings().aggregate(n=Count("pk"), good=Count("pk", filter=Q(rating="good")))
        # Asked: the resolutions of the period that asked for a rating (a ticket closed
        # without being resolved first was not asked; nor one whose topic has it off).
        rated = SatisfactionRating.objects.filter(
            ticket=OuterRef("pk"), resolved_at=OuterRef("resolved_at")
        )
        asked = (
            self.tickets.filter(self.period.contains("resolved_at"), status__in=ENDED)
            .exclude(closed_at=F("resolved_at"))
            .filter(Q(help_topic__isnull=True) | Q(help_topic__survey_enabled=True))
            .aggregate(asked=Count("pk"), answered=Count("pk", filter=Exists(rated)))
        )
        comments = list(
            self._ratings()
            .exclude(comment="")
            .select_related("ticket")
            .order_by("-updated_at", "-pk")[:LATEST_COMMENTS]
        )
        return Satisfaction(
            ratings=given["n"],
            good=given["good"],
            asked=asked["asked"],
            answered=asked["answered"],
            comments=comments,
        )


def _key(report: Report) -> str:
    """What the figures depend on: the SQL that picks the scope's tickets (with its values,
    so the agent's visible departments and teams, and the filters, are in it) and the
    period's days in its time zone. Two agents who see exactly the same tickets share it."""
    sql, params = report.tickets.query.sql_with_params()
    period = report.period
    what = repr((sql, params, period.start, period.end, str(period.zone)))
    return "dashboard:" + hashlib.sha256(what.encode()).hexdigest()


class TooSlow(Exception):
    """The figures could not be worked out within the time allowed."""


def _cancelled(error: OperationalError) -> bool:
    """Whether PostgreSQL cancelled the statement for running past statement_timeout."""
    return getattr(error.__cause__, "sqlstate", None) == "57014"


def within(seconds: float, steps: list[Callable]) -> None:
    """Run `steps` (each some queries) in one transaction, all within `seconds`; TooSlow past
    it. Before each statement the clock is checked, and PostgreSQL is told to stop the
    statement when the time left runs out, so a long period over a million tickets ends in a
    clear message, not in a worker killed by its timeout, and a page that may spend half a
    second spends about that, not half a second a statement."""
    deadline = monotonic() + seconds

    def limited(execute, sql, params, many, context):
        left = deadline - monotonic()
        if left <= 0:
            raise TooSlow
        database = context["connection"]
        if database.vendor == "postgresql" and database.in_atomic_block:
            # On the driver's own cursor: the limit is ours, not one of the report's queries.
            context["cursor"].cursor.execute(
                "SELECT set_config('statement_timeout', %s, true)", [str(max(1, int(left * 1000)))]
            )
        return execute(sql, params, many, context)

    def run():
        with ExitStack() as stack:
            for database in connections.all(initialized_only=True):
                stack.enter_context(database.execute_wrapper(limited))
            for step in steps:
                if monotonic() >= deadline:
                    raise TooSlow
                step()

    if connection.vendor != "postgresql":
        run()
        return
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:  # the limit lasts until the transaction ends
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)",
                    [str(max(1, int(seconds * 1000)))],
                )
            run()
    except OperationalError as error:
        if _cancelled(error):
            raise TooSlow from error
        raise


def worked_out(report: Report, seconds: float) -> Report:
    """The report with every figure worked out now, within `seconds` (else TooSlow)."""
    within(seconds, [lambda name=name: getattr(report, name) for name in FIGURES])
    return report


class NotReady(Exception):
    """The figures are being worked out by the background worker; ask again shortly."""


# How long figures are shown while newer ones are worked out; older ones are not shown.
STALE_SHOWN = timedelta(hours=1)
# How long a scope left to the worker waits before a page asks again (the worker died, or
# none runs), and how long a "took too long" verdict stands.
ASKED_FOR = timedelta(minutes=10)
KEPT_FOR = timedelta(days=1)


# Row's fields that are durations (kept as seconds).
DURATIONS = ("first_response_median", "first_response_p90", "resolution_median", "resolution_p90")


def _encoded(report: Report) -> dict:
    """The worked-out figures as JSON (KeptFigures.figures); `_decoded` reads them back."""

    def row(line: Row) -> dict:
        values = asdict(line)
        for name in DURATIONS:
            if values[name] is not None:
                values[name] = values[name].total_seconds()
        return values

    satisfaction = report.satisfaction
    return {
        "as_of": report.as_of.isoformat(),
        "backlog": report.backlog,
        "days": [{**asdict(day), "day": day.day.isoformat()} for day in report.days],
        **{name: [row(line) for line in getattr(report, name)] for name in TABLES},
        "satisfaction": {
            "ratings": satisfaction.ratings,
            "good": satisfaction.good,
            "asked": satisfaction.asked,
            "answered": satisfaction.answered,
            "comments": [comment.pk for comment in satisfaction.comments],
        },
    }


def _decoded(figures: dict) -> dict:
    """The figures `_encoded` wrote, as the Report's properties hold them (the latest
    comments read again, in one query: their tickets may have changed since)."""

    def row(values: dict) -> Row:
        for name in DURATIONS:
            if values[name] is not None:
                values[name] = timedelta(seconds=values[name])
        return Row(**values)

    backlog = figures["backlog"]
    backlog["by_age"] = [tuple(pair) for pair in backlog["by_age"]]
    backlog["by_priority"] = [tuple(pair) for pair in backlog["by_priority"]]
    given = figures["satisfaction"]
    ids = given.pop("comments")
    found = SatisfactionRating.objects.select_related("ticket").in_bulk(ids) if ids else {}
    return {
        "as_of": datetime.fromisoformat(figures["as_of"]),
        "backlog": backlog,
        "days": [Day(**{**day, "day": date.fromisoformat(day["day"])}) for day in figures["days"]],
        **{name: [row(values) for values in figures[name]] for name in TABLES},
        "satisfaction": Satisfaction(**given, comments=[found[pk] for pk in ids if pk in found]),
    }


def _store(key: str, report: Report, took: float) -> None:
    KeptFigures.objects.update_or_create(
        key=key,
        defaults={
            "figures": _encoded(report),
            "as_of": report.as_of,
            "took": took,
            "too_slow": False,
            "asked_at": None,
        },
    )
    # Scopes nobody has looked at for a day (a period of other days, a filter once tried).
    KeptFigures.objects.filter(as_of__lt=timezone.now() - KEPT_FOR).delete()


def _claim(key: str, row: "KeptFigures | None", now: datetime) -> bool:
    """Whether this request is the one to work the scope's figures out (or to leave them to
    the worker): one request at a time per scope, so a busy minute does not start the same
    aggregation once per person looking."""
    if row is None:
        _row, created = KeptFigures.objects.get_or_create(key=key, defaults={"asked_at": now})
        return created
    unasked = Q(asked_at__isnull=True) | Q(asked_at__lt=now - ASKED_FOR)
    return bool(KeptFigures.objects.filter(unasked, pk=row.pk).update(asked_at=now))


def kept(
    report: Report,
    seconds: int,
    *,
    budget: float,
    wait: float = 0.5,
    ask: Callable[[], None] | None = None,
) -> Report:
    """The report with its figures as worked out at most `seconds` ago for the same scope.

    A dashboard's figures are the costliest reads of the staff panel (at a million tickets,
    seconds of aggregation), yet a figure a minute old is as useful as a fresh one: they are
    kept in the database (one row per scope, read in one query by every web process and the
    worker), and the page says when they were worked out. Visibility is safe by
    construction: the key holds the SQL that picks the tickets, so an agent whose access
    changed gets new figures at once.

    Figures missing or older than `seconds`: one request works them out within `wait`
    seconds; past it `ask()` leaves them to the background worker (tickets.dashboard:
    within the worker's own limit). Meanwhile the page shows the older figures (up to
    STALE_SHOWN old, `report.refreshing` set) or, with none, NotReady. `seconds` 0 keeps
    nothing: every view works them out within `budget` (TooSlow past it).
    """
    if seconds <= 0:
        return worked_out(report, budget)
    key = _key(report)
    now = timezone.now()
    row = KeptFigures.objects.filter(key=key).first()
    shown = row is not None and row.figures is not None and row.as_of > now - STALE_SHOWN
    if shown:
        report.__dict__.update(_decoded(row.figures))
        if row.as_of > now - timedelta(seconds=seconds):
            return report
    if row is not None and row.too_slow and row.as_of > now - ASKED_FOR:
        raise TooSlow
    if not _claim(key, row, now):
        if shown:
            report.refreshing = True
            return report
        raise NotReady
    fresh = report.afresh() if shown else report
    began = monotonic()
    try:
        worked_out(fresh, wait)
    except TooSlow:
        if ask is not None:
            ask()
        if shown:
            report.refreshing = True
            return report
        raise NotReady from None
    _store(key, fresh, monotonic() - began)
    return fresh


def work_out(report: Report, seconds: float) -> Report:
    """For the background worker: work the report's figures out within `seconds` and keep
    them, or record that they took too long (TooSlow then)."""
    key = _key(report)
    began = monotonic()
    try:
        worked_out(report, seconds)
    except TooSlow:
        KeptFigures.objects.update_or_create(
            key=key,
            defaults={
                "figures": None,
                "as_of": timezone.now(),
                "took": monotonic() - began,
                "too_slow": True,
                "asked_at": None,
            },
        )
        raise
    _store(key, report, monotonic() - began)
    return report


def _ending() -> Q:
    """A status change that ended an open ticket (resolved or closed it)."""
    return Q(kind=Event.Kind.STATUS_CHANGED, data__from__in=OPEN, data__to__in=ENDED)


def scoped(tickets: QuerySet, *, department=None, help_topic=None, sla_plan=None, agent=None):
    """The tickets narrowed by the dashboard's optional filters."""
    if department is not None:
        tickets = tickets.filter(department=department)
    if help_topic is not None:
        tickets = tickets.filter(help_topic=help_topic)
    if sla_plan is not None:
        tickets = tickets.filter(sla_plan=sla_plan)
    if agent is not None:
        tickets = tickets.filter(assignee=agent)
    return tickets
