"""The dashboard page: which figures (the form), and how they are shown (tables and charts).

The figures come from tickets.reports; here they become tables, each a title, columns and
rows that the page shows and the CSV download streams alike (so every chart's numbers are
in a table, and every table downloads), and charts drawn as SVG from the same numbers.
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.tasks import task
from django.utils import timezone

from accounts.models import Agent
from helpdesk.moments import moment
from sla.models import SLAPlan
from tickets import charts, reports, selectors
from tickets.models import Ticket
from tickets.reports import percent

PERIODS = (
    ("today", "Today"),
    ("7", "Last 7 days"),
    ("30", "Last 30 days"),
    ("90", "Last 90 days"),
    ("range", "Dates"),
)
DEFAULT_PERIOD = "30"
# Nothing happened before it, and far older dates fall off the calendar in some time zones.
EARLIEST = date(2000, 1, 1)


# The form -------------------------------------------------------------------------------


class DashboardForm(forms.Form):
    """The period and the optional narrowing. Bad input is refused with a message each."""

    period = forms.ChoiceField(label="Period", choices=PERIODS, required=False)
    start = forms.DateField(
        label="First day", required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(
        label="Last day", required=False, widget=forms.DateInput({"type": "date"})
    )
    department = forms.TypedChoiceField(
        label="Department", required=False, coerce=int, empty_value=None
    )
    topic = forms.TypedChoiceField(label="Help Topic", required=False, coerce=int, empty_value=None)
    plan = forms.TypedChoiceField(label="SLA Plan", required=False, coerce=int, empty_value=None)
    agent = forms.TypedChoiceField(
        label="Assigned To", required=False, coerce=int, empty_value=None
    )

    def __init__(
        self, data, *, directory: selectors.Directory, plans, departments, today: date, **kw
    ):
        super().__init__(data, **kw)
        self.today = today
        self.directory = directory
        self.fields["department"].choices = [("", "All")] + [(d.pk, d.name) for d in departments]
        self.fields["topic"].choices = [("", "All")] + [(t.pk, t.name) for t in directory.topics]
        self.fields["plan"].choices = [("", "All")] + [(p.pk, p.name) for p in plans]
        self.fields["agent"].choices = [("", "Anyone")] + [
            (a.pk, a.user.display_name) for a in directory.agents
        ]
        for bound in self.visible_fields():
            css = "form-select" if isinstance(bound.field.widget, forms.Select) else "form-control"
            bound.field.widget.attrs["class"] = f"{css} {css}-sm"

    def clean(self):
        data = super().clean()
        period = data.get("period") or DEFAULT_PERIOD
        data["period"] = period
        if period != "range":
            return data
        start, end = data.get("start"), data.get("end")
        if "start" in self.errors or "end" in self.errors:
            return data
        if start is None:
            self.add_error("start", "Enter the first day of the period.")
        if end is None:
            self.add_error("end", "Enter the last day of the period.")
        if start is None or end is None:
            return data
        if start < EARLIEST:
            self.add_error("start", f"The first day cannot be before {EARLIEST:%-d %B %Y}.")
        elif end > self.today:
            self.add_error("end", "The last day cannot be after today.")
        elif start > end:
            self.add_error("start", "The first day must be on or before the last day.")
        elif (end - start).days + 1 > reports.MAX_DAYS:
            self.add_error("start", f"A period can be at most {reports.MAX_DAYS} days long.")
        return data

    def period_of(self, zone: ZoneInfo, now: datetime) -> reports.Period:
        data = self.cleaned_data
        if data["period"] == "range":
            return reports.Period(data["start"], data["end"], zone)
        days = 1 if data["period"] == "today" else int(data["period"])
        return reports.Period.last_days(days, zone, now)

    def narrowed(self, tickets: QuerySet) -> QuerySet:
        data = self.cleaned_data
        return reports.scoped(
            tickets,
            department=data.get("department"),
            help_topic=data.get("topic"),
            sla_plan=data.get("plan"),
            agent=data.get("agent"),
        )

    def data_for_worker(self) -> dict:
        """What the form was given, as plain strings the task queue can carry."""
        return {name: str(self.data.get(name, "")) for name in self.fields if self.data.get(name)}

    @property
    def narrowing(self) -> list[str]:
        """What the figures are narrowed to, in words: ["Department: Support"]."""
        if not self.is_valid():
            return []
        words = []
        for name in ("department", "topic", "plan", "agent"):
            value = self.cleaned_data.get(name)
            if value is not None:
                label = dict(self.fields[name].choices).get(value, "")
                words.append(f"{self.fields[name].label}: {label}")
        return words


def dashboard_form(data, agent, *, directory: selectors.Directory, now=None):
    """The form in the agent's days. It offers every department, as the queues' filter does:
    what the figures count is decided by `report_for`, never by the choices."""
    now = now or timezone.now()
    return DashboardForm(
        data or {"period": DEFAULT_PERIOD},
        directory=directory,
        plans=list(SLAPlan.objects.order_by("name")),
        departments=directory.departments,
        today=timezone.localtime(now, ZoneInfo(agent.timezone)).date(),
    )


def report_for(form: DashboardForm, agent, *, directory, everything: bool, now=None):
    """The report the valid form asks for: over every ticket for the admin's dashboard, else
    over those the agent sees; its figures kept (tickets.reports.kept), and left to the
    background worker when the page cannot work them out quickly (NotReady then)."""
    report = _report(form, agent, directory=directory, everything=everything, now=now)

    def ask():
        work_out_figures.enqueue(agent.pk, form.data_for_worker(), everything)

    return reports.kept(
        report,
        settings.HELPDESK_DASHBOARD_SECONDS,
        budget=settings.HELPDESK_DASHBOARD_BUDGET_SECONDS,
        wait=settings.HELPDESK_DASHBOARD_WAIT_MS / 1000,
        ask=ask,
    )


def _report(form: DashboardForm, agent, *, directory, everything: bool, now=None):
    now = now or timezone.now()
    zone = ZoneInfo(agent.timezone)
    tickets = Ticket.objects.all() if everything else Ticket.objects.visible_to(agent)
    scope = reports.Scope(tickets=form.narrowed(tickets), period=form.period_of(zone, now), now=now)
    return reports.Report(scope, agents=directory.agents, departments=directory.departments)


@task
def work_out_figures(agent_pk: int, data: dict, everything: bool) -> str:
    """Work out and keep the figures a dashboard page asked for and could not wait for: the
    same form and agent (their access as it is now), within the worker's own limit."""
    agent = Agent.objects.filter(pk=agent_pk, user__is_active=True).first()
    if agent is None:
        return "no such agent"
    if everything and not agent.is_admin:  # no longer an administrator since the page asked
        return "not an administrator"
    directory = selectors.staff_directory()
    form = dashboard_form(data, agent, directory=directory)
    if not form.is_valid():
        return "the form is no longer valid"
    report = _report(form, agent, directory=directory, everything=everything)
    try:
        reports.work_out(report, settings.HELPDESK_DASHBOARD_WORKER_SECONDS)
    except reports.TooSlow:
        return "too slow"
    return "worked out"


