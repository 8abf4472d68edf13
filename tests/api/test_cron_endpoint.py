"""POST /api/tasks/cron: the SLA sweep and the mail fetch, once, for a key allowed to run
cron, answered with a short summary."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.api.conftest import post, text_of
from tickets.models import Mailbox


@pytest.fixture
def overdue_ticket(karens_ticket):
    karens_ticket.resolution_due_at = timezone.now() - timedelta(minutes=5)
    karens_ticket.save()
    return karens_ticket


@pytest.mark.parametrize("url", ["/api/tasks/cron", "/api/http.php/tasks/cron"])
def test_cron_sweeps_the_slas_and_says_what_it_did(client, cron_key, overdue_ticket, url):
    response = post(client, url, "", cron_key)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "SLA sweep: 1 marked overdue" in text_of(response)
    assert "Mail: no active mailboxes." in text_of(response)
    overdue_ticket.refresh_from_db()
    assert overdue_ticket.is_overdue


def test_cron_fetches_each_active_mailbox_and_reports_a_failure(client, cron_key, support):
    Mailbox.objects.create(
        name="Support",
        address="support@helpdesk.example",
        host="127.0.0.1",
        port=9,  # discard: nothing answers, so fetching fails at once
        security=Mailbox.Security.NONE,
        username="support",
        password="secret",
        help_topic=factories.HelpTopicFactory(department=support),
    )

    response = post(client, "/api/tasks/cron", "", cron_key)

    assert response.status_code == 200
    assert "Mail from Support: failed: ConnectionRefusedError" in text_of(response)


def test_cron_is_post_only(client, cron_key):
    response = client.get("/api/tasks/cron", headers={"X-API-Key": cron_key})

    assert response.status_code == 405


def test_a_key_that_may_only_create_tickets_may_not_run_cron(client, ticket_key):
    response = post(client, "/api/tasks/cron", "", ticket_key)

    assert (response.status_code, text_of(response)) == (401, "This API key may not run cron.")
