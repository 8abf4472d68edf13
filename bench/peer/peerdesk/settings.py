"""A minimal project for django-helpdesk 2.6.1, as its installation guide describes one
(docs/install.rst, docs/configuration.rst), set up for the benchmark as ours is: DEBUG off,
PostgreSQL with persistent connections, sessions in the database, Django's own middleware.

Only bench/peer's own venv (var/peer-venv) imports this; see bench/peer/__init__.py.
"""

import os
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent  # the repository

SECRET_KEY = "bench-peer-not-secret"  # noqa: S105 (a throwaway benchmark's)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",  # required: links in its emails
    "django.contrib.humanize",  # required: elapsed times
    "rest_framework",  # its API and the ticket list's data request
    "helpdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "peerdesk.urls"
WSGI_APPLICATION = "peerdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_url = urllib.parse.urlsplit(
    os.environ.get("PEER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helpdesk_peer")
)
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _url.path.lstrip("/"),
        "USER": urllib.parse.unquote(_url.username or ""),
        "PASSWORD": urllib.parse.unquote(_url.password or ""),
        "HOST": _url.hostname or "",
        "PORT": str(_url.port or ""),
        "CONN_MAX_AGE": int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

SITE_ID = 1
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = ROOT / "var" / "peer-static"
MEDIA_URL = "/media/"
MEDIA_ROOT = ROOT / "var" / "peer-media"

LOGIN_URL = "helpdesk:login"
LOGIN_REDIRECT_URL = "helpdesk:home"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Teams need pinax-teams, an extra the guide makes optional ("To disable teams see the
# teams section"): off, as in a plain `pip install django-helpdesk`.
HELPDESK_TEAMS_MODE_ENABLED = False
# Staff see every queue (its default: no per-queue permissions).
HELPDESK_ENABLE_PER_QUEUE_STAFF_PERMISSION = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
