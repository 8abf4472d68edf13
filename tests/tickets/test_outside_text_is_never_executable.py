"""Outside text never runs: a corpus of XSS payloads goes in through every intake path
(portal form, mail, osTicket's API in JSON and XML, the REST API, the staff panel, the
admin panel's canned responses) and every page, mail and export that shows it is read back
as a browser would parse it: no script but the app's own static files, no on* handler, no
javascript: or data:text/html link, no frame, object, embed or style, no style attribute;
and every HTML page's Content-Security-Policy keeps scripts and styles to the app's own
files."""

import base64
import json
import re
import uuid
from email.message import EmailMessage
from email.utils import formataddr
from html import unescape
from html.parser import HTMLParser
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from helpdesk.mail.models import OutgoingMail
from tests.api.conftest import make_key, new_key, post
from tickets.access import ticket_access_url
from tickets.inbound.intake import receive
from tickets.models import InboundMail, Ticket
from tickets.queues import QUEUES

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">click</a>',
    "javascript:alert(1)",
    '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    "<embed src=javascript:alert(1)>",
    '<div style="width:expression(alert(1));background:url(javascript:alert(1))">x</div>',
    "<style>@import 'http://evil.example/x.css';</style>",
    '<img src="x" onerror="alert(1)"',
    "&lt;script&gt;alert(1)&lt;/script&gt; &#x3C;img src=x onerror=alert(1)&#x3E;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)><input autofocus onfocus=alert(1)><details open ontoggle=alert(1)>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'><base href=//evil.example/>",
    "{{ request }}{% debug %}<!--<script>alert(1)//-->",
]

# Harmful only to a filter that strips tags once, or where a page would put them into
# markup unescaped or into an attribute: as text they are inert.
_INERT_AS_TEXT = {PAYLOADS[5], PAYLOADS[12], PAYLOADS[13], PAYLOADS[14], PAYLOADS[18]}
# Two payloads a run, to keep the test's time down: every field still holds both (names
# are cut at their 150 characters, subjects and bodies hold all).
PAIRS = [" ".join(PAYLOADS[i : i + 2]) for i in range(0, len(PAYLOADS), 2)]

_NEVER = {"iframe", "frame", "frameset", "object", "embed", "applet", "style", "base"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
_ACTIVE_STYLE = re.compile(r"expression|url\(|javascript|behavior|binding|@import", re.I)
_SAFE_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp)[;,]")


class _Reader(HTMLParser):
    """What a browser would find executable in a page, and the page's text."""

    def __init__(self, *, mail: bool = False):
        super().__init__(convert_charrefs=True)
        # Mail HTML styles with attributes (mail programs ignore style sheets); only the
        # template's plain ones pass, never one that could load or run anything.
        self.mail = mail
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)

    @staticmethod
    def _is_sandboxed_document(values) -> bool:
        return values.get("sandbox", "missing") in ("", None) and not values.get("src")

    def _check(self, tag, attrs):
        values = dict(attrs)
        if tag == "iframe" and self._is_sandboxed_document(values):
            # The admin panel previews mail in a frame with every permission withheld (an
            # empty sandbox: no scripts, no forms, a unique origin); what it shows is checked.
            inside = read(values["srcdoc"] or "", mail=True).problems
            self.problems += [f"in srcdoc: {problem}" for problem in inside]
            return
        if tag in _NEVER:
            self.problems.append(f"<{tag}>")
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.problems.append(f"<script src={values.get('src')!r}>")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style" and not (self.mail and not _ACTIVE_STYLE.search(value or "")):
                self.problems.append(f"<{tag} style=…>")
            if name in _URL_ATTRIBUTES and value:
                url = re.sub(r"[\x00-\x20]", "", unescape(value)).lower()
                if url.startswith(("javascript:", "vbscript:")):
                    self.problems.append(f"<{tag} {name}={value!r}>")
                if url.startswith("data:") and not (tag == "img" and _SAFE_DATA_IMAGE.match(url)):
                    self.problems.append(f"<{tag} {name}={value!r}>")


def read(html: str, *, mail: bool = False) -> _Reader:
    reader = _Reader(mail=mail)
    reader.feed(html)
    reader.close()
    return reader


def assert_inert(response, where: str) -> str:
    """The page parses to nothing executable and its CSP is strict; its text, unescaped."""
    assert response.status_code == 200, (where, response.status_code)
    assert response["Content-Type"].startswith("text/html"), where
    policy = response.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy, where
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, where
    reader = read(response.content.decode())
    assert reader.problems == [], where
    return "".join(reader.text)


