"""The api app's admin-panel sections (found by helpdesk.apps at start-up)."""

from api import webhooks_admin  # noqa: F401
