"""The API's addresses, under /api/ (helpdesk.urls)."""

app_name = "api"

urlpatterns = []