# A page whose figures the worker is working out looks again after this many seconds.
LOOK_AGAIN_SECONDS = 3


def limit_seconds() -> int:
    """The time figures may take, as the "took too long" message says it: the worker's when
    figures are kept (it works out what a page could not), else the page's own."""
    if settings.HELPDESK_DASHBOARD_SECONDS > 0:
        return settings.HELPDESK_DASHBOARD_WORKER_SECONDS
    return settings.HELPDESK_DASHBOARD_BUDGET_SECONDS


TOO_SLOW = (
    "These figures took too long to work out (over {seconds:g} seconds). Choose a shorter "
    "period, or narrow them to a department, help topic, SLA plan or agent."
)


# Tables ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    # The row's value for the CSV file (numbers as numbers), and its text on the page
    # (the value as it is, without `text`).
    value: Callable
    text: Callable | None = None
    numeric: bool = True

    def shown(self, row) -> str:
        return self.text(row) if self.text else _plain(self.value(row))


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    columns: tuple[Column, ...]
    rows: Callable  # report -> rows
    empty: str = "Nothing in this period."
    note: str = ""

    def lines(self, report) -> list[list[str]]:
        return [[column.shown(row) for column in self.columns] for row in self.rows(report)]

    def values(self, report) -> Iterator[list]:
        for row in self.rows(report):
            yield [column.value(row) for column in self.columns]


