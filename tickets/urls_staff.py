from django.urls import path

from accounts.views import staff_auth
from tickets.views import staff

app_name = "staff"

urlpatterns = [
    path("", staff.home, name="home"),
    path("login/", staff_auth.StaffLoginView.as_view(), name="login"),
    path("logout/", staff_auth.StaffLogoutView.as_view(), name="logout"),
    path("password-reset/", staff_auth.StaffPasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        staff_auth.StaffPasswordResetSentView.as_view(),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        staff_auth.StaffPasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        staff_auth.StaffPasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path("tickets/<str:number>/", staff.ticket_detail, name="ticket"),
]
