"""Periodic jobs run in the worker, each enqueueing its own next run, error or not."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from helpdesk import periodic
from tests import factories
from tickets.models import Ticket
from tickets.status import Status

pytestmark = pytest.mark.django_db(transaction=True)


def _work_the_queue():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def _waiting(path):
    return list(DBTaskResult.objects.filter(task_path=path, status="READY"))


def test_scheduling_starts_each_job_once_however_often_it_runs(capsys):
    call_command("schedule_periodic_tasks")
    call_command("schedule_periodic_tasks")

    output = capsys.readouterr().out
    assert "Started: " in output
    assert "Every periodic job already has a run waiting." in output
    periodic.import_jobs()
    for path in periodic.JOBS:
        assert len(_waiting(path)) == 1, path
    assert "tickets.tasks.close_resolved_tickets" in periodic.JOBS


def test_a_run_closes_old_resolved_tickets_and_enqueues_the_next_run(settings):
    settings.HELPDESK_AUTO_CLOSE_DAYS = 7
    settings.HELPDESK_AUTO_CLOSE_SECONDS = 3600
    old = factories.TicketFactory(
        status=Status.RESOLVED, resolved_at=timezone.now() - timedelta(days=8)
    )
    recent = factories.TicketFactory(
        status=Status.RESOLVED, resolved_at=timezone.now() - timedelta(days=1)
    )
    call_command("schedule_periodic_tasks", verbosity=0)
    before = timezone.now()

    _work_the_queue()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == (Status.CLOSED, Status.RESOLVED)
    done = DBTaskResult.objects.get(
        task_path="tickets.tasks.close_resolved_tickets", status="SUCCESSFUL"
    )
    assert done.return_value == 1
    [following] = _waiting("tickets.tasks.close_resolved_tickets")
    assert before + timedelta(seconds=3600) <= following.run_after
    assert following.run_after <= timezone.now() + timedelta(seconds=3600)


def test_a_failing_run_still_enqueues_the_next(monkeypatch):
    def broken():
        raise RuntimeError("database went away")

    monkeypatch.setattr("tickets.services.close_resolved_tickets", broken)
    call_command("schedule_periodic_tasks", verbosity=0)

    _work_the_queue()

    failed = DBTaskResult.objects.get(
        task_path="tickets.tasks.close_resolved_tickets", status="FAILED"
    )
    assert failed.exception_class_path == "builtins.RuntimeError"
    assert len(_waiting("tickets.tasks.close_resolved_tickets")) == 1


def test_a_chain_is_not_doubled_when_a_run_is_already_waiting():
    call_command("schedule_periodic_tasks", verbosity=0)

    periodic._keep_chains_going()

    for path in periodic.JOBS:
        assert len(_waiting(path)) == 1, path


def test_the_sla_sweep_runs_in_the_worker_every_minute(settings, support, karen):
    settings.HELPDESK_SLA_SWEEP_SECONDS = 60
    ticket = factories.TicketFactory(requester=karen, help_topic__department=support)
    Ticket.objects.filter(pk=ticket.pk).update(
        resolution_due_at=timezone.now() - timedelta(minutes=1)
    )
    call_command("schedule_periodic_tasks", verbosity=0)

    _work_the_queue()

    ticket.refresh_from_db()
    assert ticket.is_overdue
    done = DBTaskResult.objects.get(task_path="tickets.tasks.sla_sweep", status="SUCCESSFUL")
    assert done.return_value == {"overdue": 1, "warned": 0}
    [following] = _waiting("tickets.tasks.sla_sweep")
    assert following.run_after > timezone.now() + timedelta(seconds=50)


def test_the_worker_purges_kept_uploads_nobody_sent_again(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tickets import uploads
    from tickets.models import PendingUpload

    settings.HELPDESK_PENDING_UPLOAD_KEEP_HOURS = 24
    old = uploads.stash(SimpleUploadedFile("old.txt", b"old"))
    fresh = uploads.stash(SimpleUploadedFile("fresh.txt", b"fresh"))
    PendingUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    call_command("schedule_periodic_tasks", verbosity=0)

    _work_the_queue()

    assert list(PendingUpload.objects.all()) == [fresh]
    assert not old.file.storage.exists(old.file.name)
    done = DBTaskResult.objects.get(
        task_path="tickets.tasks.purge_pending_uploads", status="SUCCESSFUL"
    )
    assert done.return_value == 1
    assert len(_waiting("tickets.tasks.purge_pending_uploads")) == 1
