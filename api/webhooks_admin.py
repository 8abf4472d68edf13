"""The admin panel's webhook pages: the webhooks, a test ping, and each one's delivery log.

Imported by api/admin_panel.py, which helpdesk.apps finds at start-up.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from api import webhooks
from api.models import Webhook, WebhookDelivery
from api.models.webhooks import new_secret
from api.webhook_forms import WebhookForm
from helpdesk.admin_panel import Column, Extra, Section, site

LOG_PER_PAGE = 50
RECENT = 5


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


WEBHOOKS = site.register(
    Section(
        key="webhook",
        prefix="webhooks",
        order=200,
        title="Webhooks",
        noun="Webhook",
        form_class=WebhookForm,
        rows=lambda: Webhook.objects.order_by("name", "pk"),
        columns=(
            Column("URL", lambda w: w.url),
            Column("Events", lambda w: ", ".join(w.event_labels)),
            Column("Private targets", lambda w: _yes(w.allow_private_targets)),
        ),
        template="admin_panel/webhook_form.html",
    )
)


def recent_deliveries(request, webhook, form) -> dict:
    """The webhook's last few deliveries, on its page."""
    return {"recent_deliveries": list(webhook.deliveries.order_by("-created_at", "-pk")[:RECENT])}


site.extend("webhook", "edit", Extra("admin_panel/_webhook_recent.html", recent_deliveries))


@require_POST
def webhook_ping(request, pk):
    """Queue a test delivery ("ping") to the webhook now."""
    webhook = get_object_or_404(Webhook, pk=pk)
    webhooks.ping(webhook)
    messages.success(request, "A test ping was queued; its delivery shows in the log in a moment.")
    return redirect("admin-panel:webhook-deliveries", pk=webhook.pk)


@require_POST
def webhook_new_secret(request, pk):
    """Replace the webhook's secret: deliveries from now on are signed with the new one."""
    webhook = get_object_or_404(Webhook, pk=pk)
    webhook.secret = new_secret()
    webhook.save(update_fields=["secret", "updated_at"])
    messages.success(
        request, "The webhook has a new secret: give it to the receiver, which must use it now."
    )
    return redirect(WEBHOOKS.url_name("edit"), pk=webhook.pk)


@require_GET
def webhook_deliveries(request, pk):
    """Every delivery of one webhook, newest first, with what became of each."""
    webhook = get_object_or_404(Webhook, pk=pk)
    page = Paginator(webhook.deliveries.order_by("-created_at", "-pk"), LOG_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "admin_panel/webhook_deliveries.html",
        {"section": WEBHOOKS, "webhook": webhook, "page": page},
    )


@require_GET
def webhook_delivery(request, pk):
    """One delivery: its body as sent, its attempts and the receiver's last answer."""
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("webhook"), pk=pk)
    return render(
        request,
        "admin_panel/webhook_delivery.html",
        {"section": WEBHOOKS, "delivery": delivery, "webhook": delivery.webhook},
    )


@require_POST
def webhook_delivery_retry(request, pk):
    """Send a failed, given-up or waiting delivery again now; a sent one is not sent twice."""
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    if webhooks.retry_now(delivery):
        messages.success(request, "The delivery will be sent again in a moment.")
    else:
        messages.error(request, "This delivery was sent already (or is being sent right now).")
    return redirect("admin-panel:webhook-deliveries", pk=delivery.webhook_id)


site.add_page("webhooks/<int:pk>/ping/", webhook_ping, name="webhook-ping")
site.add_page("webhooks/<int:pk>/new-secret/", webhook_new_secret, name="webhook-new-secret")
site.add_page("webhooks/<int:pk>/deliveries/", webhook_deliveries, name="webhook-deliveries")
site.add_page("webhook-deliveries/<int:pk>/", webhook_delivery, name="webhook-delivery")
site.add_page(
    "webhook-deliveries/<int:pk>/retry/", webhook_delivery_retry, name="webhook-delivery-retry"
)
