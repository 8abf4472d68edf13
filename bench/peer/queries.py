"""The SQL queries of one request to each of django-helpdesk's pages given, signed in as the
data set's staff user (Django's test client in this process, the same database); run with
var/peer-venv/bin/python by bench/peer/__init__.py. Prints `QUERIES {path: [first, second]}`:
a first request, then a second as a worker that has served before would run it."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerdesk.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from generate import STAFF_USERNAME  # noqa: E402


def main() -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=STAFF_USERNAME))
    counts = {}
    for path in sys.argv[1:]:
        found = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            found.append(len(captured.captured_queries))
        counts[path] = found if response.status_code == 200 else None
    print("QUERIES " + json.dumps(counts))


if __name__ == "__main__":
    main()
