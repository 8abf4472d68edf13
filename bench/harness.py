"""The helpdesk's pages under load, served as in production (`make bench`).

Run from the repository root (the Makefile's `bench` target installs gunicorn and wrk):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench \\
        .venv/bin/python bench/harness.py [--tickets 1000000] [--seconds 10] [--fresh]

Data: bench/data.py's web profile on PostgreSQL (the database is created if missing, made
once per size and seed, reused after). Serving: gunicorn with 2 sync workers, DEBUG off,
persistent database connections (DATABASE_CONN_MAX_AGE), static files collected for
whitenoise, settings bench.settings (production's, plus the bare ceiling page). Load: wrk,
signed in as the data set's lead agent (a real login form POST), each page for `--seconds`
right after the ceiling for as long; requests/s against the ceiling's, p50, p99 and the
slowest request, the SQL queries of one request (in this process, Django's test client,
the same database and agent) and each worker's resident memory after the page's run. It
prints a Markdown table and writes it to bench/results/<date>-<tickets>.md.
"""

import argparse
import http.cookiejar
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/helpdesk_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
os.environ["DEBUG"] = "false"

import django  # noqa: E402
import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

from bench import peer  # noqa: E402

HOST = "127.0.0.1"
CONNECTIONS = 8  # wrk's, against 2 workers: requests queue as they would at a busy hour
WORKERS = 2
CEILING = "/bench/ceiling/"


def create_database(url: str) -> None:
    """Create the URL's database if it is missing (the data set is made in it later)."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    server = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"creating the database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# Measuring -------------------------------------------------------------------------------


@dataclass
class Load:
    """What wrk measured: requests/s, latencies in ms, failures."""

    rps: float = 0.0
    p50: float = 0.0
    p99: float = 0.0
    max: float = 0.0
    requests: int = 0
    non_2xx_3xx: int = 0
    socket_errors: str = ""


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_DURATION = r"([\d.]+)(us|ms|s|m)\b"


def _ms(match: re.Match) -> float:
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> Load:
    load = Load()
    if found := re.search(r"Requests/sec:\s+([\d.]+)", output):
        load.rps = float(found.group(1))
    if found := re.search(rf"Latency\s+{_DURATION}\s+{_DURATION}\s+{_DURATION}", output):
        load.max = float(found.group(5)) * _UNITS[found.group(6)]
    for percent, name in (("50", "p50"), ("99", "p99")):
        if found := re.search(rf"^\s+{percent}%\s+{_DURATION}", output, re.MULTILINE):
            setattr(load, name, _ms(found))
    if found := re.search(r"(\d+) requests in", output):
        load.requests = int(found.group(1))
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        load.non_2xx_3xx = int(found.group(1))
    if found := re.search(r"Socket errors: (.*)", output):
        load.socket_errors = found.group(1).strip()
    return load


def run_wrk(url: str, seconds: int, cookie: str) -> Load:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    # A slow answer is measured, not dropped: wrk's own timeout is 2 s.
    command += ["--timeout", "20s", *(["-H", f"Cookie: {cookie}"] if cookie else []), url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    if "requests in" not in done.stdout:
        raise SystemExit(f"wrk measured nothing for {url}:\n{done.stdout}{done.stderr}")
    # No request may have finished within the run: a page slower than `seconds`.
    return parse_wrk(done.stdout)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to report, not to follow


def status_of(url: str, cookie: str) -> int:
    opener = urllib.request.build_opener(NoRedirect)
    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def body_of(url: str, cookie: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


PENDING_MARK = "data-dashboard-pending"


@dataclass
class FirstView:
    """A dashboard scope's first view with nothing kept: how long its first answer took,
    whether that answer was "Working out these figures" (left to the worker), and when a
    view first showed the figures."""

    first_ms: float
    pending: bool
    ready_s: float | None
    took_s: float | None = None  # the worker's (or the page's) own time, KeptFigures.took


def first_view(url: str, cookie: str, *, limit: float = 300) -> FirstView:
    """Load the page as its meta refresh would, until it shows figures (within `limit`)."""
    began = time.monotonic()
    _status, body = body_of(url, cookie)
    first_ms = (time.monotonic() - began) * 1000
    pending = PENDING_MARK in body
    while PENDING_MARK in body and time.monotonic() - began < limit:
        time.sleep(0.5)
        _status, body = body_of(url, cookie)
    ready = None if PENDING_MARK in body else time.monotonic() - began
    return FirstView(first_ms, pending, ready)


def sign_in(base: str, path: str, email: str, password: str) -> str:
    """Sign in through the form, as a browser would (its CSRF token and cookie); the
    Cookie header of the signed-in session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with opener.open(base + path, timeout=60) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": email, "password": password}
    ).encode()
    request = urllib.request.Request(base + path, data=form, headers={"Referer": base + path})  # noqa: S310
    try:
        opener.open(request, timeout=60)
        raise SystemExit(f"signing in as {email} did not redirect: the form refused it")
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise SystemExit(f"signing in as {email} answered {error.code}") from error
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"signing in as {email} set no session cookie")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else None


