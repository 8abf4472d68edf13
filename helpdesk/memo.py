"""Short-lived copies, per process, of the few configuration rows every message reads.

Mail intake and notifications read the same handful of rows for every message (the notices'
wordings, the banned addresses, our own addresses); keeping them for a few seconds spares a
query each, several times per message. A change made in this process is seen at once (the
owning app forgets the copy when the row is saved); other processes see it within LIFETIME.
"""

import time
from collections.abc import Callable

LIFETIME = 5.0  # seconds

_copies: dict[str, tuple[float, object]] = {}


def remembered(key: str, load: Callable[[], object], lifetime: float = LIFETIME):
    """`load()`'s value, read again at most every `lifetime` seconds."""
    now = time.monotonic()
    copy = _copies.get(key)
    if copy is not None and copy[0] > now:
        return copy[1]
    value = load()
    _copies[key] = (now + lifetime, value)
    return value


def forget(key: str | None = None) -> None:
    """Drop the copy of `key` (of everything without one): it is read afresh next time."""
    if key is None:
        _copies.clear()
    else:
        _copies.pop(key, None)
