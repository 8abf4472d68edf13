"""The load test, small (about a minute, tests/load/run.py says what it does): end users,
agents and mail at once against gunicorn and two workers; nothing lost, nothing doubled, no
5xx. `make load` runs it larger."""

import os

from tests.load.run import Plan, run

PLAN = Plan(
    seconds=int(os.environ.get("LOAD_TEST_SECONDS", "40")),
    users=4,
    agents=2,
    webs=2,
    web_workers=1,
    workers=2,
    mail_every=3.0,
)


def test_under_load_every_ticket_message_and_notification_is_kept_once_and_nothing_fails(
    tmp_path,
):
    outcome = run(PLAN, tmp_path)

    print(outcome.totals)
    assert outcome.problems == [], outcome.totals
    assert "overdue: 0 tickets" not in outcome.totals  # some tickets did fall due
