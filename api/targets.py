"""Where a webhook may point: no server-side request forgery through its URL.

A webhook makes this server send requests where an administrator says, so a URL could aim
it at the database, the mail server, a router's admin page or the cloud's metadata service
(169.254.169.254, which hands out credentials). Unless the webhook allows private targets,
its host must resolve only to public addresses: checked when it is saved and again at every
send, and the send connects to the very address checked, so a name that resolves to a public
address once and to 127.0.0.1 the next time (DNS rebinding) gains nothing.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Metadata services of the cloud platforms, named as such in refusals. All but Alibaba's are
# link-local or private anyway; they are refused with the rest, whatever their range.
METADATA_ADDRESSES = {
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
}
# NAT64's well-known prefix carries an IPv4 address in its last 32 bits.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class TargetRefused(ValueError):
    """The URL may not be called; the message says why, for the administrator."""


@dataclass(frozen=True)
class Target:
    """A URL taken apart, with the addresses its host resolved to (all of them allowed)."""

    scheme: str
    host: str
    port: int
    path: str  # with the query string
    addresses: tuple[str, ...]


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, Teredo, NAT64), if any."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def why_refused(ip: IPAddress) -> str | None:
    """Why a webhook may not call this address without "Allow private targets"; None if it
    may (a public address)."""
    inner = _embedded_ipv4(ip)
    if inner is not None:
        reason = why_refused(inner)
        return f"stands for {inner}, which {reason}" if reason else None
    if ip in METADATA_ADDRESSES:
        return "is a cloud metadata address"
    for test, words in (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address (this machine)"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
        ("is_private", "a private-network address"),
    ):
        if getattr(ip, test):
            return f"is {words}"
    if not ip.is_global:
        return "is not a public address"
    return None


def split(url: str) -> tuple[str, str, int, str]:
    """The URL's scheme, host, port and path; TargetRefused for anything but http(s)."""
    if not isinstance(url, str) or len(url) > 2000 or any(_unwritable(c) for c in url):
        raise TargetRefused("Enter a URL such as https://hooks.example.com/helpdesk.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused("This URL is not well formed (check its host and port).") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise TargetRefused("The URL must start with https:// or http://.")
    if not parts.hostname:
        raise TargetRefused("The URL must name a host, as in https://hooks.example.com/.")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("Leave the user name and password out of the URL.")
    if port == 0:
        raise TargetRefused("This URL is not well formed (check its host and port).")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    # The request line is ASCII: other characters go percent-encoded, as browsers send them.
    path = quote(path, safe=_ASCII_PRINTABLE)
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), path


_ASCII_PRINTABLE = "".join(chr(code) for code in range(0x21, 0x7F))


def _unwritable(character: str) -> bool:
    """Spaces, control characters, lone surrogates: no URL has them."""
    return character.isspace() or not character.isprintable()


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host resolves to (an IP literal resolves to itself)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as error:
        raise TargetRefused(f"The host {host} could not be found ({error}).") from None
    addresses = []
    for *_, sockaddr in found:
        ip = ipaddress.ip_address(sockaddr[0].partition("%")[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise TargetRefused(f"The host {host} could not be found.")
    return addresses


def check(url: str, *, allow_private: bool) -> Target:
    """The URL's target, resolved now; TargetRefused if it is malformed, cannot be found, or
    (without `allow_private`) any of its addresses is not public."""
    scheme, host, port, path = split(url)
    addresses = resolve(host, port)
    if not allow_private:
        for ip in addresses:
            reason = why_refused(ip)
            if reason:
                what = host if host == str(ip) else f"{host} resolves to {ip}, which"
                raise TargetRefused(
                    f"Refused: {what} {reason}. Webhooks call only public addresses unless "
                    "an administrator ticks “Allow private targets”."
                )
    return Target(scheme, host, port, path, tuple(str(ip) for ip in addresses))
