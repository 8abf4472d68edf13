"""The weekly summary: on Monday at 07:00 in their time zone, each department's manager gets
last week's figures of the department's tickets they can see, by mail, once. Over the known
fortnight of tests.reports.conftest, read for its second week, Mon 24 to Sun 30 Dec 2018."""

import pytest
from django.urls import reverse

from helpdesk.mail.models import EmailTemplate, OutgoingMail
from tests import factories
from tests.reports.conftest import at
from tickets import services, tasks, weekly
from tickets.models import WeeklySummary

pytestmark = pytest.mark.django_db

SUPPORT_TEXT = """\
Dear John Miller,

Here is how Support did from Mon 24 Dec 2018 to Sun 30 Dec 2018 (Europe/Berlin), counting \
the tickets you can see.

In the week
  Tickets created: 1
  Resolved or closed: 3
  Reopened: 1
  Became overdue: 3
  First responses on time: 100 % (2 of 2)
  Resolutions on time: 0 % (0 of 2)
  Median time to first response: 1 h 15 min
  Median time to resolution: 61 h
  Satisfaction: 100 % good of 1 rating
(Times are working hours of each ticket's SLA schedule.)

Now
  Open: 3
  Overdue: 1
  Unassigned: 1

The dashboard for this week:
https://helpdesk.example.com/scp/dashboard/?period=range&start=2018-12-24&end=2018-12-30\
&department={pk}

Helpdesk"""


@pytest.fixture
def story(helpdesk_story, settings):
    """The fortnight, with John managing Support and Jane Online Banking, both in Berlin."""
    settings.HELPDESK_BASE_URL = "https://helpdesk.example.com"
    settings.HELPDESK_NAME = "Helpdesk"
    s = helpdesk_story
    s.support.manager = s.john
    s.support.save()
    s.online_banking.manager = s.jane
    s.online_banking.save()
    for agent in (s.john, s.jane):
        agent.timezone = "Europe/Berlin"
        agent.save()
    # E is opened Mon 31 at 09:00, after the summaries go at 07:00: then it does not exist.
    s.e.delete()
    return s


def run_at(clock, *when) -> int:
    clock.set(at(*when))
    return weekly.send_weekly_summaries()


def summaries() -> dict[str, OutgoingMail]:
    """The weekly summaries in the outbox, by recipient."""
    mails = OutgoingMail.objects.filter(notice="agent.weekly_summary").order_by("pk")
    assert all(len(mail.to) == 1 for mail in mails)
    return {mail.to[0]: mail for mail in mails}


def test_nothing_goes_before_monday_seven_in_the_morning(story, clock):
    assert run_at(clock, 2018, 12, 31, 6, 59) == 0
    assert summaries() == {}
    assert not WeeklySummary.objects.exists()


def test_at_seven_each_manager_gets_the_weeks_figures_of_their_department(story, clock):
    assert run_at(clock, 2018, 12, 31, 7, 0) == 2

    mails = summaries()
    assert set(mails) == {"john@example.com", "jane@example.com"}
    support = mails["john@example.com"]
    assert support.subject == "Weekly summary for Support: Mon 24 Dec 2018 to Sun 30 Dec 2018"
    # Created D; resolved B and G, closed D, which reopened; B, C and G became overdue. First
    # responses B (1.5 h) and C (1 h) on time; resolutions B (11.5 h) and G (110 h) late.
    # Open now C, D and H (opened Mon 31 00:30); C overdue, H unassigned.
    assert support.text_body == SUPPORT_TEXT.format(pk=story.support.pk)
    assert support.status == OutgoingMail.Status.QUEUED


def test_a_quiet_week_says_so_instead_of_showing_zero_percent(story, clock):
    run_at(clock, 2018, 12, 31, 7, 0)

    # Online Banking's only ticket, F, was opened, answered, resolved and rated on Wed 19.
    text = summaries()["jane@example.com"].text_body
    assert "Here is how Online Banking did from Mon 24 Dec 2018 to Sun 30 Dec 2018" in text
    for line in [
        "  Tickets created: 0\n",
        "  Resolved or closed: 0\n",
        "  First responses on time: no first responses in the week\n",
        "  Resolutions on time: no resolutions in the week\n",
        "  Median time to first response: not measured\n",
        "  Median time to resolution: not measured\n",
        "  Satisfaction: no ratings\n",
        "  Open: 0\n",
    ]:
        assert line in text


def test_the_dashboard_link_carries_the_week_and_the_department(story, clock):
    run_at(clock, 2018, 12, 31, 7, 0)

    text = summaries()["jane@example.com"].text_body
    assert (
        "https://helpdesk.example.com/scp/dashboard/?period=range&start=2018-12-24"
        f"&end=2018-12-30&department={story.online_banking.pk}\n"
    ) in text