def _plain(value) -> str:
    return "" if value is None else str(value)


def work_text(value: timedelta | None) -> str:
    """Working time as the weekly summary says it too; a dash if not measured."""
    return "–" if value is None else reports.working_hours(value)


def hours(value: timedelta | None) -> float | None:
    """Working hours, for CSV files: 1.5 for 1 h 30 min."""
    return None if value is None else round(value.total_seconds() / 3600, 2)


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _attr(name):
    return lambda row: getattr(row, name)


def _compliance(slug: str, title: str, header: str, rows: str) -> Table:
    return Table(
        slug,
        title,
        (
            Column(header, _attr("name"), numeric=False),
            Column("First responses", _attr("first_responses")),
            Column("First responses on time", _attr("first_responses_met")),
            Column(
                "First responses on time %",
                lambda r: _rate(r.first_response_rate),
                lambda r: percent(r.first_responses_met, r.first_responses),
            ),
            Column("Resolutions", _attr("resolutions")),
            Column("Resolutions on time", _attr("resolutions_met")),
            Column(
                "Resolutions on time %",
                lambda r: _rate(r.resolution_rate),
                lambda r: percent(r.resolutions_met, r.resolutions),
            ),
        ),
        lambda report: [
            row for row in getattr(report, rows) if row.first_responses or row.resolutions
        ],
        empty="No first response or resolution with an SLA plan in this period.",
    )


def _work_column(header: str, attribute: str) -> Column:
    return Column(
        f"{header} (working h)",
        lambda row: hours(getattr(row, attribute)),
        lambda row: work_text(getattr(row, attribute)),
    )


def _times(slug: str, title: str, header: str, rows: str) -> Table:
    return Table(
        slug,
        title,
        (
            Column(header, _attr("name"), numeric=False),
            Column("First responses measured", _attr("first_responses_measured")),
            _work_column("First response median", "first_response_median"),
            _work_column("First response 90th percentile", "first_response_p90"),
            Column("Resolutions measured", _attr("resolutions_measured")),
            _work_column("Resolution median", "resolution_median"),
            _work_column("Resolution 90th percentile", "resolution_p90"),
        ),
        lambda report: [
            row
            for row in getattr(report, rows)
            if row.first_responses_measured or row.resolutions_measured
        ],
        empty="No first response or resolution measured in this period.",
        note="In working hours of each ticket's own schedule, time awaiting the user left out.",
    )


def _day(value: date) -> str:
    return f"{value:%a %-d %b}"


