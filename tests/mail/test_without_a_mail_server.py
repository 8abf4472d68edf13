"""Without a mail server (make run's default), mail is written to the worker's console, and
the admin panel's Outgoing Mail says so and shows every message that would have been sent."""

from django.urls import reverse

from helpdesk.mail.models import OutgoingMail
from helpdesk.mail.outbox import send_outgoing_mail
from tickets import services


def test_outgoing_mail_lists_what_would_have_been_sent(
    as_admin, settings, karen, outage_topic, capsys
):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    ticket, _ = services.open_ticket(
        email=karen.email,
        full_name=karen.full_name,
        help_topic=outage_topic,
        subject="Card declined",
        body="Declined at every shop.",
    )
    mail = OutgoingMail.objects.get(notice="ticket.autoresponse")

    send_outgoing_mail.call(mail.pk)

    assert f"[#{ticket.number}] We received your request" in capsys.readouterr().out
    page = as_admin.get(reverse("admin-panel:outgoing-mail-list")).content.decode()
    assert "No mail server is set up (EMAIL_HOST)" in page
    assert "Written to the console (no mail server set up)" in page
    assert f"[#{ticket.number}] We received your request: Card declined" in page
    detail = as_admin.get(reverse("admin-panel:outgoing-mail-detail", args=[mail.pk]))
    assert "Dear Karen Taylor," in detail.content.decode()


def test_with_a_mail_server_the_list_has_no_such_note(as_admin, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}

    page = as_admin.get(reverse("admin-panel:outgoing-mail-list")).content.decode()

    assert "No mail server is set up" not in page
