"""Outgoing mail for every app: editable templates and a transactional outbox.

An app registers the notices it sends (`notices.register`) and queues a message with
`outbox.queue(...)` inside the transaction of the change that causes it; the worker sends
it, retrying with backoff, and the admin panel lists every message with its fate. This is
project plumbing: it imports no app, and the apps import it.
"""
