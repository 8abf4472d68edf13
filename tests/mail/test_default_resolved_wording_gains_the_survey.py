"""An installation still on the resolved notice's old default wording gets the new one,
with the survey links; a wording an administrator changed is left as it is."""

import importlib

from django.apps import apps

from helpdesk.mail.models import EmailTemplate
from helpdesk.mail.notices import get

migration = importlib.import_module("tickets.migrations.0014_resolved_notice_offers_the_survey")


def test_the_old_default_wording_becomes_the_new_default(db):
    EmailTemplate.objects.filter(key="ticket.resolved").update(
        text_body=migration.OLD_TEXT, html_body=migration.OLD_HTML
    )

    migration.offer_the_survey_links(apps, None)

    template = EmailTemplate.objects.get(key="ticket.resolved")
    notice = get("ticket.resolved")
    assert (template.text_body, template.html_body) == (notice.text, notice.html)
    assert "survey.good_url" in template.text_body


def test_a_reworded_notice_is_left_alone(db):
    EmailTemplate.objects.filter(key="ticket.resolved").update(
        text_body="Solved, {{ recipient.name }}.", html_body=""
    )

    migration.offer_the_survey_links(apps, None)

    template = EmailTemplate.objects.get(key="ticket.resolved")
    assert template.text_body == "Solved, {{ recipient.name }}."
