"""The staff queues: what each tab holds, and how a queue page is filtered, sorted and paged.

Every list, count and search starts from `Ticket.objects.visible_to(agent)`: a ticket the
agent may not see is neither listed nor counted, whatever the filters say. A queue page
runs a constant number of queries, whatever the page size: the rows come with their
requester, department, assignee, team and topic in one query, the six tab counts come
in one more, and a filtered or searched list is counted in a third.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from django import forms
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from accounts.models import Agent, User
from helpdesk.widgets import QuickSelect
from sla.calendars import schedule_clocks
from sla.targets import TARGET_LABELS, time_left
from tickets import search, timing
from tickets.models import Priority, SavedQueue, Source, Ticket
from tickets.selectors import Directory, staff_directory
from tickets.status import CLOSED_STATUSES, OPEN_STATUSES, Status, is_open

PER_PAGE = 50
MAX_SEARCH_LENGTH = 200
# Counting stops here: past it a tab says "1,000+". Counting every one of a million closed
# tickets for a badge would cost more than the rest of the page together, and tells no more.
COUNT_CAP = 1000
# A list is paged through its first 10,000 tickets; further on, OFFSET would read ever more
# rows per page. Past them the page asks for a narrower list or the other sort order.
MAX_PAGES = 200


# Queues -----------------------------------------------------------------------------------


# The columns of a queue's table, in order (keys of COLUMNS or UNSORTED_COLUMNS, below).
WORKING_COLUMNS = (
    "number",
    "subject",
    "requester",
    "updated",
    "priority",
    "department",
    "assignee",
    "due",
)
# An ended ticket has nothing due: how it ended (resolved or closed) is what tells it apart.
ENDED_COLUMNS = (*WORKING_COLUMNS[:-1], "status")
# A search's results come from every tab: which one, beside the subject (also on phones).
SEARCH_COLUMNS = (*WORKING_COLUMNS[:2], "queue", *WORKING_COLUMNS[2:])
# Every column in the one order all of the above keep: the rows' template writes them in it.
COLUMN_ORDER = (*SEARCH_COLUMNS, "status")


@dataclass(frozen=True)
class Queue:
    slug: str
    label: str
    # The tickets of this queue among those the agent sees.
    condition: Callable[[Agent], Q]
    # The columns shown. Any column of COLUMNS may still sort the list (?sort=due on every
    # tab), shown or not: a link or bookmark keeps working from one tab to the next.
    columns: tuple[str, ...] = WORKING_COLUMNS


def _open() -> Q:
    # Sorted, so that the SQL is the same on every run (frozenset order is not).
    return Q(status__in=sorted(OPEN_STATUSES))


def _closed() -> Q:
    return Q(status__in=sorted(CLOSED_STATUSES))


QUEUES: dict[str, Queue] = {
    queue.slug: queue
    for queue in (
        # Waiting on us: nobody has answered the user's last message yet.
        Queue("open", "Open", lambda agent: _open() & Q(is_answered=False)),
        # The last thread entry is an agent's response (services keep is_answered).
        Queue("answered", "Answered", lambda agent: _open() & Q(is_answered=True)),
        Queue("mine", "My Tickets", lambda agent: _open() & Q(assignee=agent)),
        Queue(
            "unassigned",
            "Unassigned",
            lambda agent: _open() & Q(assignee__isnull=True, team__isnull=True),
        ),
        Queue("overdue", "Overdue", lambda agent: _open() & Q(is_overdue=True)),
        # Resolved and closed alike (DESIGN.md, "Status machine").
        Queue("closed", "Closed", lambda agent: _closed(), columns=ENDED_COLUMNS),
    )
}
DEFAULT_QUEUE = "open"


def in_queue(tickets: QuerySet, queue: Queue, agent: Agent) -> QuerySet:
    """The tickets of `tickets` that belong in this queue for this agent."""
    return tickets.filter(queue.condition(agent))


def capped_counts(lists: Mapping[str, QuerySet], cap: int | None = None) -> dict[str, int]:
    """How many rows each list has, counting no further than cap + 1 (read: "more than
    cap"), all in one query: each is a count over its first cap + 1 rows, so none costs more
    than reading that many, however many rows match."""
    if not lists:
        return {}
    cap = COUNT_CAP if cap is None else cap
    parts, params = [], []
    for each in lists.values():
        try:
            sql, more = each.order_by().values("pk")[: cap + 1].query.sql_with_params()
        except EmptyResultSet:  # a condition that can match nothing: no SQL to run
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) capped)")  # noqa: S608 (compiled by Django)
        params.extend(more)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return dict(zip(lists, row, strict=True))


def count_text(count: int) -> str:
    """A count of capped_counts as shown: "37", "1,000+"."""
    return f"{COUNT_CAP:,}+" if count > COUNT_CAP else f"{count:,}"


def queue_counts(agent: Agent, more: Mapping[str, Q] | None = None) -> dict[str, int]:
    """How many tickets each queue holds for this agent, and each of `more`, up to COUNT_CAP
    + 1 each (see capped_counts), in one query."""
    conditions = {slug: queue.condition(agent) for slug, queue in QUEUES.items()}
    conditions.update(more or {})
    visible = Ticket.objects.visible_to(agent)
    return capped_counts({key: visible.filter(condition) for key, condition in conditions.items()})


def home_queue(ticket: Ticket) -> Queue:
    """The tab a ticket sits in first: Open, Answered or Closed."""
    if not is_open(ticket.status):
        return QUEUES["closed"]
    return QUEUES["answered" if ticket.is_answered else "open"]


# Sorting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    fields: tuple[str, ...]
    # The direction of the first click on the header: the most urgent or newest first.
    descending_first: bool = False
    nulls_last: bool = False
    # Bootstrap classes of its header and cells: the less telling columns are left out on
    # phones, so that the subject, priority and due time fit on the screen.
    cell_class: str = ""

    def ordering(self, descending: bool) -> list:
        def one(name):
            expression = F(name)
            nulls = {"nulls_last": True} if self.nulls_last else {}
            return expression.desc(**nulls) if descending else expression.asc(**nulls)

        # pk last, the same way round: rows with equal keys keep their place from one page
        # to the next, and one (key, id) index serves both directions.
        tiebreak = F("pk").desc() if descending else F("pk").asc()
        return [*(one(name) for name in self.fields), tiebreak]


NOT_ON_PHONES = "d-none d-md-table-cell"

COLUMNS: dict[str, Column] = {
    column.key: column
    for column in (
        # On phones the number moves into the subject's cell, so the three that matter fit.
        Column("number", "Number", ("number",), cell_class=NOT_ON_PHONES),
        Column("subject", "Subject", ("subject",)),
        Column(
            "requester",
            "From",
            ("requester__full_name", "requester__email"),
            cell_class=NOT_ON_PHONES,
        ),
        Column(
            "updated",
            "Last Update",
            ("updated_at",),
            descending_first=True,
            cell_class=NOT_ON_PHONES,
        ),
        Column("priority", "Priority", ("priority",), descending_first=True),
        Column("department", "Department", ("department__name",), cell_class=NOT_ON_PHONES),
        Column(
            "assignee",
            "Assigned To",
            ("assignee__user__full_name", "team__name"),
            nulls_last=True,
            cell_class=NOT_ON_PHONES,
        ),
        Column("due", "Due", ("resolution_due_at",), nulls_last=True),
    )
}
# Shown, never sorted by: no index serves a sort on them (tests/tickets/test_queue_indexes).
UNSORTED_COLUMNS: dict[str, Column] = {
    "status": Column("status", "Status", ()),
    # In a search's results, the tab each ticket is in.
    "queue": Column("queue", "Queue", ()),
}
DEFAULT_SORT = "updated"

PRIORITY_BADGES = {
    Priority.LOW: "secondary",
    Priority.NORMAL: "primary",
    Priority.HIGH: "warning",
    Priority.EMERGENCY: "danger",
}


# Filters and search -----------------------------------------------------------------------

NOBODY = "none"

FILTERS: dict[str, Callable[[Any], Q]] = {
    "department": lambda value: Q(department_id=value),
    "priority": lambda value: Q(priority=value),
    "assignee": lambda value: Q(assignee__isnull=True) if value == NOBODY else Q(assignee_id=value),
    "team": lambda value: Q(team_id=value),
    "status": lambda value: Q(status=value),
    "topic": lambda value: Q(help_topic_id=value),
    "source": lambda value: Q(source=value),
    # "Their other tickets", from the ticket view's requester link.
    "requester": lambda value: Q(requester_id=value),
}


def requester_tickets_url(requester_id: int) -> str:
    """The Open queue narrowed to one requester; the tabs carry the filter to the others."""
    return f"{reverse('staff:queue', kwargs={'queue': DEFAULT_QUEUE})}?requester={requester_id}"


def search_condition(text: str, *, look_first: bool = False) -> Q:
    """Tickets matching a search box: number, subject, requester, or any thread entry's text
    (tickets.search; `look_first` for a page of results)."""
    return search.ticket_matches(text, look_first=look_first)


@dataclass(frozen=True)
class QueueParams:
    """A queue page's filters, search and sort, checked; what its links carry along."""

    filters: dict[str, Any] = field(default_factory=dict)
    search: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = True

    @property
    def column(self) -> Column:
        return COLUMNS[self.sort]

    @property
    def is_narrowed(self) -> bool:
        return bool(self.filters or self.search)

    def as_query(self) -> QueryDict:
        query = QueryDict(mutable=True)
        for name, value in self.filters.items():
            query[name] = str(value)
        if self.search:
            query["q"] = self.search
        if (self.sort, self.descending) != (DEFAULT_SORT, True):
            query["sort"] = self.sort
            query["dir"] = "desc" if self.descending else "asc"
        return query


def _choice_label(name: str, is_active: bool) -> str:
    return name if is_active else f"{name} (inactive)"


class QueueFilterForm(forms.Form):
    """The filter bar. A value that is not one of the choices is ignored, with a note."""

    q = forms.CharField(label="Search", required=False, max_length=MAX_SEARCH_LENGTH)
    department = forms.TypedChoiceField(
        label="Department", required=False, coerce=int, empty_value=None
    )
    priority = forms.TypedChoiceField(
        label="Priority",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any"), *Priority.choices],
    )
    assignee = forms.ChoiceField(label="Assigned To", required=False)
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any"), *Status.choices]
    )
    topic = forms.TypedChoiceField(label="Help Topic", required=False, coerce=int, empty_value=None)
    source = forms.ChoiceField(
        label="Source", required=False, choices=[("", "Any"), *Source.choices]
    )
    # Set by links, not typed: shown above the list with a way to drop it.
    requester = forms.IntegerField(
        label="From", required=False, min_value=1, widget=forms.HiddenInput
    )
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in COLUMNS], widget=forms.HiddenInput
    )
    dir = forms.ChoiceField(
        required=False, choices=[("asc", "asc"), ("desc", "desc")], widget=forms.HiddenInput
    )

    def __init__(self, data: Mapping, *, directory: Directory | None = None, **kwargs):
        super().__init__(data, **kwargs)
        directory = directory or staff_directory()
        # All of them, inactive ones marked: tickets can still sit in an inactive
        # department or with a deactivated agent, and that is worth finding.
        self.fields["department"].choices = [("", "All")] + [
            (d.pk, _choice_label(d.name, d.is_active)) for d in directory.departments
        ]
        self.fields["assignee"].choices = [("", "Anyone"), (NOBODY, "Unassigned")] + [
            (str(a.pk), _choice_label(a.user.display_name, a.user.is_active))
            for a in directory.agents
        ]
        self.fields["team"].choices = [("", "Any")] + [
            (t.pk, _choice_label(t.name, t.is_active)) for t in directory.teams
        ]
        self.fields["topic"].choices = [("", "Any")] + [
            (t.pk, _choice_label(t.name, t.is_active)) for t in directory.topics
        ]
        for bound in self.visible_fields():
            widget = bound.field.widget
            if isinstance(widget, forms.Select):
                # The same <select>, without a template render per option (helpdesk.widgets).
                widget = bound.field.widget = QuickSelect(
                    attrs=widget.attrs, choices=bound.field.choices
                )
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.input_type = "search"
                widget.attrs.update(
                    {
                        "class": "form-control form-control-sm",
                        "placeholder": "Number, subject, requester or text",
                    }
                )

    def clean_assignee(self):
        value = self.cleaned_data["assignee"]
        if value in ("", NOBODY):
            return value or None
        return int(value)

    @property
    def notes(self) -> list[tuple[str, str]]:
        """One sentence per ignored value, with the id its field's aria-describedby names."""
        self.is_valid()
        notes = []
        for name in self.errors:
            raw = str(self.data.get(name, ""))
            shown = raw if len(raw) <= 40 else raw[:40] + "…"
            if name == "q":
                text = f"The search was ignored: it is longer than {MAX_SEARCH_LENGTH} characters."
            elif name == "requester":
                text = f"Requester filter “{shown}” was ignored: it is not a requester's id."
            elif name in ("sort", "dir"):
                text = f"Unknown sort “{shown}” was ignored."
            else:
                label = self.fields[name].label
                text = f"{label} filter “{shown}” was ignored: it is not one of the choices."
            notes.append((f"{self[name].auto_id}_error", text))
        return notes

    def params(self) -> QueueParams:
        """The valid part of the request: invalid values are simply left out."""
        self.is_valid()
        data = self.cleaned_data
        filters = {name: data[name] for name in FILTERS if data.get(name) not in (None, "")}
        sort = data.get("sort") or DEFAULT_SORT
        direction = data.get("dir")
        descending = COLUMNS[sort].descending_first if not direction else direction == "desc"
        return QueueParams(
            filters=filters, search=(data.get("q") or "").strip(), sort=sort, descending=descending
        )


