"""The resolved notice asks "How did we do?": installations still on its default wording
get the new default with the survey links; a wording an administrator changed is theirs, and
stays as it is (the links are offered to it as survey.good_url and survey.bad_url)."""

from django.db import migrations

OLD_TEXT = 'Dear {{ recipient.name }},\n\nWe have marked ticket #{{ ticket.number }} resolved:\n\n  {{ ticket.subject }}\n\nIf it is not, reply to this message and the ticket opens again.\n{{ ticket.link }}\n\n{{ helpdesk.name }}'
OLD_HTML = '<p>Dear {{ recipient.name }},</p>\n<p>We have marked ticket <strong>#{{ ticket.number }}</strong> resolved: {{ ticket.subject }}</p>\n<p>If it is not, reply to this message and the ticket opens again. <a href="{{ ticket.link }}">Open the ticket</a></p>\n<p>{{ helpdesk.name }}</p>'
NEW_TEXT = 'Dear {{ recipient.name }},\n\nWe have marked ticket #{{ ticket.number }} resolved:\n\n  {{ ticket.subject }}\n\nIf it is not, reply to this message and the ticket opens again.\n{{ ticket.link }}\n\n{% if survey.good_url %}How did we do?\n  Good: {{ survey.good_url }}\n  Bad: {{ survey.bad_url }}\n\n{% endif %}{{ helpdesk.name }}'
NEW_HTML = '<p>Dear {{ recipient.name }},</p>\n<p>We have marked ticket <strong>#{{ ticket.number }}</strong> resolved: {{ ticket.subject }}</p>\n<p>If it is not, reply to this message and the ticket opens again. <a href="{{ ticket.link }}">Open the ticket</a></p>\n{% if survey.good_url %}<p>How did we do? <a href="{{ survey.good_url }}">Good</a> · <a href="{{ survey.bad_url }}">Bad</a></p>{% endif %}\n<p>{{ helpdesk.name }}</p>'


def offer_the_survey_links(apps, schema_editor):
    EmailTemplate = apps.get_model("mail", "EmailTemplate")
    EmailTemplate.objects.filter(
        key="ticket.resolved", text_body=OLD_TEXT, html_body=OLD_HTML
    ).update(text_body=NEW_TEXT, html_body=NEW_HTML)


def keep_the_old_wording(apps, schema_editor):
    EmailTemplate = apps.get_model("mail", "EmailTemplate")
    EmailTemplate.objects.filter(
        key="ticket.resolved", text_body=NEW_TEXT, html_body=NEW_HTML
    ).update(text_body=OLD_TEXT, html_body=OLD_HTML)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0013_satisfaction_survey"),
        ("mail", "0003_outgoing_tag_index"),
    ]

    operations = [migrations.RunPython(offer_the_survey_links, keep_the_old_wording)]
