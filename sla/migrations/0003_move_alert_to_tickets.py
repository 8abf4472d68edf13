# The SLA alert is about a ticket, so it moved to the tickets app (tickets.SLAAlert): the sla
# app never reads or writes a ticket. Only the migration state changes here; the table is
# taken over, with its rows, by tickets 0006.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("sla", "0002_schedules_holidays_alerts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Alert")],
            database_operations=[],
        ),
    ]
