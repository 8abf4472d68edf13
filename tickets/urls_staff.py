from django.urls import path, register_converter

from accounts.views import auth, profile, twofactor
from tickets.converters import TicketNumberConverter
from tickets.views import staff, staff_dashboard, staff_queues

register_converter(TicketNumberConverter, "ticket_number")

app_name = "staff"

urlpatterns = [
    path("", staff_queues.home, name="home"),
    path("queues/bulk/", staff_queues.bulk, name="bulk"),
    # Before queues/<slug:queue>/, which would otherwise take "saved" for a queue.
    path("queues/saved/new/", staff_queues.save_search, name="saved-queue-new"),
    path("queues/saved/<int:pk>/", staff_queues.saved_queue, name="saved-queue"),
    path("queues/saved/<int:pk>/rename/", staff_queues.rename_search, name="saved-queue-rename"),
    path("queues/saved/<int:pk>/delete/", staff_queues.delete_search, name="saved-queue-delete"),
    path("queues/<slug:queue>/", staff_queues.queue, name="queue"),
    path("dashboard/", staff_dashboard.staff_dashboard, name="dashboard"),
    path("dashboard/csv/<slug:table>/", staff_dashboard.staff_dashboard_csv, name="dashboard-csv"),
    path("login/", auth.StaffLoginView.as_view(), name="login"),
    path("logout/", auth.StaffLogoutView.as_view(), name="logout"),
    # Two-factor sign-in: the code step after the password, and the agent's own settings.
    path("login/code/", twofactor.verify, name="two-factor-verify"),
    path("profile/two-factor/", twofactor.manage, name="two-factor"),
    path("profile/two-factor/off/", twofactor.turn_off, name="two-factor-off"),
    *auth.reset_urls("staff"),
    path("profile/", profile.profile, name="profile"),
    path("profile/password/", profile.change_password, name="password-change"),
    # Before tickets/<number>/, which would otherwise take "new" for a number.
    path("tickets/new/", staff.new_ticket, name="ticket-new"),
    path("tickets/<ticket_number:number>/", staff.ticket_detail, name="ticket"),
    path("tickets/<ticket_number:number>/presence/", staff.presence, name="ticket-presence"),
    path(
        "tickets/<ticket_number:number>/revoke-links/",
        staff.revoke_links,
        name="ticket-revoke-links",
    ),
    path(
        "tickets/<ticket_number:number>/attachments/<int:pk>/",
        staff.download_attachment,
        name="ticket-attachment",
    ),
    path(
        "tickets/<ticket_number:number>/attachments/<int:pk>/preview/",
        staff.attachment_preview,
        name="ticket-attachment-preview",
    ),
    *[
        path(
            f"tickets/<ticket_number:number>/{action}/",
            staff.ticket_action,
            {"action": action},
            name=f"ticket-{action}",
        )
        for action in staff.ACTIONS
    ],
]
