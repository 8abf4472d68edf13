from django.contrib import admin

from sla.models import SLAPlan

admin.site.register(SLAPlan)
