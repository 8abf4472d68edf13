"""The admin panel at /scp/admin/: configuration pages for administrators only."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import admin_required


@require_GET
@admin_required
def home(request):
    return render(request, "admin_panel/home.html")
