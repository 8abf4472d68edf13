"""POST /api/tickets.xml with osTicket's XML form, read safely: no DTD, no entity expanded,
nothing outside the body fetched."""

import time

import pytest

from tests.api.conftest import post, text_of
from tickets.models import Event, Priority, Source, Ticket

URL = "/api/tickets.xml"
GIF = (
    "R0lGODdhMAAwAPAAAAAAAP///ywAAAAAMAAwAAAC8IyPqcvt3wCcDkiLc7C0qwy\n"
    "            GHhSWpjQu5yqmCYsapyuvUUlvONmOZtfzgFzByTB10QgxOR0TqBQejhRNzOfkVJ\n"
)

# osTicket's documented example (setup/doc/api/tickets.md), its GIF shortened.
DOCUMENTED = f"""<?xml version="1.0" encoding="UTF-8"?>
<ticket alert="true" autorespond="true" source="API">
    <name>Angry User</name>
    <email>api@osticket.com</email>
    <subject>Testing API</subject>
    <phone ext="123">318-555-8634</phone>
    <message><![CDATA[Message content here]]></message>
    <attachments>
        <file name="file.txt" type="text/plain"><![CDATA[
            File content is here and is automatically trimmed
        ]]></file>
        <file name="image.gif" type="image/gif" encoding="base64">
            {GIF}
        </file>
    </attachments>
    <ip>123.211.233.122</ip>
</ticket>
"""


@pytest.fixture(autouse=True)
def _topic(outage_topic):
    """The topic tickets without a topicId take."""


def test_the_documented_xml_makes_a_ticket(client, ticket_key):
    response = post(client, URL, DOCUMENTED, ticket_key, content_type="text/xml")

    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert text_of(response) == ticket.number
    assert (ticket.subject, ticket.given_name) == ("Testing API", "Angry User")
    assert ticket.given_phone == "318-555-8634 x123"
    assert ticket.source == Source.API
    entry = ticket.thread.get()
    assert entry.body == "Message content here"
    files = {a.filename: a.file.read() for a in entry.attachments.all()}
    assert files["file.txt"] == b"File content is here and is automatically trimmed"
    assert files["image.gif"].startswith(b"GIF87a")
    assert Event.objects.get(ticket=ticket, kind="created").data["ip"] == "123.211.233.122"


def test_simple_fields_may_be_attributes_of_the_ticket(client, ticket_key, inquiry_topic):
    xml = (
        f'<ticket name="Nagios" email="nagios@example.com" subject="disk full" '
        f'topicId="{inquiry_topic.pk}" priority="4" source="Other" alert="false">'
        "<message>/var is at 99%</message></ticket>"
    )

    response = post(client, URL, xml, ticket_key)

    assert response.status_code == 201, text_of(response)
    ticket = Ticket.objects.get()
    assert ticket.help_topic == inquiry_topic
    assert ticket.priority == Priority.EMERGENCY
    assert ticket.source == Source.OTHER


def test_an_html_message_is_sanitised(client, ticket_key):
    xml = (
        "<ticket><name>A</name><email>a@example.com</email><subject>S</subject>"
        '<message type="text/html"><![CDATA[<p>Hello <img src=x onerror=alert(1)>'
        "<b>there</b></p>]]></message><notes>From the web shop</notes></ticket>"
    )

    post(client, URL, xml, ticket_key)

    ticket = Ticket.objects.get()
    assert ticket.thread.get(kind="message").body == "Hello there"
    assert ticket.thread.get(kind="note").body == "From the web shop"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE ticket [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<ticket><name>&lol9;</name><email>a@example.com</email><subject>S</subject>
<message>M</message></ticket>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE ticket [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<ticket><name>A</name><email>a@example.com</email><subject>S</subject>
<message>&secret;</message></ticket>"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE ticket SYSTEM "http://127.0.0.1:9/evil.dtd">
<ticket><name>A</name><email>a@example.com</email><subject>S</subject>
<message>M</message></ticket>"""


@pytest.mark.parametrize(
    "xml",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD],
    ids=["billion laughs", "external entity", "external DTD"],
)
def test_an_xml_bomb_is_refused_at_once_and_stores_nothing(client, ticket_key, xml):
    started = time.monotonic()
    response = post(client, URL, xml, ticket_key)

    assert response.status_code == 400
    assert "Invalid XML" in text_of(response)
    assert "root:" not in text_of(response)
    assert time.monotonic() - started < 2
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    "xml, reason",
    [
        ("<ticket><name>A</name>", "Invalid XML"),
        ("not xml at all", "Invalid XML"),
        ("<order><name>A</name></order>", "root element must be <ticket>"),
        (
            "<ticket><name>A</name><subject>S</subject><message>M</message></ticket>",
            "email: required field missing",
        ),
        (
            '<ticket name="A" email="a@example.com" subject="S"><message>M</message>'
            '<attachments><file name="x.txt" encoding="base64">!!!</file></attachments></ticket>',
            "attachments: x.txt: the data is not valid base64",
        ),
        (
            '<ticket name="A" email="a@example.com" subject="S"><message type="image/png">M'
            "</message></ticket>",
            "message: type must be text/plain or text/html",
        ),
    ],
)
def test_bad_xml_is_answered_400_naming_what_is_wrong(client, ticket_key, xml, reason):
    response = post(client, URL, xml, ticket_key)

    assert response.status_code == 400
    assert reason in text_of(response)
    assert not Ticket.objects.exists()
