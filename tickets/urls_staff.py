from django.urls import path

from accounts.views import auth
from tickets.views import staff

app_name = "staff"

urlpatterns = [
    path("", staff.home, name="home"),
    path("login/", auth.StaffLoginView.as_view(), name="login"),
    path("logout/", auth.StaffLogoutView.as_view(), name="logout"),
    *auth.reset_urls("staff"),
    path("tickets/<str:number>/", staff.ticket_detail, name="ticket"),
]