TABLES: dict[str, Table] = {
    table.slug: table
    for table in (
        Table(
            "activity",
            "Ticket activity per day",
            (
                Column("Day", lambda d: d.day.isoformat(), lambda d: _day(d.day)),
                Column("Created", _attr("created")),
                Column("First responses", _attr("first_responses")),
                Column("Resolved or closed", _attr("ended")),
                Column("Reopened", _attr("reopened")),
                Column("Became overdue", _attr("overdue")),
                Column("Open at end of day", _attr("open_at_end")),
            ),
            lambda report: report.days,
        ),
        Table(
            "backlog-age",
            "Open tickets now, by age",
            (
                Column("Age", lambda r: r[0], numeric=False),
                Column("Open tickets", lambda r: r[1]),
            ),
            lambda report: report.backlog["by_age"],
        ),
        Table(
            "backlog-priority",
            "Open tickets now, by priority",
            (
                Column("Priority", lambda r: r[0], numeric=False),
                Column("Open tickets", lambda r: r[1]),
            ),
            lambda report: report.backlog["by_priority"],
        ),
        _compliance("sla-plans", "SLA compliance per SLA plan", "SLA plan", "by_plan"),
        _compliance(
            "sla-departments", "SLA compliance per department", "Department", "by_department"
        ),
        _compliance("sla-agents", "SLA compliance per agent", "Agent", "by_agent"),
        _times("times-departments", "Working time per department", "Department", "by_department"),
        _times("times-agents", "Working time per agent", "Agent", "by_agent"),
        Table(
            "agents",
            "Agents",
            (
                Column("Agent", _attr("name"), numeric=False),
                Column("Assigned, open now", _attr("open_now")),
                Column("Overdue now", _attr("overdue_now")),
                Column("Responded to", _attr("responded")),
                Column("Resolved or closed", _attr("resolved")),
                Column("Ratings", _attr("ratings")),
                Column(
                    "Good %",
                    lambda r: _rate(r.satisfaction),
                    lambda r: percent(r.good_ratings, r.ratings),
                ),
            ),
            lambda report: [
                row
                for row in report.by_agent
                if row.open_now or row.responded or row.resolved or row.ratings
            ],
            empty="No agent work in this period.",
            note=(
                "Responded to and resolved or closed: tickets the agent did so in the period. "
                "Ratings: of resolutions in the period of tickets assigned to the agent."
            ),
        ),
        Table(
            "satisfaction",
            "Satisfaction",
            (
                Column("Ratings", _attr("ratings")),
                Column("Good", _attr("good")),
                Column("Bad", _attr("bad")),
                Column(
                    "Good %", lambda s: _rate(s.good_share), lambda s: percent(s.good, s.ratings)
                ),
                Column("Asked", _attr("asked")),
                Column("Answered", _attr("answered")),
                Column(
                    "Response rate %",
                    lambda s: _rate(s.response_rate),
                    lambda s: percent(s.answered, s.asked),
                ),
            ),
            lambda report: [report.satisfaction],
            note="Of the resolutions in the period; asked: those whose help topic asks.",
        ),
        Table(
            "comments",
            "Latest comments",
            (
                Column(
                    "Rated",
                    lambda r: timezone.localtime(r.updated_at).isoformat(timespec="minutes"),
                    lambda r: moment(r.updated_at),
                    numeric=False,
                ),
                Column(
                    "Ticket",
                    lambda r: r.ticket.number,
                    lambda r: r.ticket.display_number,
                    numeric=False,
                ),
                Column("Subject", lambda r: r.ticket.subject, numeric=False),
                Column("Rating", lambda r: r.get_rating_display(), numeric=False),
                Column("Comment", lambda r: r.comment, numeric=False),
            ),
            lambda report: report.satisfaction.comments,
            empty="No comments in this period.",
        ),
    )
}


# CSV ------------------------------------------------------------------------------------


class _Echo:
    """A file that hands back what is written, for csv.writer to stream through."""

    def write(self, value):
        return value


def _safe(value):
    """A cell a spreadsheet will not run: text starting =, +, -, @ (or a tab or return)
    is a formula to Excel and LibreOffice, so it gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """CSV lines, one at a time: nothing is held but the line being written."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(list(header))  # the BOM tells Excel it is UTF-8
    for row in rows:
        yield writer.writerow([_safe(value) for value in row])


TICKET_COLUMNS = (
    ("Number", "number"),
    ("Subject", "subject"),
    ("Department", "department__name"),
    ("Help topic", "help_topic__name"),
    ("SLA plan", "sla_plan__name"),
    ("Priority", "priority"),
    ("Status", "status"),
    ("Assigned to", "assignee__user__full_name"),
    ("Created", "created_at"),
    ("First response", "first_responded_at"),
    ("First response on time", "first_response_on_time"),
    ("First response (working h)", "first_response_work"),
    ("Resolved or closed", "resolved_at"),
    ("Resolution on time", "resolution_on_time"),
    ("Resolution (working h)", "resolution_work"),
)


