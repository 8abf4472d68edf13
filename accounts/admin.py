from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models

from accounts.emails import EmailAddressField
from accounts.models import Agent, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "phone"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "full_name", "password1", "password2"]})]
    # Addresses normalised and look-alikes refused here too (accounts.emails).
    formfield_overrides = {models.EmailField: {"form_class": EmailAddressField}}

    def get_search_results(self, request, queryset, search_term):
        # A search longer than the longest column searched (email, 254) matches nothing; sent
        # to the database, each of its words is a LIKE pattern, and SQLite refuses one over
        # 50,000 bytes with an error (a 500).
        if len(search_term) > User._meta.get_field("email").max_length:
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


admin.site.register(Agent)
