"""API keys: what a client program shows to create tickets, run cron or act as an agent."""

import ipaddress

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


def parse_networks(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The addresses and ranges in `text`, one per line or separated by commas or spaces.

    A bare address is a range of one (203.0.113.5 is 203.0.113.5/32, ::1 is ::1/128); host
    bits in a range are allowed (192.168.1.7/24 means 192.168.1.0/24), as people write them.
    """
    networks = []
    for word in text.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(word, strict=False))
        except ValueError:
            raise ValidationError(
                "“%(word)s” is not an IP address or range such as 203.0.113.5, "
                "192.168.0.0/24 or 2001:db8::/32.",
                code="invalid",
                params={"word": word[:60]},
            ) from None
    return networks


def validate_networks(text: str) -> None:
    parse_networks(text)


class ApiKey(models.Model):
    """A key a program sends in `X-API-Key` (osTicket's API) or `Authorization: Bearer`.

    Only a hash of the key is stored: it is shown once, when it is made. The key is 128
    random bits, so a plain SHA-256 is as safe as a slow password hash and costs nothing per
    request.
    """

    name = models.CharField(max_length=100)
    prefix = models.CharField(
        max_length=8, help_text="The key's first characters, to tell keys apart."
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField("Active", default=True)
    allowed_networks = models.TextField(
        "Allowed addresses",
        blank=True,
        validators=[validate_networks],
        help_text=(
            "IP addresses or ranges (CIDR) the key may be used from, one per line, such as "
            "203.0.113.5, 192.168.0.0/24 or 2001:db8::/32. Leave empty for any address."
        ),
    )
    can_create_tickets = models.BooleanField("May create tickets", default=True)
    can_run_cron = models.BooleanField("May run cron", default=False)
    can_read = models.BooleanField(
        "May read tickets", default=False, help_text="As the agent below, seeing what they see."
    )
    can_write = models.BooleanField(
        "May change tickets",
        default=False,
        help_text="Reply, note, change status and assignment, as the agent below may.",
    )
    agent = models.ForeignKey(
        "accounts.Agent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_keys",
        help_text="The agent the key acts as when it reads or changes tickets.",
    )
    expires_at = models.DateTimeField("Expires", null=True, blank=True)
    rate_per_minute = models.PositiveIntegerField(
        "Requests a minute",
        default=120,
        help_text="More requests than this in a minute are answered 429 Too Many Requests.",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        "accounts.Agent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_from = models.GenericIPAddressField(null=True, blank=True, editable=False)
    use_count = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "API key"
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(can_read=False, can_write=False) | models.Q(agent__isnull=False)
                ),
                name="api_key_reads_and_writes_as_an_agent",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def clean(self):
        if (self.can_read or self.can_write) and self.agent_id is None:
            raise ValidationError(
                {"agent": "Choose the agent this key reads or changes tickets as."}
            )

    @property
    def networks(self):
        return parse_networks(self.allowed_networks)

    def allows_address(self, address: str | None) -> bool:
        networks = self.networks
        if not networks:
            return True
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        return any(ip.version == net.version and ip in net for net in networks)

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())