class RenameSearchForm(forms.Form):
    """The name of a saved search."""

    name = forms.CharField(
        label="Name",
        max_length=60,
        error_messages={
            "required": "Give the search a name.",
            "max_length": "Keep the name to %(limit_value)d characters (it has %(show_value)d).",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update(
            {"class": "form-control form-control-sm", "autocomplete": "off"}
        )


class SaveSearchForm(RenameSearchForm):
    """Save this page's tab, filters, search and sort under a name."""

    # Which tab it was saved on; an unknown one is taken for Open, as an address would be.
    queue = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)


# The page ---------------------------------------------------------------------------------


def narrowing(params: QueueParams, *, look_first: bool = False) -> Q:
    """The filters and the search of a page, as one condition."""
    condition = Q()
    for name, value in params.filters.items():
        condition &= FILTERS[name](value)
    if params.search:
        condition &= search_condition(params.search, look_first=look_first)
    return condition


def scope(agent: Agent, queue: Queue, params: QueueParams, *, look_first: bool = False) -> Q:
    """Which of the tickets the agent sees a page lists (`look_first`: for the page's own
    list, see tickets.search.ticket_matches).

    A search looks through every queue, whichever tab it was typed on: someone looking for
    "printer" wants the printer ticket, resolved or not. Filters narrow either.
    """
    if params.search:
        return narrowing(params, look_first=look_first)
    return queue.condition(agent) & narrowing(params)


def queue_tickets(agent: Agent, queue: Queue, params: QueueParams) -> QuerySet:
    """The page's tickets for this agent, filtered, searched and sorted, with what a row shows."""
    condition = scope(agent, queue, params, look_first=True)
    tickets = Ticket.objects.visible_to(agent).filter(condition)
    return tickets.select_related(
        "requester", "department", "assignee__user", "team", "help_topic", "sla_plan"
    ).order_by(*params.column.ordering(params.descending))


def page_number_of(value) -> int:
    """The page asked for, as a number from 1 to MAX_PAGES (1 for anything else)."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGES)


class QueuePaginator(Paginator):
    """A list's pages, counted only as far as the page asked for needs.

    The count reads at most `reach` rows (COUNT_CAP, or two pages past the one asked for,
    never past MAX_PAGES): a list longer than that is "more than `reach`" (`is_capped`), its
    last page unknown, and paging through it costs no more than the pages read.
    `known`: the list's length already counted (by the tabs' query, up to COUNT_CAP + 1).
    """

    def __init__(self, tickets: QuerySet, number: int, known: int | None = None):
        super().__init__(tickets, PER_PAGE)
        self.reach = min(max(COUNT_CAP, (number + 2) * PER_PAGE), MAX_PAGES * PER_PAGE)
        if known is None or (known > COUNT_CAP and self.reach > COUNT_CAP):
            known = capped_counts({"list": tickets}, self.reach)["list"]
        self.is_capped = known > self.reach
        self.count = min(known, self.reach)

    def page(self, number):
        """The page, its rows read by key on PostgreSQL.

        Read in one go, the page's query joins the requester, department, assignee, team,
        topic and plan of every row it passes, the skipped ones too (4,950 of them for page
        100), and with nine tables the planner no longer weighs every join order. The page's
        ids are picked first, from the ticket table alone along the sort's index, and only
        those 50 rows are joined: one query still, the ids an array the rows are then read
        by (id = ANY(ARRAY(...)), see tickets.search.AnyOf). At 1,000,000 tickets: page 1
        in 20–25 ms instead of 48–58, page 100 in 29–40 instead of 85.
        """
        page = super().page(number)
        rows = page.object_list
        if connection.vendor != "postgresql" or not isinstance(rows, QuerySet):
            return page
        from django.contrib.postgres.expressions import ArraySubquery

        ids = ArraySubquery(rows.values("pk"))
        page.object_list = self.object_list.filter(search.AnyOf(F("pk"), ids))
        return page

    @property
    def count_text(self) -> str:
        """How many tickets, as the pager says it: "320", or "more than 1,000"."""
        return f"more than {self.reach:,}" if self.is_capped else f"{self.count:,}"

    @property
    def reach_text(self) -> str:
        return f"{self.reach:,}"

    @property
    def is_at_reach(self) -> bool:
        """The list goes on past the last page it may be paged to (MAX_PAGES)."""
        return self.is_capped and self.reach == MAX_PAGES * PER_PAGE


@dataclass(frozen=True)
class Tab:
    queue: Queue
    count: int  # up to COUNT_CAP + 1: see count_text
    url: str
    is_active: bool

    @property
    def count_text(self) -> str:
        return count_text(self.count)


def saved_queue_tab(saved: SavedQueue) -> Queue:
    """The tab a saved search was saved on (Open, should that tab ever go)."""
    return QUEUES.get(saved.queue, QUEUES[DEFAULT_QUEUE])


@dataclass(frozen=True)
class Saved:
    """A saved search as the page uses it: the row, its tab and its params, checked."""

    saved: SavedQueue
    queue: Queue
    params: QueueParams

    @classmethod
    def of(cls, saved: SavedQueue, directory: Directory) -> "Saved":
        form = QueueFilterForm(QueryDict(saved.query), directory=directory)
        return cls(saved, saved_queue_tab(saved), form.params())

    @property
    def key(self) -> str:
        return f"saved_{self.saved.pk}"

    @property
    def url(self) -> str:
        return reverse("staff:saved-queue", kwargs={"pk": self.saved.pk})


@dataclass(frozen=True)
class SavedTab:
    saved: SavedQueue
    count: int  # up to COUNT_CAP + 1: see count_text
    url: str
    is_active: bool

    @property
    def count_text(self) -> str:
        return count_text(self.count)


@dataclass(frozen=True)
class Header:
    column: Column
    url: str  # the link that sorts by it; "" for a column that does not sort
    # For aria-sort: "ascending", "descending", or "" on the columns not sorted by.
    sorted: str


@dataclass(frozen=True)
class Row:
    ticket: Ticket
    priority_badge: str
    # The one target the ticket must meet next, named ("First response" or "Resolution"),
    # its due time and the working time left ("2 h 10 min left", "overdue by 3 h",
    # "paused: awaiting the user"); all empty for a closed ticket or one with nothing due.
    due_label: str = ""
    due_at: datetime | None = None
    due_left: str = ""
    # In a search's results, which tab the ticket is in (a search spans them all).
    home: Queue | None = None

    @property
    def url(self) -> str:
        # The staff ticket address with this number in it: reverse() once per process,
        # not fifty times a page.
        return _ticket_url_pattern().replace(_NUMBER_MARK, self.ticket.number)

    @property
    def is_overdue(self) -> bool:
        """Overdue and still open: a closed ticket is past caring about its due time."""
        return self.ticket.is_overdue and is_open(self.ticket.status)


_NUMBER_MARK = "999999999999"


def _ticket_url_pattern() -> str:
    return _url_pattern(get_script_prefix(), get_urlconf())


@cache
def _url_pattern(_prefix: str, urlconf) -> str:  # per script prefix and URLconf in use
    return reverse("staff:ticket", kwargs={"number": _NUMBER_MARK}, urlconf=urlconf)


def _due(ticket: Ticket, clocks: dict, now: datetime) -> dict[str, Any]:
    """The Row fields of the ticket's next target, from the page's clocks (no query)."""
    if not is_open(ticket.status):
        return {}
    due = timing.relevant_due(ticket)
    if due is None:
        return {}
    target, due_at = due
    shown = {"due_label": TARGET_LABELS[target], "due_at": due_at}
    if ticket.sla_paused_since is not None:
        return {**shown, "due_left": timing.PAUSED_TEXT}
    schedule = clocks.get(ticket.sla_plan.schedule_id) if ticket.sla_plan_id else None
    if schedule is None:
        return shown
    return {**shown, "due_left": time_left(due_at, schedule, now)}


@dataclass(frozen=True)
class QueueListing:
    queue: Queue
    # Where this page's sort and page links go: the tab, or the saved search.
    url: str
    tabs: list[Tab]
    headers: list[Header]
    page: Page
    rows: list[Row]
    # The kept filters, search and sort, for the pager's links and the form's hidden inputs.
    query: QueryDict
    params: QueueParams
    # Whose tickets these are, when narrowed to one requester the agent has a ticket from.
    requester: User | None = None
    saved_tabs: list[SavedTab] = field(default_factory=list)
    # The saved search this page shows, if it is one.
    saved: Saved | None = None

    @property
    def shows(self) -> dict[str, bool]:
        """Which columns the rows have, by key (in COLUMN_ORDER, as the headers are)."""
        return {header.column.key: True for header in self.headers}

    hidden_on_phones = NOT_ON_PHONES

    @property
    def searching(self) -> bool:
        """A search's results span every tab: no tab is the current one."""
        return bool(self.params.search)

    @property
    def tab_url(self) -> str:
        """The tab this page started from: where the filter form sends a changed search."""
        return reverse("staff:queue", kwargs={"queue": self.queue.slug})

    @property
    def link_query(self) -> QueryDict:
        """What the sort and page links carry: a saved search's address holds the rest."""
        if self.saved is None:
            return self.query
        return _only_sort(self.query)

    @property
    def address(self) -> str:
        """This very page, as a link: where a form on it sends the agent back to."""
        query = self.link_query.copy()
        if self.page.number > 1:
            query["page"] = str(self.page.number)
        return _with_query(self.url, query)

    @property
    def without_search(self) -> str:
        """The tab the search was typed on, with the filters kept and the search left."""
        query = self.query.copy()
        query.pop("q", None)
        return _with_query(self.tab_url, query)

    @property
    def can_be_saved(self) -> bool:
        """Worth saving: narrowed or sorted, and not a saved search already."""
        return self.saved is None and bool(self.query)

    @property
    def nearby_pages(self) -> range:
        """The pager's numbered links: up to two pages either side of this one."""
        last = self.page.paginator.num_pages
        return range(max(1, self.page.number - 2), min(last, self.page.number + 2) + 1)

    @property
    def hidden_inputs(self) -> list[tuple[str, str]]:
        """What the filter form does not show but must keep: the sort and the requester."""
        kept = ("requester", "sort", "dir")
        return [(name, self.query[name]) for name in kept if name in self.query]

    @property
    def without_requester(self) -> str:
        """This queue with every filter but the requester's."""
        query = self.query.copy()
        query.pop("requester", None)
        return _with_query(self.tab_url, query)


