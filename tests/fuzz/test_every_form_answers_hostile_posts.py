"""Every POST form each kind of person can reach, sent with hostile values in each field:
never a 5xx, and a refused form stores nothing.

The forms are found by following the links of the pages each person sees and read from the
HTML they render (tests/fuzz/forms.py): the portal's forms as an anonymous visitor and as an
end user (open a ticket, reply, status lookup, sign-in, reset, rating), the staff panel's as
an agent (reply, note, assign, transfer, status, priority, bulk actions, new ticket, saved
searches), the admin panel's as an administrator, Django's admin as a superuser. Each field
gets one of its own values, a hostile value (tests/fuzz/hostile.py), several values where one
is expected, or nothing; a form with a file field also gets a file with a hostile name.

A refused form (4xx, or the page shown again) must leave every table of the helpdesk's
content as it was; a form shown again names what is wrong.
"""

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from tests import factories
from tests.fuzz import hostile
from tests.fuzz.conftest import (
    FUZZ,
    FuzzClient,
    content_counts,
    form_body,
    never_5xx,
    seeded,
)
from tests.fuzz.forms import crawl
from tickets import services
from tickets.access import ticket_access_url
from tickets.survey import survey_url

pytestmark = pytest.mark.django_db

# What a page shown again after a refused POST carries beside (or above) the fields.
ERROR_MARKERS = (b"data-error-summary", b"is-invalid", b"invalid-feedback", b"errorlist")

# POSTs that answer 200 and may store something all the same: the ticket page's "who is
# looking" beacon.
STORES_ON_200 = ("/presence/",)

# Files sent with a refused form are kept on purpose, to be offered back with the form
# (tests/tickets/test_attachments_survive_a_refused_form.py).
KEPT_WHEN_REFUSED = {"tickets.PendingUpload"}

CSRF = "csrfmiddlewaretoken"

BOUNDARY = "fuzz-boundary-7MA4YWxkTrZu0gW"


def multipart_body(data: dict, files: dict) -> bytes:
    """A multipart body whose names, values and file names may hold invalid UTF-8."""
    out = []
    for name, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            if one is None:
                continue
            out += [
                f"--{BOUNDARY}".encode(),
                b'Content-Disposition: form-data; name="' + _raw(name) + b'"',
                b"",
                _raw(one),
            ]
    for name, (filename, content) in files.items():
        out += [
            f"--{BOUNDARY}".encode(),
            b'Content-Disposition: form-data; name="'
            + _raw(name)
            + b'"; filename="'
            + _raw(filename)
            + b'"',
            b"Content-Type: application/octet-stream",
            b"",
            content,
        ]
    out += [f"--{BOUNDARY}--".encode(), b""]
    return b"\r\n".join(out)


def _raw(text) -> bytes:
    return str(text).encode("utf-8", "surrogatepass")


FILE_NAMES = st.one_of(
    st.sampled_from(
        [
            "",
            "a\x00b.txt",
            "../../etc/passwd",
            "x" * 300 + ".txt",
            "\ud800.txt",
            "con.txt",
            ".htaccess",
            'a".txt',
            "a\r\nb.txt",
        ]
    ),
    st.text(max_size=20),
)


@pytest.fixture
def resolved_ticket(world, john, karen, inquiry_topic):
    """A resolved ticket of Karen's, whose page and survey links ask for a rating."""
    ticket = factories.TicketFactory(requester=karen, help_topic=inquiry_topic)
    factories.ThreadEntryFactory(ticket=ticket, body="It broke.")
    return services.change_status(ticket, status="resolved", by=john)


def _fuzz_forms(person, roots, within, *, limit=80):
    client = FuzzClient(person)
    forms = crawl(client, roots, within=within, limit=limit)
    assert forms, f"no form found from {roots}"
    for form in forms:
        _fuzz_one(client, form)
    return forms


def _fuzz_one(client, form):
    # The CSRF token goes as the page gave it, as from a browser: without it the request
    # is refused before the form (the test client does not check it), and a POST with no
    # field at all is read as a first visit, the empty form shown without complaint.
    fields = st.fixed_dictionaries(
        {
            name: st.just(values[:1])
            if name == "csrfmiddlewaretoken"
            else hostile.form_value(values)
            for name, values in form.fields.items()
        }
    )
    files = st.fixed_dictionaries(
        {name: st.tuples(FILE_NAMES, st.binary(max_size=64)) for name in form.files}
    )

    @FUZZ
    @seeded(form.kind)
    @given(data=fields, attached=st.one_of(st.just({}), files) if form.files else st.just({}))
    def check(data, attached):
        if form.multipart:
            body = multipart_body(data, attached)
            content_type = f"multipart/form-data; boundary={BOUNDARY}"
        else:
            body, content_type = form_body(data), ""
        # Each example's rows are rolled back, so the next one starts from the same world.
        with transaction.atomic():
            before = content_counts()
            answer = client.keep("POST", form.action, body, content_type)
            never_5xx(answer)
            refused = answer.status >= 400 or (
                answer.status == 200 and not any(p in form.action for p in STORES_ON_200)
            )
            if refused:
                after = content_counts()
                changed = {k for k in before if before[k] != after[k]} - KEPT_WHEN_REFUSED
                assert not changed, f"a refused POST stored rows in {changed}: {form}"
            if answer.status == 200 and b"<form" in answer.content:
                assert any(marker in answer.content for marker in ERROR_MARKERS), (
                    f"shown again without saying what is wrong: {form}"
                )
            transaction.set_rollback(True)

    check()


def test_portal_forms_as_an_anonymous_visitor_never_answer_5xx(world, resolved_ticket):
    roots = [
        "/",
        "/tickets/new/",
        "/tickets/status/",
        "/login/",
        "/account/password-reset/",
        ticket_access_url(world.ticket),
        ticket_access_url(resolved_ticket),
        survey_url(resolved_ticket, "good"),
    ]
    _fuzz_forms(None, roots, "/")


def test_portal_forms_as_an_end_user_never_answer_5xx(world, resolved_ticket):
    roots = ["/", "/tickets/", "/tickets/new/", ticket_access_url(resolved_ticket)]
    _fuzz_forms(world.end_user, roots, "/tickets/")


def test_staff_panel_forms_never_answer_5xx(world):
    roots = [
        "/scp/",
        f"/scp/tickets/{world.ticket.number}/",
        "/scp/tickets/new/",
        "/scp/profile/",
        "/scp/profile/password/",
        "/scp/dashboard/",
        "/scp/queues/open/?q=banking",
    ]
    _fuzz_forms(world.agent, roots, "/scp/", limit=30)


def test_admin_panel_forms_never_answer_5xx(world):
    _fuzz_forms(world.admin, ["/scp/admin/"], "/scp/admin/", limit=120)


def test_staff_sign_in_and_reset_forms_never_answer_5xx(world):
    _fuzz_forms(None, ["/scp/login/", "/scp/password-reset/"], "/scp/", limit=5)


def test_djangos_admin_forms_never_answer_5xx(world):
    _fuzz_forms(world.superuser, ["/django-admin/"], "/django-admin/", limit=40)
