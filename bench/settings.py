"""The helpdesk's settings for the benchmark harness (bench/harness.py): production's, with
one more URL, the bare "ceiling" page of bench/urls.py."""

from helpdesk.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The benchmark sends every ticket and API call from one address, as fast as it can: the
# per-address limits (helpdesk.throttle) would measure themselves, not the helpdesk.
HELPDESK_WEB_TICKETS_PER_ADDRESS = 0
HELPDESK_API_REQUESTS_PER_ADDRESS = 0