def test_a_second_run_the_same_hour_sends_nothing_more(story, clock):
    run_at(clock, 2018, 12, 31, 7, 0)

    assert run_at(clock, 2018, 12, 31, 7, 40) == 0
    assert run_at(clock, 2019, 1, 3, 15, 0) == 0  # nor later in the week
    assert len(OutgoingMail.objects.filter(notice="agent.weekly_summary")) == 2
    assert sorted(WeeklySummary.objects.values_list("department__name", "week_start")) == [
        ("Online Banking", at(2018, 12, 24).date()),
        ("Support", at(2018, 12, 24).date()),
    ]


def test_the_following_monday_brings_the_following_week(story, clock):
    run_at(clock, 2018, 12, 31, 7, 0)

    assert run_at(clock, 2019, 1, 7, 7, 0) == 2
    subjects = sorted(
        mail.subject for mail in OutgoingMail.objects.filter(tag__contains="2018-12-31")
    )
    assert subjects == [
        "Weekly summary for Online Banking: Mon 31 Dec 2018 to Sun 6 Jan 2019",
        "Weekly summary for Support: Mon 31 Dec 2018 to Sun 6 Jan 2019",
    ]


def test_a_department_with_the_summary_switched_off_gets_none(story, clock):
    story.support.weekly_summary = False
    story.support.save()

    run_at(clock, 2018, 12, 31, 7, 0)

    assert set(summaries()) == {"jane@example.com"}


def test_an_inactive_manager_or_none_gets_nothing(story, clock):
    story.john.user.is_active = False
    story.john.user.save()
    story.online_banking.manager = None
    story.online_banking.save()

    assert run_at(clock, 2018, 12, 31, 7, 0) == 0
    assert summaries() == {}


def test_switched_off_in_email_templates_nothing_goes_and_last_week_waits(story, clock, as_admin):
    template = EmailTemplate.objects.get(key="agent.weekly_summary")
    as_admin.post(reverse("admin-panel:email-template-deactivate", args=[template.pk]))
    template.refresh_from_db()
    assert template.is_enabled is False

    assert run_at(clock, 2018, 12, 31, 7, 0) == 0
    assert summaries() == {}
    assert not WeeklySummary.objects.exists()

    # Switched on again later in the week: last week's summaries go then.
    as_admin.post(reverse("admin-panel:email-template-reactivate", args=[template.pk]))
    assert run_at(clock, 2019, 1, 2, 9, 0) == 2


def test_a_manager_elsewhere_gets_it_at_seven_their_time_in_their_days(story, clock):
    story.john.timezone = "America/New_York"
    story.john.save()

    run_at(clock, 2018, 12, 31, 7, 0)  # 01:00 in New York
    assert set(summaries()) == {"jane@example.com"}
    assert run_at(clock, 2018, 12, 31, 12, 59) == 0  # 06:59 in New York
    assert run_at(clock, 2018, 12, 31, 13, 0) == 1

    text = summaries()["john@example.com"].text_body
    assert "from Mon 24 Dec 2018 to Sun 30 Dec 2018 (America/New_York)" in text
    # H, opened Mon 31 00:30 in Berlin, was opened on Sunday evening in New York.
    assert "  Tickets created: 2\n" in text
    assert "start=2018-12-24&end=2018-12-30" in text


def test_a_manager_with_limited_access_counts_only_the_tickets_they_see(story, clock):
    lena = factories.AgentFactory(
        user__email="lena@example.com",
        user__full_name="Lena Fischer",
        department=story.support,
        role=story.john.role,
        is_limited_access=True,
        timezone="Europe/Berlin",
    )
    services.assign_ticket(story.c, agent=lena, by=story.john)
    story.support.manager = lena
    story.support.save()

    run_at(clock, 2018, 12, 31, 7, 0)

    # Of Support's tickets she sees C alone: answered Tue 25 in 1 h, overdue since Wed 26.
    text = summaries()["lena@example.com"].text_body
    for line in [
        "  Tickets created: 0\n",
        "  Resolved or closed: 0\n",
        "  Became overdue: 1\n",
        "  First responses on time: 100 % (1 of 1)\n",
        "  Resolutions on time: no resolutions in the week\n",
        "  Median time to first response: 1 h\n",
        "  Satisfaction: no ratings\n",
        "  Open: 1\n",
        "  Overdue: 1\n",
        "  Unassigned: 0\n",
    ]:
        assert line in text


def test_the_worker_runs_it_as_a_periodic_job(story, clock, settings):
    settings.HELPDESK_WEEKLY_SUMMARY_SECONDS = 3600
    clock.set(at(2018, 12, 31, 7, 0))

    assert tasks.send_weekly_summaries.call() == 2


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [(2, 3, "67 %"), (1, 3, "33 %"), (1, 8, "13 %"), (0, 2, "0 %"), (2, 2, "100 %")],
)
def test_percentages_are_whole_numbers_halves_rounded_up(part, whole, text):
    assert weekly.percent(part, whole) == text
