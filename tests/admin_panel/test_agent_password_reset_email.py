"""An administrator emails an agent a link to choose a password: a new agent an invitation to
choose their first one, an agent who has one a password reset."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Agent
from tests import factories
from tests.admin_panel.agent_forms import agent_form
from tests.admin_panel.pages import messages_of
from tests.worker import send_queued_mail

LINK = re.compile(r"http://testserver(/scp/password-reset/\S+)")


def send_reset(client, agent, **extra):
    response = client.post(reverse("admin-panel:agent-send-reset", args=[agent.pk]), **extra)
    send_queued_mail()
    return response


def reset_link() -> str:
    assert len(mail.outbox) == 1
    return LINK.search(mail.outbox[0].body).group(1)


@pytest.fixture
def links_here(settings):
    """Mail that is not answering a request links to the helpdesk's address: this one."""
    settings.HELPDESK_BASE_URL = "http://testserver"


def test_the_agent_gets_one_email_whose_link_opens_the_new_password_form(as_admin, client, john):
    response = send_reset(as_admin, john)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin-panel:agent-edit", args=[john.pk])
    assert messages_of(response) == ["A password reset email was sent to john@example.com."]
    assert mail.outbox[0].to == ["john@example.com"]
    assert mail.outbox[0].subject == "Set a new helpdesk password"
    client.logout()
    page = client.get(reset_link(), follow=True)
    assert page.status_code == 200
    assert page.context["validlink"]
    assert "New password" in page.content.decode()


def test_a_new_agent_without_a_password_is_invited_and_the_link_works(
    as_admin, client, support, all_access, links_here
):
    as_admin.post(
        reverse("admin-panel:agent-create"), agent_form(department=support, role=all_access)
    )
    send_queued_mail()
    bob = Agent.objects.get(user__email="bob@example.com")
    assert not bob.user.has_usable_password()
    [invitation] = mail.outbox
    assert invitation.to == ["bob@example.com"]
    assert invitation.subject == "You are invited to Helpdesk"
    assert "Ada Lovelace has added you as an agent of Helpdesk" in invitation.body
    assert "someone (hopefully you) asked" not in invitation.body

    client.logout()
    page = client.get(reset_link(), follow=True)
    new_password = "plum-orchard-47-lantern"
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )

    assert done.status_code == 302
    assert client.login(username="bob@example.com", password=new_password)


def test_an_agent_who_never_chose_a_password_is_sent_an_invitation_again(
    as_admin, support, all_access, links_here
):
    bob = factories.AgentFactory(department=support, role=all_access, user__email="bob@example.com")
    bob.user.set_unusable_password()
    bob.user.save()
    page = as_admin.get(reverse("admin-panel:agent-edit", args=[bob.pk])).content.decode()
    assert "Send Invitation" in page

    response = send_reset(as_admin, bob)

    assert messages_of(response) == ["An invitation was sent to bob@example.com."]
    [invitation] = mail.outbox
    assert invitation.subject == "You are invited to Helpdesk"
    assert LINK.search(invitation.body)


def test_the_link_is_https_when_the_panel_is_reached_over_https(as_admin, john):
    send_reset(as_admin, john, secure=True)

    assert "https://testserver/scp/password-reset/" in mail.outbox[0].body


def test_an_inactive_agent_is_not_sent_a_link(as_admin, john):
    john.user.is_active = False
    john.user.save()

    response = send_reset(as_admin, john)

    assert mail.outbox == []
    assert messages_of(response) == [
        "John Miller is inactive and cannot sign in; reactivate them before sending a password "
        "reset email."
    ]


def test_the_edit_page_offers_the_button(as_admin, john):
    page = as_admin.get(reverse("admin-panel:agent-edit", args=[john.pk])).content.decode()

    assert ">Send Password Reset Email</button>" in page
