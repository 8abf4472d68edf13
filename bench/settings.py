"""The helpdesk's settings for the benchmark harness (bench/harness.py): production's, with
one more URL, the bare "ceiling" page of bench/urls.py."""

from helpdesk.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
