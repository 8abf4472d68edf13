"""Real mail servers for the tests: an SMTP sink.

The helpdesk's mail code is tested against servers that speak the real protocols, so what
passes here is what a real server accepts. `SMTPSink` is aiosmtpd in a background thread,
on a free loopback port. Plain Python, no Django.
"""

import email
import email.policy
import errno
import socket
import threading
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port(host: str = HOST) -> int:
    """A port nobody listens on right now (the caller binds it soon after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


# --- SMTP ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedMessage:
    """One message as the SMTP sink received it."""

    sender: str  # the envelope's MAIL FROM; "<>" for a null sender
    recipients: tuple[str, ...]  # the envelope's accepted RCPT TO addresses, in order
    raw: bytes  # the DATA exactly as sent, dot-unstuffed
    message: EmailMessage


@dataclass(frozen=True)
class _Refusal:
    stage: str
    reply: str


class _SinkHandler:
    """aiosmtpd's hooks: accept or refuse each stage, record each message."""

    def __init__(self, sink: "SMTPSink") -> None:
        self.sink = sink

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if refusal := self.sink._refusal_at("MAIL"):
            return refusal
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if refusal := self.sink._refusal_at("RCPT"):
            return refusal
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if refusal := self.sink._refusal_at("DATA"):
            return refusal
        raw = envelope.original_content
        self.sink._record(
            ReceivedMessage(
                sender=envelope.mail_from,
                recipients=tuple(envelope.rcpt_tos),
                raw=raw,
                message=_parse(raw),
            )
        )
        return "250 OK"


class SMTPSink:
    """An SMTP server on loopback that keeps every message it accepts.

    `stop()` closes the listening socket (clients get "connection refused") and `start()`
    opens it again on the same port, to test outages. `refuse()` makes it answer MAIL, RCPT
    or DATA with an error reply until `accept()`. Received messages survive a restart.
    """

    STAGES = ("MAIL", "RCPT", "DATA")

    def __init__(self, host: str = HOST) -> None:
        self.host = host
        self.port: int | None = None
        self._controller: Controller | None = None
        self._received: list[ReceivedMessage] = []
        self._refusal: _Refusal | None = None
        self._changed = threading.Condition()

    def __enter__(self) -> "SMTPSink":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def is_running(self) -> bool:
        return self._controller is not None

    def start(self) -> "SMTPSink":
        """Listen (again): on a free port the first time, on the same port after that."""
        if self._controller is not None:
            return self
        # A free port can be taken between the probe and the bind: pick again, once only.
        attempts = 3 if self.port is None else 1
        for attempt in range(attempts):
            port = free_port(self.host) if self.port is None else self.port
            controller = Controller(
                _SinkHandler(self),
                hostname=self.host,
                port=port,
                # Not socket.getfqdn(), which may wait for DNS.
                server_hostname="smtp-sink.test",
                ready_timeout=5.0,
            )
            try:
                controller.start()
            except OSError as error:
                if error.errno != errno.EADDRINUSE or attempt == attempts - 1:
                    raise
                continue
            self._controller, self.port = controller, port
            return self
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Close the listening socket and every open connection; keep what was received."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[ReceivedMessage]:
        """What has arrived so far, oldest first (a copy)."""
        with self._changed:
            return list(self._received)

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[ReceivedMessage]:
        """Return the messages once at least `count` have arrived; TimeoutError if not."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._received) >= count, timeout):
                raise TimeoutError(
                    f"SMTP sink on port {self.port} received {len(self._received)} "
                    f"message(s) in {timeout} s, expected {count}"
                )
            return list(self._received)

    def clear(self) -> None:
        with self._changed:
            self._received.clear()

    def refuse(self, code: int = 451, text: str = "4.3.0 Try again later", at: str = "RCPT"):
        """Answer every `at` command (MAIL, RCPT or DATA) with `code text` until accept()."""
        if not 400 <= code <= 599:
            raise ValueError(f"a refusal needs a 4xx or 5xx code, not {code}")
        if at not in self.STAGES:
            raise ValueError(f"at must be one of {', '.join(self.STAGES)}, not {at!r}")
        with self._changed:
            self._refusal = _Refusal(stage=at, reply=f"{code} {text}")

    def accept(self) -> None:
        with self._changed:
            self._refusal = None

    def _refusal_at(self, stage: str) -> str | None:
        with self._changed:
            refusal = self._refusal
        return refusal.reply if refusal and refusal.stage == stage else None

    def _record(self, message: ReceivedMessage) -> None:
        with self._changed:
            self._received.append(message)
            self._changed.notify_all()
