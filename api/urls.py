"""The API's addresses, under /api/ (helpdesk.urls)."""

from django.urls import path

from api import rest

app_name = "api"

urlpatterns = [
    # The REST API, its OpenAPI schema and docs; every other address under v1/ a problem.
    path("v1/", rest.urls),
]
