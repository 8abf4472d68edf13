"""osTicket's endpoints with hostile raw bodies, and /api/v1/ with hostile path and query
values: never a 5xx, and a refused ticket stores nothing.

The bodies are built from osTicket's own fields (name, email, subject, message, topicId,
priority, source, alert, autorespond, ip, phone, notes, attachments) with hostile values,
wrong types (lists, objects, numbers where text goes), data URLs that are not, XML with
entities and odd encodings, mail with broken headers, and plain random bytes.
(tests/api/test_rest_schema_properties.py fuzzes the REST API from its schema.)
"""

import base64
import json
from xml.sax.saxutils import escape, quoteattr

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from tests.api.conftest import RestClient, make_key, new_key
from tests.fuzz import hostile
from tests.fuzz.conftest import FUZZ, FuzzClient, content_counts, never_5xx
from tests.fuzz.urls import query_names

pytestmark = pytest.mark.django_db

FIELDS = [
    "name",
    "email",
    "subject",
    "message",
    "topicId",
    "priority",
    "source",
    "alert",
    "autorespond",
    "ip",
    "phone",
    "notes",
    "attachments",
]

# What a refused request may leave: the raw mail is stored before it is read (and kept when
# it cannot be), and the key's use is counted.
KEPT_WHEN_REFUSED = {"tickets.InboundMail", "api.ApiKey"}


def _json_value():
    scalar = st.one_of(
        hostile.text_values(),
        st.integers(min_value=-(2**80), max_value=2**80),
        st.floats(),
        st.booleans(),
        st.none(),
    )
    return st.recursive(
        scalar,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(hostile.text_values(), inner, max_size=3)
        ),
        max_leaves=6,
    )


def _data_url():
    return st.one_of(
        st.sampled_from(
            [
                "data:text/plain;base64,SGVsbG8=",
                "data:text/plain;charset=x-nonsense;base64,SGVsbG8=",
                "data:text/plain;charset=utf-16;base64,/w==",
                "data:text/html,<b>hi</b>",
                "data:;base64,%%%",
                "data:text/plain;base64," + "A" * 10_001,
                "data:image/png;base64,",
                "data:,",
                "data:",
            ]
        ),
        st.binary(max_size=40).map(
            lambda b: "data:application/octet-stream;base64," + base64.b64encode(b).decode()
        ),
    )


def _attachments():
    one = st.one_of(
        st.dictionaries(
            st.one_of(hostile.text_values(), st.just("a.txt")), _data_url(), max_size=2
        ),
        st.fixed_dictionaries({"name": hostile.text_values(), "data": _data_url()}),
        _json_value(),
    )
    return st.one_of(st.lists(one, max_size=3), _json_value())


def _ticket_fields():
    valid = {
        "name": st.just("Monitoring"),
        "email": st.just("alerts@example.com"),
        "subject": st.just("Disk full"),
        "message": st.one_of(st.just("The disk is full."), _data_url()),
    }
    return st.fixed_dictionaries(
        {},
        optional={
            **{name: st.one_of(valid[name], _json_value()) for name in valid},
            "topicId": _json_value(),
            "priority": _json_value(),
            "source": _json_value(),
            "alert": _json_value(),
            "autorespond": _json_value(),
            "ip": _json_value(),
            "phone": _json_value(),
            "notes": _json_value(),
            "attachments": _attachments(),
        },
    )


def _json_bodies():
    dumped = _ticket_fields().map(
        lambda fields: json.dumps(fields, allow_nan=True).encode("utf-8", "surrogatepass")
    )
    return st.one_of(
        dumped,
        _json_value().map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=200),
        st.sampled_from(
            [
                b"",
                b"{",
                b'{"name": "\\ud800"}',
                b'{"a": 1e999}',
                b"[" * 5000 + b"]" * 5000,
                b'{"email": "a@b.c", "name": "x", "subject": "y", "message": "z", "x": NaN}',
                b"\xff\xfe{\x00}\x00",
            ]
        ),
    )


def _xml_text(value) -> str:
    return escape(str(value)) if not isinstance(value, dict | list) else escape(json.dumps(value))


