"""Who is told what by mail as a ticket lives: the end user gets copies of what concerns
them, agents get alerts of what they can see, and nobody hears of their own action."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from helpdesk.mail.models import BannedAddress, EmailTemplate, OutgoingMail
from helpdesk.mail.outbox import send_outgoing_mail
from tests import factories
from tickets import services
from tickets.models import Collaborator, SLAAlert, Ticket
from tickets.status import Status
from tickets.sweep import sweep


def sent(notice: str) -> list[OutgoingMail]:
    return list(OutgoingMail.objects.filter(notice=notice).order_by("pk"))


def recipients(notice: str) -> list[str]:
    return sorted(address for mail in sent(notice) for address in mail.recipients)


@pytest.fixture
def ticket(karen, outage_topic, john, jane):
    """Karen's ticket in Support (John's department; Jane works in Online Banking)."""
    ticket, _ = services.open_ticket(
        email=karen.email,
        full_name=karen.full_name,
        help_topic=outage_topic,
        subject="Card declined",
        body="Declined at every shop.",
    )
    OutgoingMail.objects.all().delete()  # what opening it sent is tested on its own
    return ticket


def test_a_new_ticket_answers_its_requester_with_its_number_and_link(
    settings, karen, outage_topic, john
):
    ticket, _ = services.open_ticket(
        email=karen.email,
        full_name=karen.full_name,
        help_topic=outage_topic,
        subject="Card declined",
        body="Declined at every shop.",
    )

    [mail] = sent("ticket.autoresponse")
    assert mail.to == ["karen@example.com"]
    assert mail.subject.startswith(f"[#{ticket.number}] ")
    assert f"ticket #{ticket.number}" in mail.text_body
    assert f"{settings.HELPDESK_BASE_URL}/tickets/view/" in mail.text_body
    assert mail.text_body.startswith("-- Reply above this line --")
    assert mail.headers["Auto-Submitted"] == "auto-replied"
    assert mail.message_id.startswith(f"ticket-{ticket.number}.entry-")


def test_a_new_ticket_alerts_the_agents_of_its_department_who_see_it(
    karen, outage_topic, john, jane, support, view_only
):
    colleague = factories.AgentFactory(department=support, role=view_only)
    blind = factories.AgentFactory(department=support, role=factories.RoleFactory(view=False))

    services.open_ticket(
        email=karen.email,
        full_name=karen.full_name,
        help_topic=outage_topic,
        subject="Card declined",
        body="Declined at every shop.",
    )

    alerted = recipients("agent.new_ticket")
    assert alerted == sorted([john.user.email, colleague.user.email])
    assert jane.user.email not in alerted  # another department
    assert blind.user.email not in alerted  # cannot see it
    [to_john] = [m for m in sent("agent.new_ticket") if m.to == [john.user.email]]
    assert "Declined at every shop." in to_john.text_body
    assert f"/scp/tickets/{Ticket.objects.get().number}/" in to_john.text_body


def test_an_agent_opening_a_ticket_for_a_user_is_not_alerted_of_it(
    outage_topic, john, support, all_access
):
    colleague = factories.AgentFactory(department=support, role=all_access)

    services.open_ticket(
        email="walkin@example.com",
        full_name="Walk In",
        help_topic=outage_topic,
        subject="Phone call",
        body="Called about a card.",
        source="phone",
        by=john,
    )

    assert recipients("agent.new_ticket") == [colleague.user.email]
    assert recipients("ticket.autoresponse") == ["walkin@example.com"]


def test_the_agents_response_goes_to_the_user_with_collaborators_on_cc_in_one_message(
    ticket, john, ken
):
    Collaborator.objects.create(ticket=ticket, user=ken)

    entry = services.post_reply(ticket, by=john, body="Please try the card again now.")

    [mail] = sent("ticket.response")
    assert (mail.to, mail.cc) == (["karen@example.com"], ["ken@example.com"])
    assert "Please try the card again now." in mail.text_body
    assert mail.subject == f"[#{ticket.number}] Card declined"
    entry.refresh_from_db()
    assert entry.message_id == mail.message_id
    assert f"<ticket-{ticket.number}@" in mail.headers["References"]


def test_an_internal_note_never_reaches_the_user_and_alerts_the_others(ticket, john, support):
    colleague = factories.AgentFactory(department=support)

    services.post_note(ticket, by=john, body="Card issuer outage, waiting on them.")

    assert recipients("agent.internal_note") == [colleague.user.email]
    assert not any("karen@example.com" in m.recipients for m in OutgoingMail.objects.all())


def test_the_users_reply_alerts_the_assignee_else_the_department(ticket, karen, john, support):
    colleague = factories.AgentFactory(department=support)
    services.post_user_reply(ticket, by=karen, body="Still declined.")
    assert recipients("agent.new_message") == sorted([john.user.email, colleague.user.email])

    OutgoingMail.objects.all().delete()
    services.assign_ticket(ticket, agent=colleague, by=john)
    services.post_user_reply(ticket, by=karen, body="Any news?")

    assert recipients("agent.new_message") == [colleague.user.email]
    assert recipients("agent.assigned") == [colleague.user.email]


def test_assigning_to_yourself_tells_nobody(ticket, john):
    services.assign_ticket(ticket, agent=john, by=john)

    assert sent("agent.assigned") == []


def test_a_transfer_alerts_the_new_departments_agents_but_not_the_agent_who_made_it(
    ticket, john, jane, online_banking
):
    services.transfer_ticket(ticket, department=online_banking, by=john)

    [mail] = sent("agent.transferred")
    assert mail.to == [jane.user.email]
    assert "from Support to Online Banking" in mail.text_body


def test_resolving_tells_the_user_unless_the_user_resolved_it(ticket, karen, john):
    services.change_status(ticket, status=Status.RESOLVED, by=john)
    assert recipients("ticket.resolved") == ["karen@example.com"]

    OutgoingMail.objects.all().delete()
    services.post_user_reply(ticket, by=karen, body="Not fixed after all.")
    services.resolve_by_user(ticket, by=karen)
    assert sent("ticket.resolved") == []


def test_overdue_alerts_are_mailed_and_marked_delivered_once_sent(ticket, john):
    Ticket.objects.filter(pk=ticket.pk).update(
        first_response_due_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    sweep()

    [mail] = sent("agent.overdue")
    assert mail.to == [john.user.email]
    assert "is overdue: its first response was due" in mail.text_body
    alert = SLAAlert.objects.get()
    assert alert.delivered_at is None  # queued, not yet taken by the server

    send_outgoing_mail.call(mail.pk)
    alert.refresh_from_db()
    mail.refresh_from_db()
    assert alert.delivered_at == mail.sent_at is not None


def test_a_switched_off_notice_is_not_sent(karen, outage_topic):
    EmailTemplate.objects.filter(key="ticket.autoresponse").update(is_enabled=False)

    services.open_ticket(
        email=karen.email,
        full_name=karen.full_name,
        help_topic=outage_topic,
        subject="Card declined",
        body="Declined at every shop.",
    )

    assert sent("ticket.autoresponse") == []


def test_banned_bouncing_and_inactive_addresses_get_nothing(ticket, john, karen):
    ken = factories.UserFactory(email="ken@spam.example")
    gone = factories.UserFactory(email="gone@example.com", is_active=False)
    for user in (ken, gone):
        Collaborator.objects.create(ticket=ticket, user=user)
    BannedAddress.objects.create(pattern="@spam.example")
    services.post_reply(ticket, by=john, body="First answer.")
    assert recipients("ticket.response") == ["karen@example.com"]

    User.objects.filter(pk=karen.pk).update(email_bounced_at=timezone.now())
    services.post_reply(ticket, by=john, body="Second answer.")
    assert len(sent("ticket.response")) == 1


def test_auto_responses_to_one_address_are_limited_per_hour(settings, karen, outage_topic):
    settings.HELPDESK_AUTORESPONSES_PER_HOUR = 2

    for n in range(4):
        services.open_ticket(
            email=karen.email,
            full_name=karen.full_name,
            help_topic=outage_topic,
            subject=f"Ticket {n}",
            body="Details.",
        )

    assert len(sent("ticket.autoresponse")) == 2
    assert Ticket.objects.count() == 4  # the tickets themselves are all opened
