"""The API: osTicket's ticket API for existing clients, a REST API, and webhooks.

The top layer: it reads and changes tickets only through the tickets app's selectors,
`visible_to`, `can()` and services, as the staff panel does.
"""
