from django.contrib import admin
from django.urls import include, path

from helpdesk import health

urlpatterns = [
    # Liveness and readiness for load balancers: no login, no session, JSON.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Django's own admin, for superusers only; deliberately not at the well-known /admin/.
    path("django-admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("scp/admin/", include("helpdesk.admin_panel.urls")),
    path("scp/", include("tickets.urls_staff")),
    path("", include("tickets.urls_portal")),
]

# Refused, missing and failed requests get a page in their area's layout with a way home.
handler403 = "accounts.views.errors.permission_denied"
handler404 = "accounts.views.errors.page_not_found"
handler500 = "accounts.views.errors.server_error"
