from django.urls import include, path

from accounts.views import auth
from tickets.views import portal

app_name = "portal"

urlpatterns = [
    path("", portal.home, name="home"),
    path("login/", auth.PortalLoginView.as_view(), name="login"),
    path("logout/", auth.PortalLogoutView.as_view(), name="logout"),
    path("account/", include(auth.reset_urls("portal"))),
    path("tickets/", portal.my_tickets, name="my-tickets"),
    path("tickets/new/", portal.open_ticket, name="open-ticket"),
    path("tickets/new/done/", portal.ticket_created, name="ticket-created"),
    path("tickets/status/", portal.check_status, name="check-status"),
    path("tickets/view/<str:token>/", portal.ticket_detail, name="ticket"),
    path("tickets/view/<str:token>/reply/", portal.post_reply, name="post-reply"),
    path("tickets/view/<str:token>/resolve/", portal.resolve, name="resolve"),
    path("tickets/view/<str:token>/rate/", portal.rate_ticket, name="rate-ticket"),
    path("tickets/view/<str:token>/fresh-link/", portal.fresh_link, name="fresh-link"),
    path("survey/<str:token>/", portal.rate, name="survey"),
    path("survey/<str:token>/thanks/", portal.survey_thanks, name="survey-thanks"),
    path(
        "tickets/view/<str:token>/attachments/<int:pk>/",
        portal.download_attachment,
        name="attachment",
    ),
]
