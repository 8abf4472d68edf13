from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # Django's own admin, for superusers only; deliberately not at the well-known /admin/.
    path("django-admin/", admin.site.urls),
    path("", include("tickets.urls_portal")),
]
