"""The project's URLs and error handlers, plus pages that fail or refuse, for
tests/test_error_pages.py (used with @pytest.mark.urls)."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from helpdesk import urls as project

SECRET = "password=hunter2 at db.internal:5432"


def fail(request):
    raise RuntimeError(f"could not connect: {SECRET}")


def refuse_with_markup(request):
    raise PermissionDenied("<script>alert(1)</script> is not allowed here.")


def refuse_without_reason(request):
    raise PermissionDenied


urlpatterns = [
    path("scp/fails/", fail),
    path("fails/", fail),
    path("refused/markup/", refuse_with_markup),
    path("refused/", refuse_without_reason),
    *project.urlpatterns,
]

handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500
