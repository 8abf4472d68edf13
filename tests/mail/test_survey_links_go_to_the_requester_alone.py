"""The resolved notice's "How did we do?" links rate as the requester, so only the requester
gets them: where the notice carries them, the collaborators get their own copy without them.
Where the survey does not apply, the notice is one message with the collaborators on Cc."""

import pytest

from helpdesk import memo
from helpdesk.mail.models import BannedAddress, EmailTemplate, OutgoingMail
from tests import factories
from tickets import services
from tickets.models import Collaborator


@pytest.fixture
def ticket(karen, support, inquiry_topic, ken):
    """Karen's open ticket in Support, which Ken follows."""
    ticket = factories.TicketFactory(requester=karen, department=support, help_topic=inquiry_topic)
    Collaborator.objects.create(ticket=ticket, user=ken)
    return ticket


def resolved_notices() -> list[OutgoingMail]:
    return list(OutgoingMail.objects.filter(notice="ticket.resolved").order_by("pk"))


def test_the_requester_gets_the_links_and_the_collaborator_a_copy_without(ticket, john):
    services.change_status(ticket, status="resolved", by=john)

    to_karen, to_ken = resolved_notices()
    assert (to_karen.to, to_karen.cc) == (["karen@example.com"], [])
    assert "How did we do?" in to_karen.text_body
    assert to_karen.text_body.count("/survey/") == 2  # Good and Bad
    assert to_karen.html_body.count("/survey/") == 2
    assert (to_ken.to, to_ken.cc) == (["ken@example.com"], [])
    assert "How did we do?" not in to_ken.text_body
    assert "/survey/" not in to_ken.text_body + to_ken.html_body


def test_the_collaborators_copy_is_the_same_notice_otherwise(ticket, john):
    services.change_status(ticket, status="resolved", by=john)

    to_karen, to_ken = resolved_notices()
    assert to_ken.subject == to_karen.subject
    assert to_ken.subject.startswith(f"[#{ticket.number}] ")
    assert to_ken.headers == to_karen.headers
    assert to_ken.headers["Auto-Submitted"] == "auto-generated"
    assert f"<ticket-{ticket.number}@" in to_ken.headers["References"]
    assert to_ken.message_id != to_karen.message_id
    assert to_ken.message_id.startswith(f"ticket-{ticket.number}.")
    assert to_ken.text_body.startswith("-- Reply above this line --")
    assert "resolved" in to_ken.text_body


def test_without_collaborators_the_requester_gets_one_message_with_the_links(
    karen, support, inquiry_topic, john
):
    ticket = factories.TicketFactory(requester=karen, department=support, help_topic=inquiry_topic)

    services.change_status(ticket, status="resolved", by=john)

    [mail] = resolved_notices()
    assert (mail.to, mail.cc) == (["karen@example.com"], [])
    assert mail.text_body.count("/survey/") == 2


def test_without_the_survey_the_collaborators_stay_on_cc_of_one_message(
    ticket, john, inquiry_topic
):
    inquiry_topic.survey_enabled = False
    inquiry_topic.save()

    services.change_status(ticket, status="resolved", by=john)

    [mail] = resolved_notices()
    assert (mail.to, mail.cc) == (["karen@example.com"], ["ken@example.com"])
    assert "/survey/" not in mail.text_body + mail.html_body


def test_the_agent_who_resolves_is_not_sent_the_collaborators_copy(ticket, john):
    Collaborator.objects.create(ticket=ticket, user=john.user)

    services.change_status(ticket, status="resolved", by=john)

    to_karen, to_ken = resolved_notices()
    assert to_karen.to == ["karen@example.com"]
    assert (to_ken.to, to_ken.cc) == (["ken@example.com"], [])


def test_a_switched_off_notice_goes_to_nobody(ticket, john):
    EmailTemplate.objects.filter(key="ticket.resolved").update(is_enabled=False)
    memo.forget()

    services.change_status(ticket, status="resolved", by=john)

    assert resolved_notices() == []


def test_the_requester_resolving_it_themselves_tells_nobody(ticket, karen):
    services.resolve_by_user(ticket, by=karen)

    assert resolved_notices() == []


def test_when_the_requester_is_banned_the_collaborators_get_nothing_either(ticket, john):
    """As when it was one message to the requester with the collaborators on Cc."""
    BannedAddress.objects.create(pattern="karen@example.com")
    memo.forget()

    services.change_status(ticket, status="resolved", by=john)

    assert resolved_notices() == []