# Serving ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn with the production settings (and the ceiling page), stopped on exit."""

    def __init__(self, port: int, env: dict[str, str]):
        self.port = port
        self.env = env
        self.cwd = ROOT  # gunicorn puts it first on sys.path
        self.process: subprocess.Popen | None = None
        self.command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "helpdesk.wsgi:application",
            f"--workers={WORKERS}",
            "--worker-class=sync",
            f"--bind={HOST}:{port}",
            "--no-control-socket",
            "--log-level=warning",
        ]

    def __enter__(self):
        self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env)  # noqa: S603
        try:
            deadline = time.monotonic() + 60
            while len(self.workers()) < WORKERS or not self._answers():
                if self.process.poll() is not None:
                    raise SystemExit(f"gunicorn stopped with {self.process.returncode}")
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not answer within 60 s")
                time.sleep(0.2)
        except BaseException:
            self.__exit__()
            raise
        return self

    def _answers(self) -> bool:
        try:
            return status_of(f"http://{HOST}:{self.port}{CEILING}", "") == 200
        except OSError:
            return False

    def workers(self) -> list[int]:
        if self.process is None:
            return []
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return sorted(int(child) for child in children)

    def __exit__(self, *exc):
        if self.process is None or self.process.poll() is not None:
            return
        workers = self.workers()
        self.process.send_signal(signal.SIGTERM)  # gunicorn stops its workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for pid in workers:  # any the master left behind
            if rss_mb(pid) is not None:
                os.kill(pid, signal.SIGKILL)


