"""The admin panel's SLA sections: plans, and the schedules their hours count in.

A plan's page has "Preview changes": it validates what was typed and shows it again without
saving, with whatever blocks other apps add to say what the change would do (the tickets
app's count of open tickets whose due times would move).
"""

from django.views.decorators.http import require_http_methods

from helpdesk.admin_panel import Column, Section, site
from helpdesk.admin_panel.views import form_context, form_page, posted, render_form
from sla import admin_forms, services
from sla.models import Schedule, SLAPlan


def _schedule_summary(schedule: Schedule) -> str:
    try:
        return schedule.to_clock().describe()
    except ValueError as refusal:
        # Rows written around the admin panel may not make a schedule; say so, do not fail.
        return f"Not a valid schedule: {refusal}"


@require_http_methods(["GET", "POST"])
def sla_plan_edit(request, pk):
    """The plan's form; "Preview changes" shows what saving would do, and saves nothing."""
    section = site.section("sla-plan")
    form = section.form_class(posted(request), instance=section.find(pk))
    if "preview" not in request.POST:
        return form_page(request, section, form)
    context = form_context(request, section, form)
    form.is_valid()  # errors show beside the fields; the blocks read the cleaned values
    return render_form(request, section, form, context)


site.register(
    Section(
        key="sla-plan",
        prefix="sla-plans",
        order=40,
        title="SLA Plans",
        noun="SLA Plan",
        form_class=admin_forms.SLAPlanForm,
        rows=lambda: SLAPlan.objects.select_related("schedule").order_by("name"),
        columns=(
            Column("Schedule", lambda p: p.schedule),
            Column("First Response (working hours)", lambda p: p.first_response_hours.normalize()),
            Column("Resolution (working hours)", lambda p: p.resolution_hours.normalize()),
            Column("Warn at", lambda p: f"{p.warning_percent} %" if p.warning_percent else "—"),
        ),
        save=lambda form: services.save_sla_plan(form.save(commit=False)),
        set_active=services.set_plan_active,
        template="admin_panel/sla_plan_form.html",
        edit_view=sla_plan_edit,
    )
)
site.register(
    Section(
        key="schedule",
        prefix="schedules",
        order=50,
        title="Schedules",
        noun="Schedule",
        form_class=admin_forms.ScheduleForm,
        rows=lambda: Schedule.objects.prefetch_related("hours", "holidays").order_by("name"),
        columns=(
            Column("Time Zone", lambda s: s.timezone),
            Column("Working Hours", _schedule_summary),
            Column("Holidays", lambda s: len(s.holidays.all())),
        ),
        objects=lambda: Schedule.objects.all(),
        save=lambda form: services.save_schedule(
            form.save(commit=False), hours=form.working_hours(), holidays=form.holiday_rows()
        ),
        set_active=services.set_schedule_active,
        template="admin_panel/schedule_form.html",
    )
)
