"""A webhook cannot aim the server at itself or a private network (no server-side request
forgery): such targets are refused when the webhook is saved and again when each delivery
is sent, unless an administrator allows private targets; and the request goes to the address
that was checked, never to one a second DNS answer would give."""

import ipaddress
import shutil
import ssl
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from api import http_post, targets
from api.models import Webhook, WebhookDelivery, WebhookEvent
from api.webhooks import send_delivery
from tests.api.receivers import WebhookReceiver

REFUSED = [
    ("http://127.0.0.1/hook", "loopback"),
    ("http://localhost/hook", "localhost resolves to 127.0.0.1"),
    ("http://2130706433/hook", "resolves to 127.0.0.1"),  # 127.0.0.1 written as a number
    ("http://[::1]/hook", "loopback"),
    ("http://10.1.2.3/hook", "private"),
    ("http://172.16.0.9/hook", "private"),
    ("http://192.168.1.1/hook", "private"),
    ("http://[fd12:3456::1]/hook", "private"),
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
    ("http://[fd00:ec2::254]/", "cloud metadata"),
    ("http://100.100.100.200/", "cloud metadata"),
    ("http://[fe80::1]/hook", "link-local"),
    ("http://224.0.0.1/hook", "multicast"),
    ("http://0.0.0.0/hook", "unspecified"),
    ("http://240.0.0.1/hook", "reserved"),
    ("http://[::ffff:127.0.0.1]/hook", "stands for 127.0.0.1"),
    ("http://[::ffff:10.0.0.1]/hook", "stands for 10.0.0.1"),
    ("http://100.64.0.1/hook", "not a public address"),  # carrier-grade NAT
]


@pytest.mark.parametrize(("url", "why"), REFUSED, ids=[url for url, _ in REFUSED])
def test_private_targets_are_refused_without_the_flag(url, why):
    with pytest.raises(targets.TargetRefused, match=why):
        targets.check(url, allow_private=False)


@pytest.mark.parametrize("url", [url for url, _ in REFUSED[:5]])
def test_private_targets_are_allowed_with_the_flag(url):
    assert targets.check(url, allow_private=True).addresses


@pytest.mark.parametrize(
    "address", ["1.1.1.1", "93.184.215.14", "2606:4700:4700::1111", "2a00:1450:4001::200e"]
)
def test_public_addresses_are_allowed(address):
    assert targets.why_refused(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://1.1.1.1/hook", "must start with https:// or http://"),
        ("file:///etc/passwd", "must start with https:// or http://"),
        ("gopher://127.0.0.1:6379/_FLUSHALL", "must start with https:// or http://"),
        ("https:///hook", "must name a host"),
        ("https://user:secret@1.1.1.1/hook", "user name and password"),
        ("https://1.1.1.1:99999/hook", "not well formed"),
        ("https://1.1.1.1/ho ok", "Enter a URL"),
        ("https://no-such-host.invalid/hook", "could not be found"),
    ],
)
def test_urls_that_are_not_web_addresses_are_refused(url, why):
    with pytest.raises(targets.TargetRefused, match=why):
        targets.check(url, allow_private=True)


def webhook_form(url, **extra):
    return {"name": "Internal", "url": url, "events": ["ticket.created"], **extra}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["http://127.0.0.1:9000/hook", "http://localhost:9000/hook"])
def test_the_admin_is_told_beside_the_url_field_when_saving(as_admin, url):
    response = as_admin.post(reverse("admin-panel:webhook-create"), webhook_form(url))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["url"]
    assert "resolves to 127.0.0.1" in errors["url"][0] or "loopback" in errors["url"][0]
    assert "Allow private targets" in errors["url"][0]
    assert not Webhook.objects.exists()


@pytest.mark.django_db
def test_an_admin_may_allow_a_private_target_explicitly(as_admin):
    response = as_admin.post(
        reverse("admin-panel:webhook-create"),
        webhook_form("http://localhost:9000/hook", allow_private_targets="on"),
    )

    assert response.status_code == 302
    assert Webhook.objects.get().allow_private_targets is True


@pytest.fixture
def webhook_turned_private(db, receiver):
    """A webhook saved with a public address whose URL now points at this machine (as a
    changed DNS record, or a row edited behind the form's back, would make it)."""
    hook = Webhook.objects.create(
        name="Turned", url="https://1.1.1.1/hook", events=list(WebhookEvent.values)
    )
    Webhook.objects.filter(pk=hook.pk).update(url=receiver.url.replace("127.0.0.1", "localhost"))
    return hook


