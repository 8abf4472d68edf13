"""django-helpdesk 2.6.1 side by side with our pages in `make bench` (bench/README.md).

The performance issue asks, at 100,000 tickets, for at least 20 times django-helpdesk's
ticket-list throughput and 5 times its ticket view's. This module installs it as a peer
would be installed from PyPI: its own venv (var/peer-venv, made from requirements.txt when
missing or when the pins change), its own project (peerdesk/: settings, urls, wsgi), its own
database (PEER_DATABASE_URL, helpdesk_peer by default) and data (generate.py), served like
ours by gunicorn with 2 sync workers, DEBUG off and persistent connections. The harness
calls it around its own run:

    with peer.Peer(args, harness) as theirs, Gunicorn(...) as server:
        for page in results:
            ...  # our ceiling, our page
            theirs.after(page)  # their counterpart: its own ceiling, then its page

so each of their pages is measured right after our page it is compared with, each after its
own ceiling run, with the same wrk settings. Their ticket list is two requests: the page
(/tickets/, a shell with the filters) and the DataTables request its script then makes for
the rows (/datatables_ticket_list/<query>?draw=1&…&length=25, the page's own URL and page
length, read from the page). Both are measured; a person waits for both, so the list's
throughput compared is that of the pair, 1 / (1/page + 1/data) in lists per second.

Only bench/peer/*.py run in the peer's venv import Django there; this file uses only the
standard library and the harness's functions.
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VENV = ROOT / "var" / "peer-venv"
PYTHON = VENV / "bin" / "python"
REQUIREMENTS = HERE / "requirements.txt"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/helpdesk_peer"
SIZE = 100_000  # what the performance issue names; other sizes skip the peer unless --peer
VERSION = "django-helpdesk 2.6.1"
# Targets: ours / theirs in requests per second.
LIST_TARGET, VIEW_TARGET = 20.0, 5.0
# Our page: (their counterpart, its target).
AGAIN = 15  # seconds, at least, of a second run for a page none of whose requests finished
COMPARED = {"Open queue": "list", "Ticket view, 5 entries": "view"}


def add_arguments(parser) -> None:
    parser.add_argument(
        "--peer",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=f"measure {VERSION} side by side (default: only at {SIZE:,} tickets)",
    )


def ensure_venv() -> None:
    """var/peer-venv with requirements.txt's pins, made or remade when they change."""
    stamp = VENV / ".installed"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if PYTHON.exists() and stamp.exists() and stamp.read_text() == wanted:
        return
    print(f"installing {VERSION} into {VENV} (bench/peer/requirements.txt)")
    if not PYTHON.exists():
        # This Python (3.12 or later, the project's), which django-helpdesk 2.6.1 supports.
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [
            str(PYTHON),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(REQUIREMENTS),
        ],
        check=True,
    )
    stamp.write_text(wanted)