def ticket_rows(report: reports.Report) -> Iterator[list]:
    """Every ticket created, first answered or resolved in the period, streamed from the
    database in chunks (a year of a large helpdesk never sits in memory)."""
    period = report.period
    tickets = (
        report.tickets.filter(
            period.contains("created_at")
            | period.contains("first_responded_at")
            | period.contains("resolved_at")
        )
        .order_by("created_at", "pk")
        .values_list(*[name for _header, name in TICKET_COLUMNS])
    )
    zone = period.zone
    priorities = dict(Ticket._meta.get_field("priority").choices)
    statuses = dict(Ticket._meta.get_field("status").choices)
    for row in tickets.iterator(chunk_size=2000):
        out = []
        for (_header, name), value in zip(TICKET_COLUMNS, row, strict=True):
            if isinstance(value, datetime):
                value = value.astimezone(zone).isoformat(timespec="minutes")
            elif isinstance(value, timedelta):
                value = hours(value)
            elif name == "priority":
                value = priorities.get(value, value)
            elif name == "status":
                value = statuses.get(value, value)
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            out.append(value)
        yield out


def csv_for(slug: str, report: reports.Report) -> Iterator[str] | None:
    """The CSV lines of a table (or of "tickets", every ticket of the period); None if
    there is no table of that name."""
    if slug == "tickets":
        return csv_lines([header for header, _name in TICKET_COLUMNS], ticket_rows(report))
    table = TABLES.get(slug)
    if table is None:
        return None
    return csv_lines([column.header for column in table.columns], table.values(report))


def csv_filename(slug: str, report: reports.Report) -> str:
    return f"helpdesk-{slug}_{report.period.slug}.csv"


# Charts ---------------------------------------------------------------------------------


ACTIVITY_SERIES = (
    ("created", "Created"),
    ("first_responses", "First responses"),
    ("ended", "Resolved or closed"),
    ("reopened", "Reopened"),
    ("overdue", "Became overdue"),
)


def activity_charts(report: reports.Report) -> list[charts.ColumnChart]:
    """One small chart per kind of activity, and the open backlog at each day's end."""
    days = report.days
    totals = report.totals
    drawn = []
    for name, title in ACTIVITY_SERIES:
        points = [(f"{d.day:%a %-d %b}", f"{d.day:%-d %b}", getattr(d, name)) for d in days]
        drawn.append(
            charts.column_chart(
                f"activity-{name}",
                title,
                points,
                total_text=f"{getattr(totals, name)} in total",
            )
        )
    points = [(f"{d.day:%a %-d %b}", f"{d.day:%-d %b}", d.open_at_end) for d in days]
    drawn.append(
        charts.column_chart(
            "backlog-days",
            "Open at the end of each day",
            points,
            total_text=f"{totals.open_at_end} at the end",
        )
    )
    return drawn


def backlog_charts(report: reports.Report) -> list[charts.BarChart]:
    backlog = report.backlog
    return [
        charts.bar_chart(
            slug,
            title,
            [(label, [("Open tickets", n, str(n), "solid")]) for label, n in rows],
        )
        for slug, title, rows in (
            ("backlog-age", "By age", backlog["by_age"]),
            ("backlog-priority", "By priority", backlog["by_priority"]),
        )
    ]


def compliance_chart(report: reports.Report) -> charts.BarChart | None:
    """First responses and resolutions on time per plan, in percent; None when no plan
    had either in the period."""
    groups = []
    for row in report.by_plan:
        bars = []
        for name, met, total, pattern in (
            ("First response", row.first_responses_met, row.first_responses, "solid"),
            ("Resolution", row.resolutions_met, row.resolutions, "hatched"),
        ):
            if total:
                text = f"{name}: {percent(met, total)} ({met} of {total})"
                bars.append((name, round(met / total * 100, 1), text, pattern))
        if bars:
            groups.append((row.name, bars))
    if not groups:
        return None
    return charts.bar_chart(
        "sla-plans",
        "On time, per SLA plan",
        groups,
        maximum=100,
        legend=[("solid", "First response"), ("hatched", "Resolution")],
    )
