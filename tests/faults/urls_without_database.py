"""The project's URLs, plus pages whose database is away (tests/faults/test_database_away_pages.py,
with @pytest.mark.urls)."""

from django.db import InterfaceError, OperationalError
from django.urls import path

from helpdesk import urls as project


def database_away(request):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: refused')


def connection_closed(request):
    try:
        raise InterfaceError("connection already closed")
    except InterfaceError as error:
        raise RuntimeError("while saving the reply") from error


def bug(request):
    raise ValueError("a bug of ours")


urlpatterns = [
    path("scp/db-away/", database_away),
    path("db-away/", database_away),
    path("closed/", connection_closed),
    path("bug/", bug),
    path("api/db-away/", database_away),
    *project.urlpatterns,
]

handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500
