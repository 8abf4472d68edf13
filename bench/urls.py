"""The helpdesk's URLs and the harness's ceiling: the smallest response the same gunicorn,
middleware and database connection can give, to compare the real pages with."""

from django.http import HttpResponse
from django.urls import path

from helpdesk.urls import handler403, handler404, handler500, urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def ceiling(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [*urlpatterns, path("bench/ceiling/", ceiling, name="bench-ceiling")]