class Worker:
    """The task worker beside gunicorn, as `make serve` runs it (`manage.py worker`). The
    data set schedules no periodic jobs, so it works only what the pages ask of it: the
    dashboard's figures."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        command = [sys.executable, str(ROOT / "manage.py"), "worker"]
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL
        )
        return self

    def __exit__(self, *exc):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# The pages -------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str
    kind: str  # queue, filtered, search, ticket, dashboard
    status: int = 0
    load: Load | None = None
    ceiling: Load | None = None
    queries: int | None = None
    first_queries: int | None = None
    rss: list[float] = field(default_factory=list)
    first_view: FirstView | None = None

    @property
    def share(self) -> float | None:
        if self.load is None or not self.ceiling or not self.ceiling.rps:
            return None
        return self.load.rps / self.ceiling.rps


def pages(lead, data) -> list[Page]:
    from django.db.models import Count

    from tickets.access import ticket_access_url
    from tickets.models import Priority, ThreadEntry, Ticket

    def with_entries(n: int) -> Ticket:
        long_ones = (
            ThreadEntry.objects.order_by()
            .values("ticket_id")
            .annotate(n=Count("pk"))
            .filter(n=n)
            .values("ticket_id")
        )
        found = Ticket.objects.visible_to(lead).filter(pk__in=long_ones).order_by("pk").first()
        if found is None:
            raise SystemExit(f"no ticket the lead agent sees has {n} thread entries")
        return found

    five, fifty = with_entries(5), with_entries(data.LONG_THREAD)
    return [
        Page("Open queue", "/scp/", "queue"),
        Page("Open, sorted by due", "/scp/queues/open/?sort=due&dir=asc", "queue"),
        Page(
            "Open, one department + high priority",
            f"/scp/queues/open/?department={lead.department_id}&priority={Priority.HIGH.value}",
            "filtered",
        ),
        Page("Closed", "/scp/queues/closed/", "queue"),
        Page("Closed, page 100", "/scp/queues/closed/?page=100", "queue"),
        Page(f"Search, rare word “{data.RARE_WORD}”", f"/scp/?q={data.RARE_WORD}", "search"),
        Page(f"Search, common word “{data.COMMON_WORD}”", f"/scp/?q={data.COMMON_WORD}", "search"),
        Page("Ticket view, 5 entries", f"/scp/tickets/{five.number}/", "ticket"),
        Page(f"Ticket view, {data.LONG_THREAD} entries", f"/scp/tickets/{fifty.number}/", "ticket"),
        Page("Dashboard", "/scp/dashboard/", "dashboard"),
        Page("Portal ticket (access link)", ticket_access_url(five), "ticket"),
    ]


def count_queries(page: Page, lead_user) -> None:
    """The SQL of one request, in this process: a first one (empty per-process caches) and
    then, as a worker that has served before would run, the fewest of three more. (Kept
    copies live a few seconds, helpdesk.memo: on a cold database the first request of a
    slow page can outlast them, and the second read them again.)"""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    if not page.path.startswith("/tickets/view/"):  # the portal page needs only its link
        client.force_login(lead_user)
    counts = []
    for _ in range(4):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.path)
        counts.append(len(captured.captured_queries))
    if response.status_code == 200:
        page.first_queries, page.queries = counts[0], min(counts[1:])


def dashboard_first_view(page: Page, base: str, cookie: str, lead_user) -> None:
    """The dashboard with nothing kept (as for a scope nobody has looked at in the last
    hour), loaded until it shows its figures; then its SQL, with them kept."""
    from tickets.models import KeptFigures

    KeptFigures.objects.all().delete()
    page.first_view = first_view(base + page.path, cookie)
    kept = KeptFigures.objects.exclude(figures=None).first()
    page.first_view.took_s = kept.took if kept else None
    print(f"{page.name}, first view: {first_view_text(page.first_view)}")
    count_queries(page, lead_user)


def first_view_text(view: FirstView) -> str:
    answer = f"answered in {view.first_ms:.0f} ms"
    if not view.pending:
        return answer + " with its figures (worked out by the page itself)"
    answer += " with “Working out these figures”"
    if view.ready_s is None:
        return answer + "; no figures within 300 s"
    took = f" (the worker's work: {view.took_s:.1f} s)" if view.took_s is not None else ""
    return answer + f"; figures shown {view.ready_s:.1f} s after the first request{took}"


# Targets of the performance issue ---------------------------------------------------------

FAST_SHARE = 0.15
TARGETS = [
    "queue pages and ticket views: ≥ 15 % of the ceiling's requests/s and p99 < 100 ms",
    "search and filtered queues: p99 < 250 ms",
    "no request over 1 s",
    "at most 12 SQL queries per page",
    "each worker's resident memory < 150 MB",
]


def _fast(page: Page) -> bool:
    """Whether a queue page or ticket view misses its target (share and p99)."""
    load = page.load
    return page.kind in ("queue", "ticket") and bool(
        load and ((page.share or 0) < FAST_SHARE or load.p99 >= 100)
    )


TARGET_TESTS = [
    (TARGETS[0], _fast),
    (
        TARGETS[1],
        lambda page: (
            page.kind in ("search", "filtered") and (page.load.p99 >= 250 or not page.load.requests)
        ),
    ),
    (TARGETS[2], lambda page: page.load.max > 1000 or not page.load.requests),
    (TARGETS[3], lambda page: page.queries is not None and page.queries > 12),
    (TARGETS[4], lambda page: any(rss >= 150 for rss in page.rss)),
]


def missed(page: Page) -> list[str]:
    """The targets this page misses, in words."""
    if page.status != 200 or page.load is None:
        return [f"answered {page.status}, not measured"]
    load, misses = page.load, []
    if not load.requests:
        misses.append("no request finished within the run")
    if page.kind in ("queue", "ticket"):
        if page.share is not None and page.share < FAST_SHARE:
            misses.append(f"{page.share:.1%} of the ceiling (target ≥ 15 %)")
        if load.p99 >= 100:
            misses.append(f"p99 {load.p99:.0f} ms (target < 100)")
    if page.kind in ("search", "filtered") and load.requests and load.p99 >= 250:
        misses.append(f"p99 {load.p99:.0f} ms (target < 250)")
    if load.max > 1000:
        misses.append(f"slowest request {load.max:.0f} ms (target ≤ 1 s)")
    if load.non_2xx_3xx:
        misses.append(f"{load.non_2xx_3xx} answers not 2xx/3xx under load")
    if page.queries is not None and page.queries > 12:
        misses.append(f"{page.queries} SQL queries (target ≤ 12)")
    if any(rss >= 150 for rss in page.rss):
        misses.append(f"worker RSS {max(page.rss):.0f} MB (target < 150)")
    return misses


# Output ----------------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    gib = int(memory.group(1)) / 1024 / 1024 if memory else 0
    return f"{os.cpu_count()} CPUs ({model}), {gib:.1f} GiB memory, {platform.platform()}"


def git_commit() -> str:
    def git(*args):
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)  # noqa: S603, S607
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD")
    return commit + (" (with uncommitted changes)" if git("status", "--porcelain") else "")


def _ms_text(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def table(results: list[Page]) -> str:
    lines = [
        "| page | status | requests | req/s | ceiling req/s | of ceiling | p50 ms | p99 ms "
        "| slowest ms | SQL | worker RSS MB | targets missed |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for page in results:
        load, ceiling = page.load, page.ceiling
        sql_text = "–" if page.queries is None else str(page.queries)
        if page.first_queries not in (None, page.queries):
            sql_text += f" (first {page.first_queries})"
        cells = [f"{page.name} `{shorten(page.path)}`", str(page.status)]
        if load is None:
            cells += ["–"] * 8
        else:
            latencies = [load.p50, load.p99, load.max]
            cells += [
                str(load.requests),
                f"{load.rps:.1f}",
                f"{ceiling.rps:.0f}" if ceiling else "–",
                f"{page.share:.1%}" if page.share is not None else "–",
                *(_ms_text(ms) if load.requests else "–" for ms in latencies),
                sql_text,
            ]
        cells.append(" / ".join(f"{rss:.0f}" for rss in page.rss) or "–")
        cells.append("; ".join(missed(page)) or "none")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def shorten(path: str) -> str:
    return path if len(path) <= 60 else path[:40] + "…"


FEW = 20


def few_requests(measured: list[Page]) -> list[str]:
    """A warning under the table when a page's run completed few requests."""
    few = [page.name for page in measured if page.load.requests < FEW]
    if not few:
        return []
    return [
        f"Fewer than {FEW} requests completed in the run of: {'; '.join(few)}. Their p50 "
        "and p99 rest on those few (requests still under way when the run ended are not "
        "counted); a longer `--seconds` measures them better.",
        "",
    ]


