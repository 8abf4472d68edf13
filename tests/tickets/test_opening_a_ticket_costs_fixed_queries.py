"""Opening a ticket costs the same number of queries however many tickets, agents, teams and
extended accesses there already are: through the portal's form and by mail."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.mail.messages import message
from tickets.inbound.intake import receive
from tickets.models import InboundMail, Ticket

# The topic with its department and plans (1); the form's submission key, not used before
# (1); the requester, new (1), inserted in a savepoint (3); the ticket and its history in a
# savepoint (4); the opening message and the created event (2); the auto-responses lately (1)
# and the auto-response (1); the department's agents with their access (3) and every alert
# in one insert (1), with one sending task (1); the transaction (2); the session, read, and
# written with the ticket for the confirmation page (4). A schedule with working hours adds
# its hours and holidays (2); the 24/7 plans here have none.
WEB_FORM_QUERIES = 25
# The raw message, stored by itself (1; 3 inside the test's transaction); the transaction
# (2); the sender's bounce mark cleared (1); the topic (1); then as the form from the
# requester to the sending task, in a savepoint, without the submission key (19); the
# message's outcome (1).
MAIL_QUERIES = 27


@pytest.fixture(params=[1, 12], ids=["few", "many"])
def crowd(request, support, online_banking, outage_topic, all_access):
    """Support with n agents (in a team), n agents of Online Banking with extended access to
    it, and n tickets of each department."""
    n = request.param
    team = factories.TeamFactory(name="Level 2")
    for _ in range(n):
        team.members.add(factories.AgentFactory(department=support, role=all_access))
        factories.DepartmentAccessFactory(
            agent=factories.AgentFactory(department=online_banking, role=all_access),
            department=support,
            role=all_access,
        )
        for department in (support, online_banking):
            factories.TicketFactory(department=department, requester=factories.UserFactory())
    return n


def post_the_form(client, topic, n: int):
    data = {
        "submission_key": str(uuid.uuid4()),
        "email": f"person{n}@example.com",
        "full_name": "Pat Doe",
        "help_topic": topic.pk,
        "subject": "Printer jams on every page",
        "body": "Since this morning the printer on the third floor jams on every page.",
    }
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("portal:open-ticket"), data)
    assert response.status_code == 302
    return len(captured.captured_queries)


def test_the_web_form_opens_a_ticket_in_the_same_queries_however_many_are_there(
    client, crowd, outage_topic
):
    post_the_form(client, outage_topic, 0)  # as a worker that has served before

    assert post_the_form(client, outage_topic, 1) == WEB_FORM_QUERIES
    assert Ticket.objects.filter(requester__email="person1@example.com").count() == 1


def mail_in(settings, n: int) -> int:
    ours = settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].strip("> ")
    raw = message(
        "Since this morning the printer on the third floor jams on every page.",
        From=f"Pat Doe <person{n}@example.com>",
        To=ours,
        Message_ID=f"<count-{n}@example.com>",
    )
    with CaptureQueriesContext(connection) as captured:
        record = receive(raw, source=InboundMail.Source.PIPE)
    assert record.status == InboundMail.Status.IMPORTED
    return len(captured.captured_queries)


def test_a_message_opens_a_ticket_in_the_same_queries_however_many_are_there(
    settings, crowd, outage_topic
):
    settings.HELPDESK_EMAIL_HELP_TOPIC = outage_topic.name
    mail_in(settings, 0)

    assert mail_in(settings, 1) == MAIL_QUERIES
    assert Ticket.objects.filter(requester__email="person1@example.com").count() == 1
