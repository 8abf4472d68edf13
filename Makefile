# The two commands a newcomer needs: `make run` and `make test` (see README.md).
# Everything is installed from constraints.txt into .venv, without prompting.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST_PORT ?= 127.0.0.1:8000
# `make serve`: gunicorn's worker processes. 2 × cores + 1 (gunicorn's own advice for sync
# workers): while some wait on the database or the network, the others keep the cores busy.
WEB_CONCURRENCY ?= $(shell echo $$((2 * $$(nproc 2>/dev/null || echo 1) + 1)))
SQLITE_TEST_URL ?= sqlite:///$(CURDIR)/var/test.sqlite3
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/helpdesk
# `make bench`: its own database (created if missing), the data set's size, seconds per page.
BENCH_URL ?= postgres://postgres@127.0.0.1:5432/helpdesk_bench
BENCH_TICKETS ?= 1000000
BENCH_SECONDS ?= 10
BENCH_CONN_MAX_AGE ?= 60
# More options for bench/harness.py, e.g. --peer (django-helpdesk side by side at any size).
BENCH_ARGS ?=
# `make load` (tests/load/run.py): its database (made afresh, dropped after; `sqlite` for a
# file), how long, how many end users and agents at once. Its Redis database is emptied.
LOAD_URL ?= postgres://postgres@127.0.0.1:5432/helpdesk_load
LOAD_SECONDS ?= 300
LOAD_USERS ?= 20
LOAD_AGENTS ?= 4
LOAD_REDIS_URL ?= redis://127.0.0.1:6379/6
CHROMIUM ?= /usr/bin/chromium
DOVECOT ?= /usr/sbin/dovecot
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: serve load worker run test test-sqlite test-postgres lint format install install-test chromium \
	dovecot check-test-services static lock clean bench wrk

# A venv made by a Python older than 3.12, or by a Python that is gone, is rebuilt.
VENV_OK := $(shell $(PY) -c 'import sys; print(sys.version_info >= (3, 12))' 2>/dev/null)
ifneq ($(VENV_OK),True)
$(PY): FORCE
endif
$(PY):
	@python=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	rm -rf $(VENV) && "$$python" -m venv $(VENV)

FORCE:

$(VENV)/.installed-run: $(PY) pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-test: $(PY) pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	@touch $@ $(VENV)/.installed-run

$(VENV)/.installed-bench: $(PY) pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,bench]'
	@touch $@ $(VENV)/.installed-test $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

# whitenoise serves var/static, as it would in production.
static: install
	@mkdir -p var
	$(PY) manage.py collectstatic --noinput --verbosity 0

# The web server and the background worker together (Procfile, run by honcho); Ctrl-C
# stops both.
run: install static
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	HOST_PORT=$(HOST_PORT) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile start

# The app as in production (README, "Running in production"): migrations applied, static
# files collected for whitenoise, DEBUG off, gunicorn with WEB_CONCURRENCY workers on
# HOST_PORT and the background worker beside it (Procfile.serve, run by honcho); Ctrl-C stops
# both. No demo data: set SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CACHE_URL and the mail
# variables first.
serve: install static
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 HOST_PORT=$(HOST_PORT) WEB_CONCURRENCY=$(WEB_CONCURRENCY) \
		PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.serve start

# The background worker alone (SLA sweep, auto-close, clean-ups), for a set-up whose web
# server runs elsewhere. Starts each periodic job's chain if none is waiting, then works
# the queue TASKS_BACKEND names (`manage.py worker`: db_worker, or rq_worker for Redis).
worker: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py schedule_periodic_tasks
	$(PY) manage.py worker

# Debian's Chromium drives the browser tests; Playwright's own browser download is not used.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "Installing Debian's chromium package"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null || true; \
	fi

# The mail tests start their own Dovecot (IMAP, POP3) from its binary, on their own ports
# and config; the packages' system service is neither needed nor touched. `env` carries
# DEBIAN_FRONTEND through sudo, which would drop it.
dovecot:
	@if [ ! -x "$(DOVECOT)" ]; then \
		echo "Installing Debian's dovecot-imapd and dovecot-pop3d packages"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			dovecot-imapd dovecot-pop3d >/dev/null || true; \
	fi

check-test-services: install-test chromium dovecot
	@$(PY) scripts/check-test-services --chromium "$(CHROMIUM)" --dovecot "$(DOVECOT)" \
		--postgres "$(PG_TEST_URL)"

test: check-test-services static
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install-test
	@echo "== test suite on SQLite =="
	DATABASE_URL="$(SQLITE_TEST_URL)" CHROMIUM="$(CHROMIUM)" DOVECOT="$(DOVECOT)" \
		$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install-test
	@echo "== test suite on PostgreSQL =="
	DATABASE_URL="$(PG_TEST_URL)" CHROMIUM="$(CHROMIUM)" DOVECOT="$(DOVECOT)" \
		$(BIN)/pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The benchmark harness (bench/README.md): the pages under load, served by gunicorn as in
# production, against its own PostgreSQL database; not part of `make test`. The data set is
# made once per size (a few minutes for 1,000,000 tickets) and reused. The harness creates
# the database if it is missing and writes bench/results/<date>-<tickets>.md.
# At 100,000 tickets it also measures django-helpdesk 2.6.1 side by side (bench/peer: its own
# venv var/peer-venv, made on the first run, and its own database helpdesk_peer).
# Quick run: make bench BENCH_TICKETS=100000 BENCH_SECONDS=3
wrk:
	@if ! command -v wrk >/dev/null; then \
		echo "Installing Debian's wrk package"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null || true; \
	fi
	@command -v wrk >/dev/null || { echo "wrk is missing and could not be installed"; exit 1; }

bench: $(VENV)/.installed-bench wrk
	DATABASE_URL="$(BENCH_URL)" DATABASE_CONN_MAX_AGE="$(BENCH_CONN_MAX_AGE)" \
		$(PY) bench/harness.py --tickets $(BENCH_TICKETS) --seconds $(BENCH_SECONDS) $(BENCH_ARGS)

# The load test at full size (README, "Load test"); `make test` runs a small one.
load: install-test static
	DATABASE_URL="$(LOAD_URL)" TEST_REDIS_URL="$(LOAD_REDIS_URL)" $(PY) -m tests.load.run \
		--seconds $(LOAD_SECONDS) --users $(LOAD_USERS) --agents $(LOAD_AGENTS)

# Re-pin constraints.txt to what is installed in .venv now (after a deliberate upgrade).
lock: install-test
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

clean:
	rm -rf $(VENV) var/static var/test.sqlite3 var/peer-venv