def report(results, args, facts, generated, conn_max_age, started_at, load_average) -> str:
    import gunicorn
    from django.conf import settings

    from bench import data

    measured = [page for page in results if page.load is not None]
    wait_ms = settings.HELPDESK_DASHBOARD_WAIT_MS
    made = (
        f"made in {generated:.0f} s by this run"
        if generated is not None
        else f"reused (made in {facts['seconds']:.0f} s by an earlier run)"
    )
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout  # noqa: S607
    wrk_version = (wrk_version.splitlines() or ["wrk"])[0].split(" [")[0]
    lines = [
        f"# Benchmark: {args.tickets:,} tickets, {started_at:%Y-%m-%d %H:%M} UTC",
        "",
        "Made by `make bench` (bench/harness.py); see bench/README.md.",
        "",
        f"- Machine: {machine()}. Load average {load_average} when the run started: other "
        "work on the machine (a test suite, say) lowers the numbers.",
        f"- Code: git commit {git_commit()}.",
        f"- Data: {args.tickets:,} tickets, {facts['entries']:,} thread entries, "
        f"{facts['events']:,} events, {facts['ratings']:,} ratings, {facts['end_users']:,} end "
        "users; 50 agents and the lead agent, 10 departments, 20 help topics, 3 SLA plans "
        f"(bench/data.py, web profile, seed {data.SEED}); {made}. Thread entries with the "
        f"common word “{data.COMMON_WORD}”: {facts.get('common_entries', 0):,}; with the rare "
        f"word “{data.RARE_WORD}”: {facts.get('rare_entries', 0):,}.",
        f"- Serving: gunicorn {gunicorn.__version__}, {WORKERS} sync workers, DEBUG off, "
        f"DATABASE_CONN_MAX_AGE={conn_max_age}, settings `bench.settings` (production's plus "
        "the ceiling page), whitenoise serving the collected static files, and the task "
        "worker beside it for the pages (`manage.py worker`, as `make serve` runs it; "
        "stopped before intake); PostgreSQL on the "
        "same machine with its own settings. Plain HTTP on loopback, so the HTTPS settings "
        "(SECURE_SSL_REDIRECT, secure cookies, HSTS) are off.",
        f"- Load: {wrk_version}, `wrk -t1 -c{CONNECTIONS} -d{args.seconds}s --latency "
        "--timeout 20s`, with the lead agent's session cookie (signed in through /scp/login/; "
        f"the agent sees 8 departments of 10). {args.seconds} s per page, each right after "
        f"{args.seconds} s of the ceiling (`{CEILING}`, a bare HttpResponse behind the same "
        "middleware and gunicorn), whose requests/s the page's are divided by. With "
        f"{CONNECTIONS} connections on {WORKERS} workers, latencies include the wait in "
        "gunicorn's queue.",
        "- SQL: the queries of one request in the harness's process (Django's test client and "
        "CaptureQueriesContext, the same database and agent), after a first request that fills "
        "the per-process caches (“first” when that one differs). Worker RSS: VmRSS of each of "
        f"the {WORKERS} workers after the page's run.",
        "",
        table(results),
        "",
        *few_requests(measured),
        "## Targets of the performance issue",
        "",
    ]
    for target, test in TARGET_TESTS:
        missing = [page.name for page in measured if test(page)]
        verdict = "met" if not missing else "missed by " + "; ".join(missing)
        lines.append(f"- {target}: {verdict}.")
    lines += [
        "",
        *[
            f"{page.name}, first view of its scope with nothing kept: "
            f"{first_view_text(page.first_view)}. The load above then reads the kept figures "
            "(the worker brings them up to date in the background; the page works them out "
            f"itself only when that takes under DASHBOARD_WAIT_MS, {wait_ms} ms).\n"
            for page in results
            if page.first_view is not None
        ],
        f"Measured {len(measured)} pages of {len(results)} (a page that does not answer 200 is "
        "listed with its status and not loaded). Not measured yet: several agents' sessions "
        "at once, PostgreSQL settings other than its defaults.",
        "",
    ]
    return "\n".join(lines)


