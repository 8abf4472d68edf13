"""Signing agents in and out of the staff panel, and password reset by email."""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from accounts.forms import StaffLoginForm


class StaffLoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = False
    next_page = reverse_lazy("staff:home")


class StaffLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("staff:login")


class StaffPasswordResetView(auth_views.PasswordResetView):
    template_name = "staff/password_reset.html"
    email_template_name = "emails/password_reset.txt"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("staff:password-reset-sent")
    extra_email_context = {"confirm_url_name": "staff:password-reset-confirm"}


class StaffPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "staff/password_reset_confirm.html"
    success_url = reverse_lazy("staff:password-reset-done")


class StaffPasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "staff/password_reset_sent.html"


class StaffPasswordResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "staff/password_reset_done.html"
