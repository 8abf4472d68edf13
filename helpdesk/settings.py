"""Settings for the helpdesk, all from environment variables.

The defaults give a working, safe local set-up (`make run`): an SQLite file under var/,
DEBUG off, only loopback hosts allowed, a secret key generated once into var/.
Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and the email variables.
"""

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from helpdesk.env import env_bool, env_cache, env_int, env_int_list, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HELPDESK_VAR_DIR", str(BASE_DIR / "var")))


def _local_secret_key() -> str:
    """A per-checkout key kept in var/, so that a local set-up needs no configuration
    and no key is ever committed or shared between installations."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY", "") or _local_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    # Before django_tasks_db, so that its db_worker (kept running through a database
    # restart, helpdesk/management/commands/db_worker.py) is the one manage.py runs.
    "helpdesk",  # project-wide commands and tasks (helpdesk.periodic)
    "django_tasks_db",
    "helpdesk.mail",  # outgoing mail: editable notices and the outbox
    "accounts",
    "sla",
    "tickets",
    "api",  # osTicket's ticket API, the REST API and webhooks
    "ninja",  # the REST API's Swagger UI files (vendored static, no CDN)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = "helpdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'helpdesk.sqlite3'}"),
        # A connection is kept for this many seconds and reused by the worker's next
        # requests (0: one per request), and checked before reuse, so a database restart
        # costs one reconnect rather than an error.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests at once (a double click, the live test server, the worker beside the
    # web server in `make run`) must wait for the write lock rather than fail with "database
    # is locked"; in WAL mode readers never wait for a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "portal:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
# Uploaded attachments are never served directly: a view checks access, then sends them.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers. The app ships no inline scripts or styles, so the policy can be strict.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Outbound mail (Django 6.1 mailers). Without EMAIL_HOST, mail is written to the console.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "helpdesk@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_email_host = env_str("EMAIL_HOST", "")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 25, minimum=1),
                "username": env_str("EMAIL_HOST_USER", "") or None,
                "password": env_str("EMAIL_HOST_PASSWORD", "") or None,
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
                "timeout": env_int("EMAIL_TIMEOUT", 30, minimum=1),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# The helpdesk's name, as mail signs off with it.
HELPDESK_NAME = env_str("HELPDESK_NAME", "Helpdesk")
# Links in mail point here: the address people reach the helpdesk at.
HELPDESK_BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# A message the mail server could not take is tried again after each of these waits, then
# given up (and listed as failed in the admin panel, with the server's answer).
HELPDESK_MAIL_RETRY_SECONDS = env_int_list("MAIL_RETRY_SECONDS", [60, 300, 900, 3600, 10800])
HELPDESK_MAIL_STALLED_SECONDS = env_int("MAIL_STALLED_SECONDS", 300, minimum=10)
# At most this many auto-responses an hour to one address: two autoresponders answering each
# other, or somebody flooding us, get a few and then silence.
HELPDESK_AUTORESPONSES_PER_HOUR = env_int("AUTORESPONSES_PER_HOUR", 5, minimum=0)

# Mail in: the help topic (by name) of new tickets piped to `manage.py ingest_email`; a
# mailbox's own topic wins for fetched mail. Without one, the first active topic is used.
HELPDESK_EMAIL_HELP_TOPIC = env_str("EMAIL_HELP_TOPIC", "")
# How often the worker fetches the mailboxes, and after how many failed fetches in a row
# the administrators are told that one is failing.
HELPDESK_MAIL_FETCH_SECONDS = env_int("MAIL_FETCH_SECONDS", 60, minimum=10)
HELPDESK_MAILBOX_ALERT_AFTER = env_int("MAILBOX_ALERT_AFTER", 3, minimum=1)
# A fetched message larger than this is left on the server (and the mailbox says so).
HELPDESK_MAX_EMAIL_BYTES = env_int("MAX_EMAIL_BYTES", 50 * 1024 * 1024, minimum=1024)
# Mailbox servers' certificates are verified against the system's authorities, and this
# file's (a private authority's), if given.
HELPDESK_MAIL_CA_FILE = env_str("MAIL_CA_FILE", "")

# Ticket intake limits. Each is answered with a clear message on the form, never a 500.
HELPDESK_TICKET_NUMBER_DIGITS = env_int("TICKET_NUMBER_DIGITS", 6, minimum=4)
HELPDESK_MAX_BODY_CHARS = env_int("MAX_BODY_CHARS", 20_000, minimum=100)
HELPDESK_MAX_ATTACHMENT_BYTES = env_int("MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024, minimum=1)
HELPDESK_MAX_ATTACHMENTS = env_int("MAX_ATTACHMENTS", 5, minimum=0)
_DEFAULT_EXTENSIONS = (
    "pdf png jpg jpeg gif webp txt log csv json xml "
    "doc docx xls xlsx ppt pptx odt ods odp rtf zip eml msg"
)
HELPDESK_ALLOWED_ATTACHMENT_EXTENSIONS = [
    ext.lower().lstrip(".")
    for ext in env_list("ALLOWED_ATTACHMENT_EXTENSIONS", _DEFAULT_EXTENSIONS.split())
]
# Files sent with a refused form are kept for its next submission, within budgets: per
# browser session, per client address, and in all (tickets.uploads). By default a session may
# keep one full form's files, an address two forms' worth.
HELPDESK_PENDING_UPLOAD_KEEP_HOURS = env_int("PENDING_UPLOAD_KEEP_HOURS", 24, minimum=1)
HELPDESK_PENDING_UPLOAD_SESSION_BYTES = env_int(
    "PENDING_UPLOAD_SESSION_BYTES",
    HELPDESK_MAX_ATTACHMENTS * HELPDESK_MAX_ATTACHMENT_BYTES,
    minimum=0,
)
HELPDESK_PENDING_UPLOAD_ADDRESS_BYTES = env_int(
    "PENDING_UPLOAD_ADDRESS_BYTES",
    2 * HELPDESK_MAX_ATTACHMENTS * HELPDESK_MAX_ATTACHMENT_BYTES,
    minimum=0,
)
HELPDESK_PENDING_UPLOAD_TOTAL_BYTES = env_int(
    "PENDING_UPLOAD_TOTAL_BYTES", 1024 * 1024 * 1024, minimum=0
)
HELPDESK_PURGE_UPLOADS_SECONDS = env_int("PURGE_UPLOADS_SECONDS", 3600, minimum=60)
# The osTicket-compatible API (api.osticket): a larger body is answered 413. By default room
# for a full set of attachments in base64 (a third larger) and the message; raw mail posted
# to tickets.email is also held to MAX_EMAIL_BYTES. Tickets that name no topicId get the
# topic named here, else the one mail gets (EMAIL_HELP_TOPIC), else the first active one.
HELPDESK_API_MAX_BODY_BYTES = env_int(
    "API_MAX_BODY_BYTES",
    HELPDESK_MAX_ATTACHMENTS * HELPDESK_MAX_ATTACHMENT_BYTES * 4 // 3 + 1024 * 1024,
    minimum=1024,
)
HELPDESK_API_HELP_TOPIC = env_str("API_HELP_TOPIC", "")
# An end user's reply reopens a resolved or closed ticket only within this many days.
HELPDESK_REOPEN_WINDOW_DAYS = env_int("REOPEN_WINDOW_DAYS", 30, minimum=0)
# Resolved tickets close by themselves after this many days.
HELPDESK_AUTO_CLOSE_DAYS = env_int("AUTO_CLOSE_DAYS", 7, minimum=1)
# End users may mark their own ticket resolved from the portal.
HELPDESK_USERS_CAN_RESOLVE = env_bool("USERS_CAN_RESOLVE", True)
# A portal link to a ticket opens it for this many days (0: for ever); after that it offers
# to mail its person a fresh one (tickets.access).
HELPDESK_ACCESS_LINK_MAX_AGE_DAYS = env_int("ACCESS_LINK_MAX_AGE_DAYS", 30, minimum=0)
# Check Ticket Status mails the ticket's link to the address typed instead of opening the
# ticket, so that an address and a number are not enough to read somebody's ticket.
HELPDESK_STATUS_LINK_BY_EMAIL = env_bool("STATUS_LINK_BY_EMAIL", False)
# The satisfaction survey (tickets.services.survey): a rating may be changed for this many
# days after it was first given; the links in the resolved notice work this many days; a
# bad rating reopens the ticket when this is on.
HELPDESK_SURVEY_CHANGE_DAYS = env_int("SURVEY_CHANGE_DAYS", 7, minimum=0)
HELPDESK_SURVEY_LINK_MAX_AGE_DAYS = env_int("SURVEY_LINK_MAX_AGE_DAYS", 30, minimum=1)
HELPDESK_SURVEY_BAD_REOPENS = env_bool("SURVEY_BAD_REOPENS", False)

# The SLA plan (by name) of tickets whose help topic and department name none.
HELPDESK_DEFAULT_SLA_PLAN = env_str("DEFAULT_SLA_PLAN", "")

# Background work: Django's tasks framework, queued in the database (django-tasks-db), run by
# `manage.py db_worker` (`make worker`). Periodic jobs re-enqueue themselves (helpdesk.periodic).
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
# How often each periodic job runs, in seconds.
HELPDESK_SLA_SWEEP_SECONDS = env_int("SLA_SWEEP_SECONDS", 60, minimum=10)
HELPDESK_AUTO_CLOSE_SECONDS = env_int("AUTO_CLOSE_SECONDS", 3600, minimum=60)
# The weekly summaries go from Monday 07:00 in each manager's time zone: checked this often.
HELPDESK_WEEKLY_SUMMARY_SECONDS = env_int("WEEKLY_SUMMARY_SECONDS", 3600, minimum=60)
# Finished task results are kept this many days, for looking into what ran and what failed.
HELPDESK_TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 7, minimum=1)
HELPDESK_TASK_RESULTS_SECONDS = 24 * 3600
# The dashboard's figures are kept this long for the same tickets and days (the page says
# when they were worked out); 0 works them out on every view, in the request.
HELPDESK_DASHBOARD_SECONDS = env_int("DASHBOARD_SECONDS", 60, minimum=0)
# With figures kept, a page works them out itself for at most this long, then leaves them
# to the background worker and shows the older figures, or "being worked out" and looks
# again a few seconds later: no person waits seconds for a page.
HELPDESK_DASHBOARD_WAIT_MS = env_int("DASHBOARD_WAIT_MS", 300, minimum=0)
# The worker gives figures up past this many seconds, with a message asking for a shorter
# period; with DASHBOARD_SECONDS 0 the page does so past DASHBOARD_BUDGET_SECONDS (below
# gunicorn's 30 s worker timeout, so never a 500).
HELPDESK_DASHBOARD_WORKER_SECONDS = env_int("DASHBOARD_WORKER_SECONDS", 120, minimum=1)
HELPDESK_DASHBOARD_BUDGET_SECONDS = env_int("DASHBOARD_BUDGET_SECONDS", 12, minimum=1)

# Webhooks (api.webhooks): a delivery the receiver did not take is tried again after each of
# these waits, then given up; each attempt waits this long for an answer; a delivery claimed
# by a worker that died is sent again by a job that runs this often.
HELPDESK_WEBHOOK_RETRY_SECONDS = env_int_list("WEBHOOK_RETRY_SECONDS", [60, 300, 1800, 7200, 21600])
HELPDESK_WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5, minimum=1)
HELPDESK_WEBHOOK_STALLED_SECONDS = env_int("WEBHOOK_STALLED_SECONDS", 300, minimum=10)

# Serving and scale-out (issue 17, "serve"). Django's cache holds what must be shared by
# every web process and worker: API rate counts, login and intake throttles, the dashboard's
# figures. CACHE_URL=redis://host:6379/0 shares one Redis between them all (on any number of
# machines); without it each process keeps its own memory (LocMemCache), which is right for
# one process only: N processes then allow N times each rate. A Redis that does not answer
# within a few seconds fails the request rather than hanging it.
CACHES = {"default": env_cache("CACHE_URL")}
if "LOCATION" in CACHES["default"]:
    CACHES["default"]["OPTIONS"] = {"socket_connect_timeout": 3, "socket_timeout": 3}

# Faults and health checks (helpdesk.health, helpdesk.outage). /readyz reports a worker that
# is not keeping up when the oldest task due has waited longer than this (it stays 200: the
# pages work without a worker). The checks answer over plain HTTP too, for load balancers.
HELPDESK_READY_WORKER_LAG_SECONDS = env_int("READY_WORKER_LAG_SECONDS", 300, minimum=10)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Uploads above the attachment limit are refused by the form, not by a 413 the user cannot read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Issue 17, read replica and task queue (helpdesk.db_router, helpdesk.rq_tasks; README "Read
# replica", "Task queue").
# A read replica of the primary database: when set, the heavy read pages (queues, search, the
# dashboard and its exports) read from it, never a write, a transaction, or a person's page
# just after they changed something (for REPLICA_PIN_SECONDS). Empty: everything on the primary.
_replica_url = env_str("DATABASE_REPLICA_URL", "")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(
        _replica_url,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
    # Under test it is the primary's own test database: there is no replication to follow.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["helpdesk.db_router.ReplicaRouter"]
MIDDLEWARE += ["helpdesk.db_router.ReplicaPinMiddleware"]
HELPDESK_REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10, minimum=1)
# The task queue: "database" (django-tasks-db on the app's database, nothing more to run) or
# "rq" (Redis at TASKS_REDIS_URL, worked by `manage.py rq_worker`). `manage.py worker` runs
# whichever is chosen.
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
if TASKS_BACKEND == "rq":
    TASKS = {
        "default": {
            "BACKEND": "helpdesk.rq_tasks.RQBackend",
            "QUEUES": ["default"],
            "OPTIONS": {
                "URL": env_str("TASKS_REDIS_URL", "redis://127.0.0.1:6379/0"),
                "RESULT_TTL": HELPDESK_TASK_RESULTS_KEEP_DAYS * 24 * 3600,
            },
        }
    }
elif TASKS_BACKEND != "database":
    raise ImproperlyConfigured(f"TASKS_BACKEND={TASKS_BACKEND!r}: use database or rq")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Two-factor sign-in for agents (issue 17, the two-factor and access-link part): django-otp's
# TOTP devices (authenticator apps, RFC 6238) and one-time backup codes. OTPMiddleware tells
# whether a code was given in the session; accounts.decorators sends staff pages there.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
# Django's admin behind the same two-factor rule (accounts.admin_site).
INSTALLED_APPS[INSTALLED_APPS.index("django.contrib.admin")] = "accounts.apps.HelpdeskAdminConfig"
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
# The name authenticator apps show beside the agent's address.
OTP_TOTP_ISSUER = HELPDESK_NAME
# Django's admin never shows an agent's TOTP secret or its QR code (that would let whoever
# reads it sign in as the agent); django-otp's own pages for them answer 403 for any device,
# a missing one too (they answered 500 for an unknown id).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Administrators must turn two-factor on before the admin panel (and Django's admin) opens.
HELPDESK_ADMINS_REQUIRE_2FA = env_bool("ADMINS_REQUIRE_2FA", False)

# --- Throttling and password hashing (issue 17, "throttle") ---------------------------------
# Every limit counts in Django's cache (helpdesk.throttle), so all web processes count together
# when CACHES names a shared backend. A count of 0 switches that limit off.
# The client's address is REMOTE_ADDR; behind N proxies that append to X-Forwarded-For, set
# TRUSTED_PROXIES=N to read it from there. 0 (the default) never believes the header.
HELPDESK_TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0, minimum=0)
# Sign-in (staff, portal and Django's admin), through django-axes: after this many failures for
# one account, or from one address, within LOGIN_LOCKOUT_MINUTES, signing in is refused (the
# right password too) until that window closes. A successful sign-in clears the account's count.
HELPDESK_LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5, minimum=0)
HELPDESK_LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 20, minimum=0)
HELPDESK_LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
INSTALLED_APPS += ["axes"]
# Last, as axes asks: it turns a refused sign-in into the lockout page (accounts.lockout).
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    "accounts.lockout.LockoutBackend",  # refuses a locked-out sign-in before any password check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "accounts.lockout.cool_off"
AXES_USERNAME_CALLABLE = "accounts.lockout.typed_account"
AXES_CLIENT_IP_CALLABLE = "helpdesk.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Sign-ins refused during a lockout do not extend it, so the time the page gives is the truth.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ADMIN = False  # the counts live in the cache, not in axes' tables
AXES_VERBOSE = False
# Password-reset mail, per address typed and per client address, in a window of minutes.
HELPDESK_PASSWORD_RESETS_PER_EMAIL = env_int("PASSWORD_RESETS_PER_EMAIL", 5, minimum=0)
HELPDESK_PASSWORD_RESETS_PER_ADDRESS = env_int("PASSWORD_RESETS_PER_ADDRESS", 20, minimum=0)
HELPDESK_PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60, minimum=1)
# Check Ticket Status: lookups that match nothing, per client address and per email typed.
HELPDESK_STATUS_LOOKUP_FAILURES_PER_ADDRESS = env_int(
    "STATUS_LOOKUP_FAILURES_PER_ADDRESS", 10, minimum=0
)
HELPDESK_STATUS_LOOKUP_FAILURES_PER_EMAIL = env_int(
    "STATUS_LOOKUP_FAILURES_PER_EMAIL", 10, minimum=0
)
HELPDESK_STATUS_LOOKUP_WINDOW_MINUTES = env_int("STATUS_LOOKUP_WINDOW_MINUTES", 15, minimum=1)
# Tickets opened through the portal's form without signing in, per client address.
HELPDESK_WEB_TICKETS_PER_ADDRESS = env_int("WEB_TICKETS_PER_ADDRESS", 10, minimum=0)
HELPDESK_WEB_TICKETS_WINDOW_MINUTES = env_int("WEB_TICKETS_WINDOW_MINUTES", 10, minimum=1)
# API requests per client address and minute, counted before the key is looked at (each key
# also has its own rate).
HELPDESK_API_REQUESTS_PER_ADDRESS = env_int("API_REQUESTS_PER_ADDRESS", 120, minimum=0)
# Passwords are hashed with Argon2; hashes made by the others still verify and are re-hashed
# with Argon2 at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
