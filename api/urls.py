"""The API's addresses, under /api/ (helpdesk.urls)."""

from django.urls import path

from api import osticket, rest

app_name = "api"

urlpatterns = [
    # The REST API, its OpenAPI schema and docs; every other address under v1/ a problem.
    path("v1/", rest.urls),
    # osTicket's addresses, with and without the http.php many installs are addressed by.
    *[
        url
        for prefix, suffix in [("", ""), ("http.php/", "-http-php")]
        for url in [
            path(
                f"{prefix}tickets.<str:format>",
                osticket.create_ticket,
                name=f"osticket-tickets{suffix}",
            ),
            path(f"{prefix}tasks/cron", osticket.run_cron, name=f"osticket-cron{suffix}"),
        ]
    ],
]
