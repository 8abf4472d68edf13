"""How a webhook delivery is signed, and how its receiver checks it (README, "Webhooks").

The signature is HMAC-SHA256, keyed with the webhook's secret, of the timestamp, a dot and
the body exactly as sent: `X-Helpdesk-Signature: sha256=<hex>`, with the timestamp (unix
seconds) in `X-Helpdesk-Timestamp`. Signing the timestamp with the body lets a receiver
refuse an old delivery replayed by somebody who recorded it: the timestamp cannot be changed
without breaking the signature.
"""

import hashlib
import hmac
import time

SCHEME = "sha256"
# How old a delivery a receiver should still take (verify's default).
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Helpdesk-Signature value of this body sent at this time."""
    signed = f"{timestamp}.".encode() + body
    return f"{SCHEME}={hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()}"


def verify(
    secret: str,
    *,
    timestamp: str,
    body: bytes,
    signature_header: str,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """Whether a delivery is ours and fresh: what a receiver does (used by our tests)."""
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - sent_at) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, sent_at, body), signature_header or "")
