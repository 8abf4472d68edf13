"""Figures a page cannot work out quickly are left to the background worker: the page answers
at once ("Working out these figures", looking again by itself), one task per scope however
many people look, and the worker's figures are what the next view shows. Older figures are
shown while newer ones are worked out. (`DASHBOARD_WAIT_MS` 0 stands for a data set where
no page could work them out in time; tests.reports.conftest's fortnight.)"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from tests.reports.conftest import at
from tests.worker import work_the_queue
from tickets import services
from tickets.models import KeptFigures

# The real worker (its batch mode) works the queue in transactions of its own.
pytestmark = pytest.mark.django_db(transaction=True)

FORTNIGHT = {"period": "range", "start": "2018-12-17", "end": "2018-12-30"}
PENDING = "Working out these figures."


@pytest.fixture(autouse=True)
def _kept_and_never_waited_for(settings):
    settings.HELPDESK_DASHBOARD_SECONDS = 60
    settings.HELPDESK_DASHBOARD_WAIT_MS = 0


def view(client, path="/scp/dashboard/", **query):
    return client.get(path, {**FORTNIGHT, **query})


def tasks_asked() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="work_out_figures").count()


def created(response) -> int:
    return response.context["report"].totals.created


def test_the_page_answers_at_once_and_the_worker_brings_the_figures(client, helpdesk_story):
    client.force_login(helpdesk_story.john.user)

    first = view(client)
    second = view(client)  # someone else looking meanwhile: no second task

    for response in (first, second):
        assert response.status_code == 200
        assert response.context.get("report") is None
        text = response.content.decode()
        assert text.count(PENDING) == 1
        assert '<meta http-equiv="refresh" content="3">' in text
        assert response["Retry-After"] == "3"
        assert 'value="2018-12-17"' in text  # the form as asked
    assert tasks_asked() == 1

    work_the_queue()
    with CaptureQueriesContext(connection) as captured:
        ready = view(client)

    assert ready.status_code == 200
    assert PENDING not in ready.content.decode()
    assert "http-equiv" not in ready.content.decode()
    assert created(ready) == 4  # as worked out directly (test_dashboard_figures_are_kept)
    assert len(captured) <= 12
    assert KeptFigures.objects.get().took is not None


def test_a_csv_asked_for_meanwhile_answers_503_with_retry_after(client, helpdesk_story):
    client.force_login(helpdesk_story.john.user)

    pending = client.get("/scp/dashboard/csv/agents/", FORTNIGHT)
    work_the_queue()
    ready = client.get("/scp/dashboard/csv/agents/", FORTNIGHT)

    assert pending.status_code == 503
    assert pending["Retry-After"] == "3"
    assert PENDING in pending.content.decode()
    assert ready.status_code == 200
    assert ready["Content-Type"].startswith("text/csv")
    assert "John Miller" in b"".join(ready.streaming_content).decode("utf-8-sig")


def test_older_figures_are_shown_while_newer_ones_are_worked_out(
    client, helpdesk_story, clock, settings
):
    client.force_login(helpdesk_story.john.user)
    settings.HELPDESK_DASHBOARD_WAIT_MS = 5000  # the first view works them out itself
    before = view(client)
    settings.HELPDESK_DASHBOARD_WAIT_MS = 0
    clock.set(at(2018, 12, 20, 9, 0))
    services.open_ticket(
        email="new@example.com",
        full_name="New Person",
        help_topic=helpdesk_story.topic,
        subject="One more",
        body="Help.",
    )
    clock.set(at(2018, 12, 31, 10, 5))  # five minutes on: the kept figures are old

    older = view(client)
    again = view(client)
    work_the_queue()
    newer = view(client)

    assert created(before) == 4
    for response in (older, again):
        assert created(response) == 4
        assert "figures as of 10:00, newer ones being worked out" in response.content.decode()
        assert "http-equiv" not in response.content.decode()
    assert tasks_asked() == 1
    assert created(newer) == 5
    assert "figures as of 10:05 " in newer.content.decode().replace("\n", " ")


def test_the_admin_panels_dashboard_is_worked_out_the_same_way(client, helpdesk_story, admin_agent):
    client.force_login(admin_agent.user)
    pending = client.get("/scp/admin/dashboard/", FORTNIGHT)
    work_the_queue()
    ready = client.get("/scp/admin/dashboard/", FORTNIGHT)

    assert PENDING in pending.content.decode()
    assert created(ready) == 6  # every ticket (test_dashboard_page)


def test_figures_the_worker_gives_up_on_end_in_the_message(client, helpdesk_story, settings):
    settings.HELPDESK_DASHBOARD_WORKER_SECONDS = 0
    client.force_login(helpdesk_story.john.user)

    view(client)
    work_the_queue()
    page = view(client)

    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("These figures took too long to work out (over 0 seconds)") == 1
    assert PENDING not in text
    assert tasks_asked() == 1  # the verdict stands for a while: not asked again at once


def test_an_agent_who_lost_access_meanwhile_gets_nothing_from_the_worker(client, helpdesk_story):
    john = helpdesk_story.john
    client.force_login(john.user)
    view(client)
    john.user.is_active = False
    john.user.save(update_fields=["is_active"])

    work_the_queue()

    assert KeptFigures.objects.exclude(figures=None).count() == 0


def test_kept_figures_read_back_as_they_were_worked_out(client, helpdesk_story, settings):
    client.force_login(helpdesk_story.john.user)
    settings.HELPDESK_DASHBOARD_SECONDS = 0
    direct = view(client).context["report"]
    settings.HELPDESK_DASHBOARD_SECONDS = 60
    view(client)
    work_the_queue()

    kept = view(client).context["report"]

    assert kept.days == direct.days
    assert kept.backlog == direct.backlog
    for table in ("by_plan", "by_department", "by_agent"):
        assert getattr(kept, table) == getattr(direct, table)
        assert all(
            isinstance(row.first_response_median, (datetime.timedelta, type(None)))
            for row in getattr(kept, table)
        )
    assert kept.satisfaction == direct.satisfaction


def test_figures_nobody_looked_at_for_a_day_are_let_go(client, helpdesk_story, clock, settings):
    client.force_login(helpdesk_story.john.user)
    settings.HELPDESK_DASHBOARD_WAIT_MS = 5000
    view(client, start="2018-12-17", end="2018-12-17")
    clock.set(at(2019, 1, 2, 10, 0))

    view(client)

    # The one-day figures of 17 December, kept the day before, are gone; today's stay.
    assert [row.as_of for row in KeptFigures.objects.all()] == [at(2019, 1, 2, 10, 0)]


def test_an_admin_no_longer_one_gets_no_figures_of_every_ticket(
    client, helpdesk_story, admin_agent
):
    client.force_login(admin_agent.user)
    client.get("/scp/admin/dashboard/", FORTNIGHT)
    admin_agent.is_admin = False
    admin_agent.save(update_fields=["is_admin"])

    work_the_queue()

    assert KeptFigures.objects.exclude(figures=None).count() == 0