def test_a_delivery_to_a_refused_address_is_given_up_with_the_reason(
    webhook_turned_private, receiver
):
    delivery = WebhookDelivery.objects.create(
        webhook=webhook_turned_private, event="ping", body="{}", next_attempt_at=timezone.now()
    )

    send_delivery.call(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.GIVEN_UP
    assert delivery.last_error.startswith("Refused: localhost resolves to ")
    assert "loopback address" in delivery.last_error
    assert delivery.attempts == 1
    assert receiver.received == []


def test_the_request_goes_to_the_checked_address_with_the_urls_host(receiver):
    # Whatever "hooks.example.com" would resolve to now, the connection goes where the check
    # said, and the receiver is still addressed by name.
    target = targets.Target(
        scheme="http",
        host="hooks.example.com",
        port=receiver.port,
        path="/hooks/helpdesk?x=1",
        addresses=("127.0.0.1",),
    )

    answer = http_post.post(target, b"{}", {"Content-Type": "application/json"}, timeout=3)

    assert answer.status == 200
    [received] = receiver.received
    assert received.headers["Host"] == f"hooks.example.com:{receiver.port}"
    assert received.path == "/hooks/helpdesk?x=1"


@pytest.mark.django_db
def test_redirects_are_not_followed(receiver):
    receiver.status = 302
    receiver.extra_headers = {"Location": "http://169.254.169.254/latest/meta-data/"}
    hook = Webhook.objects.create(
        name="Redirecting",
        url=receiver.url,
        events=list(WebhookEvent.values),
        allow_private_targets=True,
    )
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event="ping", body="{}", next_attempt_at=timezone.now()
    )

    send_delivery.call(delivery.pk)

    delivery.refresh_from_db()
    assert len(receiver.received) == 1
    assert delivery.status == WebhookDelivery.Status.GIVEN_UP
    assert delivery.response_code == 302
    assert "redirects are not followed" in delivery.last_error


@pytest.fixture
def tls_receiver(tmp_path, monkeypatch):
    """An HTTPS server on 127.0.0.1 with a certificate for hooks.example.com, which the
    process trusts for this test (SSL_CERT_FILE): the port it listens on."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    openssl = shutil.which("openssl")
    assert openssl, "the openssl command is needed to make a test certificate"
    subprocess.run(  # noqa: S603 (fixed arguments)
        [
            openssl, "req", "-x509", "-nodes", "-days", "1",
            "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-subj", "/CN=hooks.example.com",
            "-addext", "subjectAltName=DNS:hooks.example.com",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,digitalSignature,keyCertSign",
            "-addext", "extendedKeyUsage=serverAuth",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    server = WebhookReceiver()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.stop()
    server.start(wrap=context.wrap_socket)
    yield server
    server.stop()


def https_target(host, port):
    return targets.Target("https", host, port, "/hooks", addresses=("127.0.0.1",))


def test_https_goes_to_the_checked_address_and_checks_the_urls_hosts_certificate(
    tls_receiver,
):
    answer = http_post.post(
        https_target("hooks.example.com", tls_receiver.port), b"{}", {}, timeout=3
    )

    assert answer.status == 200
    assert tls_receiver.received[0].headers["Host"] == f"hooks.example.com:{tls_receiver.port}"


def test_https_refuses_a_certificate_for_another_host(tls_receiver):
    with pytest.raises(ssl.SSLCertVerificationError, match="Hostname mismatch"):
        http_post.post(https_target("other.example.com", tls_receiver.port), b"{}", {}, timeout=3)

    assert tls_receiver.received == []


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_text_as_a_url_is_taken_apart_or_refused_with_a_reason(text):
    try:
        scheme, host, port, path = targets.split(text)
    except targets.TargetRefused as refusal:
        assert str(refusal)
    else:
        assert scheme in ("http", "https") and host and 0 < port < 65536
        assert path.startswith("/") and path.isascii()


@given(
    st.sampled_from(["http", "https"]),
    st.ip_addresses().map(lambda ip: f"[{ip}]" if ip.version == 6 else str(ip)),
    st.text(max_size=40),
)
@settings(max_examples=300, deadline=None)
def test_any_address_is_allowed_only_when_public(scheme, host, path):
    url = f"{scheme}://{host}/{path}"
    try:
        target = targets.check(url, allow_private=False)
    except targets.TargetRefused as refusal:
        assert "Refused" in str(refusal) or "URL" in str(refusal) or "host" in str(refusal)
    else:
        assert all(targets.why_refused(ipaddress.ip_address(a)) is None for a in target.addresses)


@pytest.mark.django_db
def test_a_url_with_letters_beyond_ascii_is_sent_percent_encoded(receiver):
    hook = Webhook.objects.create(
        name="Café", url=receiver.url + "/café?q=ü", events=[], allow_private_targets=True
    )
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event="ping", body="{}", next_attempt_at=timezone.now()
    )

    assert send_delivery.call(delivery.pk) == "sent"
    assert receiver.received[0].path == "/hooks/helpdesk/caf%C3%A9?q=%C3%BC"