def run_peer(script: str, *args: str, env: dict, marker: str) -> dict:
    """Run one of bench/peer's scripts in the peer's venv, echo its output, and return the
    JSON of its line starting with `marker`."""
    process = subprocess.Popen(  # noqa: S603
        [str(PYTHON), str(HERE / script), *args],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    found = None
    for line in process.stdout:
        if line.startswith(marker + " "):
            found = json.loads(line[len(marker) + 1 :])
        else:
            print(line, end="", flush=True)
    if process.wait() != 0 or found is None:
        raise SystemExit(f"bench/peer/{script} failed ({process.returncode})")
    return found


def combined(*rates: float) -> float:
    """Requests/s of a sequence of requests served one after the other, each at its rate."""
    return 1 / sum(1 / rate for rate in rates) if all(rates) else 0.0


@dataclass
class Row:
    name: str
    path: str
    page: object  # the harness's Page


class Peer:
    def __init__(self, args, harness):
        self.harness = harness
        self.seconds = args.seconds
        self.tickets = args.tickets
        self.enabled = args.peer if args.peer is not None else args.tickets == SIZE
        self.rows: dict[str, list[Row]] = {}  # "list" / "view": their pages measured
        self.ours: dict[str, object] = {}  # "list" / "view": our page compared
        self.facts: dict = {}
        self.server = None
        self.base = ""
        self.cookie = ""
        self.paths: dict[str, list[tuple[str, str]]] = {}
        self.queries: dict = {}
        self.again: list[str] = []  # pages measured again for longer
        self.url = os.environ.get("PEER_DATABASE_URL", DEFAULT_DATABASE)
        if not self.enabled:
            print(
                f"not measuring {VERSION}: the run is at {args.tickets:,} tickets, the target "
                f"is at {SIZE:,} (--peer measures it at any size)"
            )

    # Set-up and tear-down -------------------------------------------------------------

    def __enter__(self):
        if not self.enabled:
            return self
        h = self.harness
        ensure_venv()
        h.create_database(self.url)
        env = {
            **os.environ,
            "PEER_DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "peerdesk.settings",
            "PYTHONPATH": str(HERE),
            "LOG_LEVEL": "WARNING",
        }
        env.pop("DATABASE_URL", None)
        began = perf_counter()
        self.facts = run_peer(
            "generate.py", "--tickets", str(self.tickets), env=env, marker="FACTS"
        )
        if self.facts["reused"]:
            print(
                f"reusing {VERSION}'s {self.tickets:,} tickets (made in "
                f"{self.facts['seconds']:.0f} s; checked in {perf_counter() - began:.0f} s)"
            )
        port = h.free_port()
        self.base = f"http://{h.HOST}:{port}"
        self.server = h.Gunicorn(port, env)
        self.server.command = [
            str(VENV / "bin" / "gunicorn"),
            "peerdesk.wsgi:application",
            *self.server.command[2:],  # the same workers, class, bind and logging
        ]
        self.server.cwd = HERE  # not the repository's, whose `helpdesk` would shadow theirs
        self.server.__enter__()
        try:
            self._pages(env)
        except BaseException:
            self.server.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        if self.server is not None:
            self.server.__exit__()

    def _pages(self, env) -> None:
        h = self.harness
        self.cookie = h.sign_in(
            self.base, "/login/", self.facts["username"], self.facts["password"]
        )
        listing = "/tickets/"
        if (status := h.status_of(self.base + listing, self.cookie)) != 200:
            raise SystemExit(f"{VERSION}'s {listing} answered {status}")
        html = self._get(listing)
        data_url = re.search(r'"url": "([^"]*datatables_ticket_list[^"]*)"', html)
        per_page = re.search(r"data-page-length='(\d+)'", html)
        columns = re.findall(r"^\s*data: \"(\w+)\"", html, re.MULTILINE)
        if not (data_url and per_page and columns):
            raise SystemExit(f"{VERSION}'s ticket list has no DataTables request to measure")
        self.paths = {
            "list": [
                ("ticket list: page", listing),
                (
                    "ticket list: its data request",
                    data_url.group(1) + "?" + datatables(columns, int(per_page.group(1))),
                ),
            ],
            "view": [("ticket view, 5 follow-ups", f"/tickets/{self.facts['five']}/")],
        }
        paths = [path for pages in self.paths.values() for _, path in pages]
        self.queries = run_peer("queries.py", *paths, env=env, marker="QUERIES")

    def _get(self, path: str) -> str:
        import urllib.request

        request = urllib.request.Request(self.base + path, headers={"Cookie": self.cookie})  # noqa: S310
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.read().decode()

    # Measuring ------------------------------------------------------------------------

    def after(self, our_page) -> None:
        """After our page's run: its counterpart's, each page after its own ceiling."""
        which = COMPARED.get(our_page.name)
        if not self.enabled or which is None:
            return
        h = self.harness
        self.ours[which] = our_page
        self.rows[which] = []
        for name, path in self.paths[which]:
            page = h.Page(f"{VERSION}: {name}", path, which)
            page.status = h.status_of(self.base + path, self.cookie)
            print(f"{page.name}: {page.status}", end="", flush=True)
            if page.status == 200:
                page.ceiling = h.run_wrk(self.base + h.CEILING, self.seconds, self.cookie)
                page.load = h.run_wrk(self.base + path, self.seconds, self.cookie)
                if not page.load.requests:
                    # Slower than the run: without a number there is no ratio, so once more
                    # for longer, and the report says so.
                    longer = max(4 * self.seconds, AGAIN)
                    page.load = h.run_wrk(self.base + path, longer, self.cookie)
                    self.again.append(
                        f"{page.name}: no request finished in the {self.seconds} s run; "
                        f"measured again for {longer} s (the numbers shown)."
                    )
                print(f", {page.load.rps:.1f} req/s, {page.share:.1%} of its ceiling")
            else:
                print(" (not loaded)")
            page.rss = [rss for pid in self.server.workers() if (rss := h.rss_mb(pid))]
            counts = self.queries.get(path)
            if counts:
                page.first_queries, page.queries = counts
            self.rows[which].append(Row(name, path, page))

    # Results --------------------------------------------------------------------------

    def _theirs(self, which: str) -> tuple[float, float]:
        """Their requests/s for `which` (the list: page and data request as one) and the
        same as a share of their ceilings' (each page's own)."""
        pages = [row.page for row in self.rows.get(which, [])]
        if not pages or any(page.load is None or not page.load.rps for page in pages):
            return 0.0, 0.0
        rps = combined(*(page.load.rps for page in pages))
        share = combined(*(page.share for page in pages))
        return rps, share

    def ratios(self) -> list[tuple[str, float | None, float | None, float, str]]:
        """(what, ours/theirs in requests/s, the same of the ceilings' shares, target,
        verdict) for the list and the view."""
        found = []
        for which, target, what in (
            ("list", LIST_TARGET, "Open queue vs their ticket list (page + data request)"),
            ("view", VIEW_TARGET, "ticket view, 5 entries vs theirs with 5 follow-ups"),
        ):
            ours = self.ours.get(which)
            rps, share = self._theirs(which)
            if ours is None or ours.load is None or not rps:
                found.append((what, None, None, target, "not measured"))
                continue
            ratio = ours.load.rps / rps
            by_share = (ours.share or 0) / share if share else None
            verdict = "met" if ratio >= target else "missed"
            found.append((what, ratio, by_share, target, verdict))
        return found

    def print_summary(self) -> None:
        if self.enabled:
            print(f"\n{VERSION}, side by side:\n")
            print("\n".join(self.tables()))

    def section(self) -> list[str]:
        """The report's section, in Markdown."""
        lines = [f"## Side by side with {VERSION}", ""]
        if not self.enabled:
            return [
                *lines,
                f"Not measured: this run is at {self.tickets:,} tickets and the performance "
                f"issue's targets are at {SIZE:,} (`--peer` measures the peer at any size).",
                "",
            ]
        f = self.facts
        made = (
            f"reused (made in {f['seconds']:.0f} s by an earlier run)"
            if f["reused"]
            else f"made in {f['seconds']:.0f} s by this run"
        )
        python = f"{sys.version_info.major}.{sys.version_info.minor}"
        conn_max_age = os.environ.get("DATABASE_CONN_MAX_AGE", "60")
        lines += [
            f"- Peer: {VERSION} from PyPI in its own venv (bench/peer/requirements.txt: Django "
            f"5.2 LTS, Python {python} as ours), the project bench/peer/peerdesk (its install "
            f"guide's settings, DEBUG off, CONN_MAX_AGE {conn_max_age} as ours, no teams, "
            "staff see every queue), "
            f"its own database; served the same way (gunicorn, {self.harness.WORKERS} sync "
            "workers) on another port, measured with the same wrk settings, each page right "
            "after our page it is compared with and after its own ceiling (`/bench/ceiling/`, "
            "a bare HttpResponse behind its middleware).",
            f"- Its data (bench/peer/generate.py, seed {f.get('seed', 'fixed')}): "
            f"{f['tickets']:,} tickets in {f['queues']} queues, {f['followups']:,} follow-ups, "
            f"{f['changes']:,} status changes, {f['open']:,} open or reopened, "
            f"{f['submitters']:,} submitters' addresses, {f['agents']} staff users; {made}.",
            "- Their ticket list is a page and the DataTables request its script makes for the "
            "rows (25 a page, the user's default); a person waits for both, so the list's "
            "requests/s below is that of the pair, 1 / (1/page + 1/data). The ticket view is "
            "one page.",
            "",
            *self.tables(),
        ]
        lines += [
            "The verdict is on requests/s, ours and theirs measured one right after the other; "
            "the ceilings' column divides each page by its own server's ceiling just before it, "
            "which evens out a change in the machine's load between the runs (their ceiling is "
            "Django 5.2 with Django's middleware, ours Django 6.1 with ours).",
            "",
        ]
        return lines

    def tables(self) -> list[str]:
        """Their pages' table and the ratios', in Markdown."""
        lines = [
            "| page | status | requests | req/s | ceiling req/s | of ceiling | p50 ms | p99 ms "
            "| slowest ms | SQL | worker RSS MB |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        measured = []
        for rows in self.rows.values():
            for row in rows:
                lines.append(self._row(row))
                measured += [row.page] if row.page.load is not None else []
        lines += [
            "",
            *([*self.again, ""] if self.again else []),
            *self.harness.few_requests(measured),
            "| ours / theirs | requests/s | shares of each one's ceiling | target | verdict |",
            "|---|---|---|---|---|",
        ]
        for what, ratio, by_share, target, verdict in self.ratios():
            cells = [
                what,
                f"{ratio:.1f}x" if ratio is not None else "–",
                f"{by_share:.1f}x" if by_share is not None else "–",
                f"≥ {target:.0f}x",
                verdict,
            ]
            lines.append("| " + " | ".join(cells) + " |")
        return [*lines, ""]

    def _row(self, row: Row) -> str:
        h, page = self.harness, row.page
        load = page.load
        cells = [f"{page.name} `{h.shorten(page.path)}`", str(page.status)]
        if load is None:
            cells += ["–"] * 7
        else:
            cells += [
                str(load.requests),
                f"{load.rps:.1f}",
                f"{page.ceiling.rps:.0f}",
                f"{page.share:.1%}",
                *(h._ms_text(ms) for ms in (load.p50, load.p99, load.max)),
            ]
        sql = "–" if page.queries is None else str(page.queries)
        if page.first_queries not in (None, page.queries):
            sql += f" (first {page.first_queries})"
        cells += [sql, " / ".join(f"{rss:.0f}" for rss in page.rss) or "–"]
        return "| " + " | ".join(cells) + " |"


def datatables(columns: list[str], length: int) -> str:
    """The query string DataTables (serverSide, no initial order) sends for the first page."""
    params = [("draw", "1")]
    for n, name in enumerate(columns):
        params += [
            (f"columns[{n}][data]", name),
            (f"columns[{n}][name]", ""),
            (f"columns[{n}][searchable]", "true"),
            (f"columns[{n}][orderable]", "false" if n == 0 else "true"),
            (f"columns[{n}][search][value]", ""),
            (f"columns[{n}][search][regex]", "false"),
        ]
    params += [
        ("start", "0"),
        ("length", str(length)),
        ("search[value]", ""),
        ("search[regex]", "false"),
        ("_", "1764720000000"),
    ]
    return urllib.parse.urlencode(params)
