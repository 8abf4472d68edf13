"""One HTTP POST to an address already checked (api.targets), and nothing more.

The standard library's http.client, not urllib.request or requests: they resolve the host
name again themselves, and to close the DNS-rebinding gap the connection must go to the
address that was checked, while the request still names the URL's host (Host header, and
for HTTPS the TLS server name and certificate check). http.client follows no redirects.
"""

import http.client
import socket
import ssl
from dataclasses import dataclass

from api.targets import Target

# Enough of the receiver's answer to show in the delivery log.
READ_AT_MOST = 1024


@dataclass(frozen=True)
class Answer:
    status: int
    reason: str
    location: str
    text: str


class _PinnedHTTP(http.client.HTTPConnection):
    """A connection to `address` that speaks to the host named in the URL."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the URL's host, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict[str, str], *, timeout: float) -> Answer:
    """POST the body to the target's first address that takes a connection; OSError (and
    http.client's errors) when none answers."""
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    error: Exception | None = None
    for address in target.addresses:
        connection = kind(target.host, target.port, address=address, timeout=timeout)
        try:
            connection.request("POST", target.path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read(READ_AT_MOST).decode("utf-8", "replace")
            return Answer(
                response.status, response.reason, response.getheader("Location") or "", text
            )
        except ConnectionRefusedError as refused:
            error = refused  # try the host's next address
        finally:
            connection.close()
    raise error or OSError("no address to connect to")