# The run ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10, help="of load per page")
    parser.add_argument("--fresh", action="store_true", help="make the data set again")
    parser.add_argument("--no-write", action="store_true", help="print, write no results file")
    peer.add_arguments(parser)
    parser.add_argument("--no-intake", action="store_true", help="measure the pages alone")
    args = parser.parse_args()
    started_at = datetime.now(UTC)
    load_average = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    url = os.environ["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Run it against PostgreSQL: DATABASE_URL=postgres://…")
    create_database(url)
    django.setup()

    from django.core.management import call_command

    from accounts.models import Agent
    from bench import data, intake

    call_command("migrate", verbosity=0)
    facts = None if args.fresh else data.dataset(args.tickets, "web")
    generated = None
    if facts is None:
        print(f"generating {args.tickets:,} tickets (seed {data.SEED}, web profile)")
        began = perf_counter()
        data.generate(args.tickets, "web")
        generated = perf_counter() - began
        print(f"  generated in {generated:.1f} s")
        facts = data.dataset(args.tickets, "web")
    else:
        print(f"reusing the {args.tickets:,} tickets made on {facts['anchor']:%Y-%m-%d}")
    call_command("collectstatic", interactive=False, verbosity=0)

    lead = Agent.objects.select_related("user").get(user__email=data.LEAD_EMAIL)
    results = pages(lead, data)
    for page in results:
        if page.kind != "dashboard":  # counted once its figures are kept (below)
            count_queries(page, lead.user)

    conn_max_age = os.environ["DATABASE_CONN_MAX_AGE"]
    env = {**os.environ, "ALLOWED_HOSTS": f"{HOST},localhost", "LOG_LEVEL": "WARNING"}
    port = free_port()
    base = f"http://{HOST}:{port}"
    intake_results, marks = [], None if args.no_intake else intake.Marks()
    # django-helpdesk side by side (bench/peer): its own venv, database, data and gunicorn.
    with (
        peer.Peer(args, sys.modules[__name__]) as theirs,
        Gunicorn(port, env) as server,
        Worker(env) as worker,
    ):
        staff = sign_in(base, "/scp/login/", data.LEAD_EMAIL, data.LEAD_PASSWORD)
        for page in results:
            cookie = "" if page.path.startswith("/tickets/view/") else staff
            if page.kind == "dashboard":
                dashboard_first_view(page, base, cookie, lead.user)
            page.status = status_of(base + page.path, cookie)
            print(f"{page.name}: {page.status}", end="", flush=True)
            if page.status != 200:
                print(" (not loaded)")
                page.rss = [rss for pid in server.workers() if (rss := rss_mb(pid))]
                continue
            page.ceiling = run_wrk(base + CEILING, args.seconds, cookie)
            page.load = run_wrk(base + page.path, args.seconds, cookie)
            page.rss = [rss for pid in server.workers() if (rss := rss_mb(pid))]
            share = f"{page.share:.1%}" if page.share is not None else "–"
            print(f", {page.load.rps:.1f} req/s, {share} of the ceiling")
            theirs.after(page)  # its counterpart of this page, if it has one
        # Intake is measured as the request paths alone, as before the worker ran here: the
        # notices it queues would be sent meanwhile, on the same two cores (bench/mail.py
        # measures sending).
        worker.__exit__()
        if marks is not None:  # intake: the web form, then mail (bench/intake.py)
            try:
                intake_results = intake.measure_web(base, args.seconds, server.workers())
            except BaseException:
                marks.delete_since()
                raise
    if marks is not None:
        try:
            intake_results.append(intake.measure_mail(args.seconds))
        finally:
            marks.delete_since()
    text = report(results, args, facts, generated, conn_max_age, started_at, load_average)
    if intake_results:
        text += "\n" + intake.section(intake_results)
    text += "\n".join(["", *theirs.section()])
    print()
    print(table(results))
    if intake_results:
        print()
        print(intake.table(intake_results))
    theirs.print_summary()
    if not args.no_write:
        path = ROOT / "bench" / "results" / f"{started_at:%Y-%m-%d}-{args.tickets}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        print(f"\nwritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
