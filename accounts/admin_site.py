"""Django's own admin (/django-admin/) behind the same two-factor rule as the staff panel.

Its login page takes a password only; every other admin page is wrapped by `admin_view`,
which here first asks what accounts.decorators asks of a staff page: a user with two-factor
on gives a code in the staff panel's code step, and where HELPDESK_ADMINS_REQUIRE_2FA is on,
a staff user without two-factor sets it up first.
"""

from functools import wraps

from django.contrib import admin

from accounts import twofactor
from accounts.decorators import code_step, enrol_step, is_verified


class HelpdeskAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def gate(request, *args, **kwargs):
            user = request.user
            if user.is_active and user.is_staff:
                if twofactor.has_two_factor(user):
                    if not is_verified(request):
                        return code_step(request)
                elif twofactor.is_required_for_django_admin(user):
                    return enrol_step(request)
            return inner(request, *args, **kwargs)

        return gate