def _only_sort(query: QueryDict) -> QueryDict:
    kept = QueryDict(mutable=True)
    for name in ("sort", "dir"):
        if name in query:
            kept[name] = query[name]
    return kept


def _with_query(url: str, query: QueryDict) -> str:
    return f"{url}?{query.urlencode()}" if query else url


def _headers(
    url: str, params: QueueParams, columns: tuple[str, ...], *, only_sort: bool = False
) -> list[Header]:
    headers = []
    for key in columns:
        if key in UNSORTED_COLUMNS:
            headers.append(Header(UNSORTED_COLUMNS[key], "", ""))
            continue
        column = COLUMNS[key]
        is_sorted = column.key == params.sort
        # A click on the sorted column turns it around; on another, sorts by it.
        descending = not params.descending if is_sorted else column.descending_first
        query = QueueParams(params.filters, params.search, column.key, descending).as_query()
        if only_sort:
            query = _only_sort(query)
        state = ("descending" if params.descending else "ascending") if is_sorted else ""
        headers.append(Header(column, _with_query(url, query), state))
    return headers


def queue_listing(
    agent: Agent,
    queue: Queue,
    params: QueueParams,
    page_number,
    *,
    directory: Directory | None = None,
    saved: Saved | None = None,
) -> QueueListing:
    """One page of a queue for this agent, with the tabs and their counts and the sort links.

    `saved`: the page is that saved search (its queue and params are the ones given).
    The agent's saved searches are counted in the tabs' own query.
    """
    directory = directory or staff_directory()
    mine = [Saved.of(each, directory) for each in SavedQueue.objects.filter(agent=agent)]
    counts = queue_counts(agent, {each.key: scope(agent, each.queue, each.params) for each in mine})
    query = params.as_query()
    url = saved.url if saved else reverse("staff:queue", kwargs={"queue": queue.slug})
    known = None
    if saved is not None:
        # Counted with the tabs, by the same condition.
        known = counts[saved.key]
    elif not params.is_narrowed:
        # The tab's count is this very list's length: spare the database a second count.
        known = counts[queue.slug]
    number = page_number_of(page_number)
    page = QueuePaginator(queue_tickets(agent, queue, params), number, known).get_page(number)
    tickets = list(page)
    # Every schedule's clock, kept for a few seconds per process (sla.calendars).
    clocks = schedule_clocks() if tickets else {}
    now = timezone.now()
    rows = [
        Row(
            ticket,
            PRIORITY_BADGES.get(ticket.priority, "secondary"),
            **_due(ticket, clocks, now),
            home=home_queue(ticket) if params.search else None,
        )
        for ticket in tickets
    ]
    # The tabs keep the filters and the sort; a search spans them all, so they leave it.
    tab_query = query.copy()
    tab_query.pop("q", None)
    tabs = [
        Tab(
            each,
            counts[slug],
            _with_query(reverse("staff:queue", kwargs={"queue": slug}), tab_query),
            each == queue and saved is None and not params.search,
        )
        for slug, each in QUEUES.items()
    ]
    saved_tabs = [
        SavedTab(
            each.saved, counts[each.key], each.url, saved is not None and each.key == saved.key
        )
        for each in mine
    ]
    requester = None
    if requester_id := params.filters.get("requester"):
        # Named only through a ticket the agent sees: an id alone tells nothing of anyone.
        seen = Ticket.objects.visible_to(agent).filter(requester=OuterRef("pk"))
        requester = User.objects.filter(Exists(seen), pk=requester_id).first()
    return QueueListing(
        queue=queue,
        url=url,
        tabs=tabs,
        headers=_headers(
            url,
            params,
            SEARCH_COLUMNS if params.search else queue.columns,
            only_sort=saved is not None,
        ),
        page=page,
        rows=rows,
        query=query,
        params=params,
        requester=requester,
        saved_tabs=saved_tabs,
        saved=saved,
    )
