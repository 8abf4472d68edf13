"""django-helpdesk at the site's root, as its guide shows, and the benchmark's ceiling: a
bare HttpResponse behind the same middleware (our bench.urls has the same page)."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path


def ceiling(request):
    return HttpResponse("ok")


urlpatterns = [
    path("bench/ceiling/", ceiling),
    path("admin/", admin.site.urls),
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
