"""Fixtures of the fault tests: a fresh helpdesk in other processes, on the run's backend."""

import pytest
from django.db import connection

from tests.faults.installs import Install, PostgresOutage, PrivatePostgres, SQLiteOutage


@pytest.fixture
def fresh_install(tmp_path):
    """A migrated helpdesk with the demo data, on a database of this test's own: a private
    PostgreSQL cluster on the PostgreSQL run, an SQLite file on the SQLite run."""
    if connection.vendor == "postgresql":
        cluster = PrivatePostgres().init()
        try:
            cluster.start()
            cluster.create_database("helpdesk")
            yield Install(tmp_path, cluster.url("helpdesk")).prepare()
        finally:
            cluster.remove()
    else:
        yield Install(tmp_path, f"sqlite:///{tmp_path / 'helpdesk.sqlite3'}").prepare()


@pytest.fixture
def outage(tmp_path):
    """A fresh helpdesk whose database the test can take away and bring back
    (`take_away()`, `bring_back()`): a private PostgreSQL cluster stopped and started, or
    the SQLite file moved away with a folder in its place."""
    kind = PostgresOutage if connection.vendor == "postgresql" else SQLiteOutage
    fault = kind(tmp_path)
    yield fault
    fault.close()
