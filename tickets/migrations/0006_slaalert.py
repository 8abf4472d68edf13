# The SLA alert moved here from the sla app (see sla 0003): the state takes over the table
# sla_alert as it is, rows and all, then renames it to this app's name.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_requester_search_indexes"),
        ("sla", "0003_move_alert_to_tickets"),
        ("tickets", "0005_pending_upload_budgets"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SLAAlert",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("warning", "SLA warning"), ("overdue", "Overdue")],
                                max_length=16,
                            ),
                        ),
                        ("target", models.CharField(max_length=16)),
                        ("due_at", models.DateTimeField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("delivered_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="sla_alerts",
                                to="accounts.agent",
                            ),
                        ),
                        (
                            "ticket",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="alerts",
                                to="tickets.ticket",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "SLA alert",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(
                                fields=["delivered_at", "created_at"], name="alert_undelivered"
                            )
                        ],
                        "db_table": "sla_alert",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="slaalert", table=None),
    ]
