"""The API's models, one module per concern."""

from api.models.keys import ApiKey
from api.models.webhooks import Webhook, WebhookDelivery, WebhookEvent

__all__ = ["ApiKey", "Webhook", "WebhookDelivery", "WebhookEvent"]