def test_the_reader_finds_what_a_browser_would_run():
    # The checks themselves: each payload, unescaped, is caught.
    for payload in PAYLOADS:
        if payload not in _INERT_AS_TEXT:
            assert read(f"<p>{payload}</p>").problems, payload
    assert read(f'<a href="{PAYLOADS[5]}">x</a>').problems
    assert read('<script src="/static/js/app.js"></script><p>&lt;script&gt;</p>').problems == []
    assert read('<iframe sandbox srcdoc="&lt;b&gt;hi&lt;/b&gt;"></iframe>').problems == []
    assert read('<iframe sandbox="allow-scripts" srcdoc="x"></iframe>').problems
    assert read('<p style="color: red">', mail=True).problems == []
    assert read('<p style="width: expression(alert(1))">', mail=True).problems
    assert read('<iframe sandbox srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>').problems


def _png() -> bytes:
    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )


def _mail(payload: str) -> bytes:
    message = EmailMessage()
    message["From"] = formataddr((payload[:150], "mailer@example.com"))
    message["To"] = "support@helpdesk.example"
    message["Subject"] = payload
    message["Message-ID"] = f"<{uuid.uuid4()}@example.com>"
    message.set_content(f"Text part: {payload}")
    message.add_alternative(
        f'<html><body><p>HTML part</p>{payload}<img src="cid:inline1"></body></html>',
        subtype="html",
    )
    message.get_payload()[1].add_related(
        _png(), "image", "png", cid="<inline1>", filename=f"{payload}.png"
    )
    message.add_attachment(b"notes", "text", "plain", filename=f"{payload}.txt")
    return message.as_bytes()


@pytest.fixture
def helpdesk(settings, admin_agent, outage_topic):
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <support@helpdesk.example>"
    settings.HELPDESK_EMAIL_HELP_TOPIC = outage_topic.name
    settings.HELPDESK_ALLOWED_ATTACHMENT_EXTENSIONS = ["txt", "png"]
    return outage_topic


