"""The API's models, one module per concern."""

from api.models.keys import ApiKey

__all__ = ["ApiKey"]