def _xml_bodies():
    def build(fields):
        parts = []
        for name, value in fields.items():
            if name == "attachments" and isinstance(value, list):
                files = "".join(
                    f"<file name={quoteattr(str(next(iter(f), '')))} encoding='base64'>"
                    f"{_xml_text(next(iter(f.values()), ''))}</file>"
                    for f in value
                    if isinstance(f, dict)
                )
                parts.append(f"<attachments>{files}</attachments>")
            else:
                parts.append(f"<{name}>{_xml_text(value)}</{name}>")
        text = "<?xml version='1.0' encoding='UTF-8'?><ticket>" + "".join(parts) + "</ticket>"
        return text.encode("utf-8", "surrogatepass")

    return st.one_of(
        _ticket_fields().map(build),
        st.binary(max_size=200),
        st.sampled_from(
            [
                b"",
                b"<ticket",
                b"<?xml version='1.0'?><!DOCTYPE t [<!ENTITY a 'aaaa'>]><ticket>&a;</ticket>",
                b"<?xml version='1.0' encoding='x-nonsense'?><ticket/>",
                b"<?xml version='1.0' encoding='UTF-16'?><ticket/>",
                b"<ticket><message encoding='base64' charset='nope'>%%%</message></ticket>",
                b"<ticket>" + b"<a>" * 3000 + b"</a>" * 3000 + b"</ticket>",
                b"<ticket name='\x00'/>",
                b"<t:ticket xmlns:t='urn:x'><t:email>a@b.c</t:email></t:ticket>",
            ]
        ),
    )


def _mail_bodies():
    header = st.sampled_from(
        [
            "From",
            "To",
            "Subject",
            "Message-ID",
            "In-Reply-To",
            "References",
            "Date",
            "Content-Type",
            "Content-Transfer-Encoding",
            "Reply-To",
            "Auto-Submitted",
            "X-Foo",
        ]
    )
    value = st.one_of(
        hostile.text_values(),
        st.sampled_from(
            [
                "=?utf-8?b?////?=",
                "=?x-nonsense?q?abc?=",
                "multipart/mixed; boundary=",
                "text/plain; charset=x-nonsense",
                "base64",
                "<\x00@x>",
                "Karen <karen@example.com>",
                "\ud800@example.com",
                "Mon, 32 Dec 99999 25:61:61 +9999",
            ]
        ),
    )

    def build(headers, body):
        lines = [f"{name}: {text}" for name, text in headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogatepass") + body

    return st.one_of(
        st.builds(
            build,
            st.lists(st.tuples(header, value), max_size=8),
            st.one_of(st.binary(max_size=200), st.just(b"--\r\n--x--\r\n")),
        ),
        st.binary(max_size=200),
    )


@pytest.fixture
def osticket(world):
    """A client and a key that may create tickets, with a rate no run reaches."""
    _, plain = new_key(name="Fuzz", rate_per_minute=1_000_000)
    return FuzzClient(), plain


@pytest.mark.parametrize(
    ("format", "bodies"),
    [("json", _json_bodies()), ("xml", _xml_bodies()), ("email", _mail_bodies())],
    ids=["json", "xml", "email"],
)
def test_osticket_endpoint_never_answers_5xx_and_a_refusal_stores_nothing(osticket, format, bodies):
    client, key = osticket

    @FUZZ
    @given(
        body=bodies,
        content_type=st.sampled_from(
            [
                "application/json",
                "application/xml",
                "text/plain",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "",
                "text/plain; charset=x-nonsense",
            ]
        ),
        prefix=st.sampled_from(["/api/", "/api/http.php/"]),
        idempotency=st.one_of(st.just(""), hostile.text_values()),
    )
    def check(body, content_type, prefix, idempotency):
        headers = {"HTTP_X_API_KEY": key, "REMOTE_ADDR": "203.0.113.5"}
        if idempotency:
            headers["HTTP_IDEMPOTENCY_KEY"] = idempotency.encode("utf-8", "surrogatepass").decode(
                "latin-1"
            )
        with transaction.atomic():
            before = content_counts()
            answer = client.keep(
                "POST", f"{prefix}tickets.{format}", body, content_type or "text/plain", **headers
            )
            never_5xx(answer)
            if answer.status != 201:
                after = content_counts()
                changed = {k for k in before if before[k] != after[k]} - KEPT_WHEN_REFUSED
                assert not changed, f"a refused request stored rows in {changed}"
                assert answer.content.strip(), "a refusal says why"
            transaction.set_rollback(True)

    check()


def test_rest_api_never_answers_5xx_to_hostile_paths_and_queries(world, client, john):
    rest = RestClient(client, make_key(john, can_read=True, can_write=True))
    fuzz = FuzzClient()
    auth = rest.headers["Authorization"]
    names = query_names()

    @FUZZ
    @given(
        path=st.sampled_from(
            [
                "/tickets",
                "/tickets/{}",
                "/tickets/{}/replies",
                "/tickets/{}/notes",
                "/departments",
                "/help-topics",
                "/sla-plans",
                "/",
                "/{}",
            ]
        ),
        number=hostile.url_segment(world.known),
        query=hostile.query_string(names),
        method=st.sampled_from(["GET", "POST", "PATCH", "PUT", "DELETE"]),
        body=_json_value(),
    )
    def check(path, number, query, method, body):
        url = "/api/v1" + path.format(number) + (f"?{query}" if query else "")
        data = json.dumps(body).encode("utf-8", "surrogatepass") if method != "GET" else b""
        answer = fuzz.request(method, url, data, "application/json", HTTP_AUTHORIZATION=auth)
        never_5xx(answer)

    check()
