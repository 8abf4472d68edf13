from django.urls import path

from accounts.views import admin_panel

app_name = "admin-panel"

urlpatterns = [
    path("", admin_panel.home, name="home"),
]