def _feed_every_intake(payload: str, topic, admin) -> dict[str, Ticket]:
    """The payload in every field of every way in; the tickets each made."""
    made = {}
    anonymous = Client()
    response = anonymous.post(
        reverse("portal:open-ticket"),
        {
            "email": "web@example.com",
            "full_name": payload[:150],
            "phone": "+1 555 0100",
            "help_topic": topic.pk,
            "subject": payload,
            "body": payload,
            "submission_key": str(uuid.uuid4()),
            "attachments": [SimpleUploadedFile(f"{payload}.txt", b"notes", "text/plain")],
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    made["web"] = Ticket.objects.get(requester__email="web@example.com")

    record = receive(_mail(payload), source=InboundMail.Source.PIPE)
    assert record.status == InboundMail.Status.IMPORTED, record.outcome
    made["mail"] = record.ticket

    body = {
        "name": payload[:150],
        "email": "api@example.com",
        "subject": payload,
        "message": "data:text/html," + quote(f"<p>API</p>{payload}"),
        "attachments": [{f"{payload}.txt": "data:text/plain;base64,bm90ZXM="}],
    }
    response = post(Client(), "/api/tickets.json", json.dumps(body), new_key()[1])
    assert response.status_code == 201, response.content
    made["osticket"] = Ticket.objects.get(number=response.content.decode().strip())

    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><ticket><name>{name}</name>'
        "<email>xml@example.com</email><subject>{text}</subject>"
        '<message type="text/html">{html}</message><attachments>'
        '<file name="{name}.txt" type="text/plain">notes</file></attachments></ticket>'
    ).format(
        name=xml_escape(payload[:140], {'"': "&quot;"}),
        text=xml_escape(payload),
        html=xml_escape(f"<p>XML</p>{payload}"),
    )
    response = post(Client(), "/api/tickets.xml", xml.encode(), new_key()[1])
    assert response.status_code == 201, response.content
    made["osticket-xml"] = Ticket.objects.get(number=response.content.decode().strip())

    api_key = make_key(admin, can_read=True, can_write=True)
    rest = Client(headers={"Authorization": f"Bearer {api_key}"})
    attachment = {"filename": f"{payload}.txt", "content_base64": "bm90ZXM="}
    response = rest.post(
        "/api/v1/tickets",
        {
            "email": "rest@example.com",
            "name": payload[:150],
            "subject": payload,
            "message": payload,
            "help_topic": topic.pk,
            "attachments": [attachment],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    made["rest"] = Ticket.objects.get(number=response.json()["number"])
    for kind in ("replies", "notes"):
        response = rest.post(
            f"/api/v1/tickets/{made['rest'].number}/{kind}",
            {"body": payload, "attachments": [attachment]},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content

    staff = Client()
    staff.force_login(admin.user)
    response = staff.post(
        reverse("staff:ticket-new"),
        {
            "email": "phone@example.com",
            "full_name": payload[:150],
            "phone": "",
            "source": "phone",
            "help_topic": topic.pk,
            "subject": payload,
            "body": payload,
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302, response.get("Location")
    assert "/tickets/" in response["Location"], response["Location"]
    made["staff"] = Ticket.objects.get(requester__email="phone@example.com")
    web = made["web"]
    for action in ("reply", "note"):
        web.refresh_from_db()
        response = staff.post(
            reverse(f"staff:ticket-{action}", args=[web.number]),
            {
                f"{action}-body": payload,
                f"{action}-revision": web.revision,
                f"{action}-attachments": [
                    SimpleUploadedFile(f"{payload}.txt", b"notes", "text/plain")
                ],
            },
        )
        assert response.status_code == 302, action
    response = staff.post(
        reverse("admin-panel:canned-create"),
        {"title": payload[:128], "body": payload, "is_active": "on"},
    )
    assert response.status_code == 302

    # The requester answers from the portal.
    response = anonymous.post(
        reverse("portal:post-reply", args=[ticket_access_url(web).rstrip("/").split("/")[-1]]),
        {"body": payload, "submission_key": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    return made


@pytest.mark.parametrize("payload", PAIRS)
def test_no_page_mail_or_export_runs_outside_text(helpdesk, admin_agent, payload):
    made = _feed_every_intake(payload, helpdesk, admin_agent)
    staff = Client()
    staff.force_login(admin_agent.user)

    page = assert_inert(
        staff.get(reverse("staff:ticket", args=[made["web"].number])), "staff ticket page"
    )
    assert payload in page  # shown, as text
    for where, ticket in made.items():
        assert_inert(staff.get(reverse("staff:ticket", args=[ticket.number])), f"staff {where}")
    for slug in QUEUES:
        assert_inert(staff.get(reverse("staff:queue", args=[slug])), f"queue {slug}")
    results = staff.get(reverse("staff:queue", args=["open"]), {"q": payload})
    assert_inert(results, "search results")
    assert_inert(staff.get(reverse("staff:home")), "staff home")
    assert_inert(staff.get(reverse("staff:dashboard")), "dashboard")
    assert_inert(staff.get(reverse("staff:ticket-new"), {"email": payload}), "new ticket")
    for name in ("incoming-mail-list", "outgoing-mail-list", "canned-list", "user-list"):
        assert_inert(staff.get(reverse(f"admin-panel:{name}")), name)
    for record in InboundMail.objects.all():
        url = reverse("admin-panel:incoming-mail-detail", args=[record.pk])
        assert_inert(staff.get(url), "incoming mail")
        raw = staff.get(reverse("admin-panel:incoming-mail-raw", args=[record.pk]))
        assert not raw["Content-Type"].startswith("text/html")
    for mail in OutgoingMail.objects.all():
        url = reverse("admin-panel:outgoing-mail-detail", args=[mail.pk])
        assert_inert(staff.get(url), "outgoing mail")
        if mail.html_body:
            assert read(mail.html_body, mail=True).problems == [], mail.notice
    for user in User.objects.filter(agent__isnull=True):
        url = reverse("admin-panel:user-detail", args=[user.pk])
        assert_inert(staff.get(url), "user detail")

    for where, ticket in made.items():
        portal = Client()
        assert_inert(portal.get(ticket_access_url(ticket)), f"portal {where}")
        portal.force_login(ticket.requester)
        assert_inert(portal.get(reverse("portal:my-tickets")), f"my tickets {where}")
        assert_inert(portal.get(reverse("portal:home")), f"portal home {where}")
    refused = Client().post(
        reverse("portal:open-ticket"), {"email": payload, "full_name": payload, "phone": payload}
    )
    assert_inert(refused, "refused portal form")
    status = Client().post(reverse("portal:check-status"), {"email": payload, "number": payload})
    assert_inert(status, "refused status lookup")

    export = staff.get(reverse("staff:dashboard-csv", args=["tickets"]))
    assert export["Content-Type"].startswith("text/csv")
    assert export["Content-Disposition"].startswith("attachment")
    api = Client(headers={"Authorization": f"Bearer {make_key(admin_agent, can_read=True)}"})
    answer = api.get(f"/api/v1/tickets/{made['mail'].number}")
    assert answer["Content-Type"].startswith("application/json")
    assert answer["X-Content-Type-Options"] == "nosniff"
