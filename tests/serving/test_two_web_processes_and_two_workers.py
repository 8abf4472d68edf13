"""The app keeps no state in a process: two web processes (gunicorn, one worker each) and two
task workers, started from Procfile.serve's lines against one database with Redis as the
shared cache, behave as one.

On PostgreSQL: two web processes and two workers. On SQLite, the embedded default for one
machine, the same with the two web processes and two workers on one database file; it is
what several gunicorn workers on one machine amount to.
"""

import re
import time
from collections import Counter

import pytest
from django.conf import settings

from helpdesk.memo import LIFETIME as MEMO_LIFETIME  # a process keeps its copies this long
from tests.mailservers import SMTPSink
from tests.serving.deployment import Deployment
from tests.serving.seed import AGENTS, API_RATE, PASSWORD
from tests.serving.visitor import Tally, Visitor

LOGIN_FAILURES = settings.HELPDESK_LOGIN_FAILURES_PER_ACCOUNT
ACCESS_LINK = re.compile(r'href="(/tickets/view/[^"]+/)"')
NUMBER = re.compile(r"#(\d{6,})")


@pytest.fixture(scope="module")
def sink():
    with SMTPSink() as server:
        yield server


@pytest.fixture(scope="module")
def served(tmp_path_factory, sink):
    """The deployment, its two web processes' base URLs, and its two workers."""
    with Deployment(tmp_path_factory.mktemp("served"), smtp_port=sink.port) as deployment:
        stack = deployment.stack
        webs = [stack.web(workers=1), stack.web(workers=1)]
        stack.worker()
        stack.worker()
        deployment.webs = webs
        yield deployment
        print(stack.logs_text())


@pytest.fixture
def tally():
    answers = Tally()
    yield answers
    assert answers.five_hundreds == 0, answers.server_errors


def open_ticket(visitor, web, topic_id, subject, body="The printer jams on every page."):
    form = visitor.get(f"{web}/tickets/new/", "portal form")
    done = visitor.submit(
        form,
        "open ticket",
        email=f"{subject.split()[0].lower()}@customer.example",
        full_name="Pat Customer",
        help_topic=str(topic_id),
        subject=subject,
        body=body,
    )
    assert done.status_code == 200 and "/tickets/new/done/" in done.url, done.text[:2000]
    return NUMBER.search(done.text).group(1), web + ACCESS_LINK.search(done.text).group(1)


def agent(tally, web, email=AGENTS[1]):
    visitor = Visitor(tally)
    visitor.sign_in(f"{web}/scp/login/", email, PASSWORD)
    return visitor


def test_a_ticket_opened_through_one_web_process_is_answered_through_the_other(served, tally):
    web1, web2 = served.webs
    topic = served.seeded["topics"]["General"]
    customer = Visitor(tally)
    number, link = open_ticket(customer, web1, topic, "Scanner offline since Monday")

    john = agent(tally, web2)
    page = john.get(f"{web2}/scp/tickets/{number}/", "staff ticket")
    assert "Scanner offline since Monday" in page.text
    answer = john.submit(page, "staff reply", "/reply/", body="Restarted the scanner for you.")
    assert "Reply posted." in answer.text

    seen = customer.get(link.replace(web1, web2), "portal ticket")  # either process
    assert "Restarted the scanner for you." in seen.text
    thread = [(kind, body) for n, kind, body in served.facts()["entries"] if n == number]
    assert thread == [
        ("message", "The printer jams on every page."),
        ("response", "Restarted the scanner for you."),
    ]


def test_an_agents_presence_recorded_by_one_process_shows_through_the_other(served, tally):
    web1, web2 = served.webs
    number, _ = open_ticket(
        Visitor(tally), web1, served.seeded["topics"]["General"], "Keyboard missing keys"
    )
    john, jane = agent(tally, web1, AGENTS[1]), agent(tally, web2, AGENTS[2])

    page = john.get(f"{web1}/scp/tickets/{number}/", "staff ticket")
    token = john.form(page, "/reply/").fields["csrfmiddlewaretoken"]
    john.post(
        f"{web1}/scp/tickets/{number}/presence/",
        {"csrfmiddlewaretoken": token, "replying": "1"},
        "presence",
    )
    page = jane.get(f"{web2}/scp/tickets/{number}/", "staff ticket")
    token = jane.form(page, "/reply/").fields["csrfmiddlewaretoken"]
    answer = jane.post(
        f"{web2}/scp/tickets/{number}/presence/", {"csrfmiddlewaretoken": token}, "presence"
    )

    assert answer.json() == {"others": ["John Agent (replying)"]}


def _api_key_rate(served, tally, web):
    """One request of the seeded API key (at most API_RATE a minute)."""
    visitor = Visitor(tally)
    headers = {"Authorization": f"Bearer {served.seeded['api_key']}"}
    return visitor.get(f"{web}/api/v1/help-topics", "api", headers=headers).status_code


# A wrong password for one account: the failure that reaches the limit and every sign-in after
# it answer 429 (accounts.lockout), the right password too.
LOCKED_ACCOUNT = AGENTS[-1]


def _wrong_password(served, tally, web):
    visitor = Visitor(tally)
    page = visitor.get(f"{web}/scp/login/", "sign in")
    return visitor.submit(page, "sign in", username=LOCKED_ACCOUNT, password="not it").status_code


# Each limit kept in Django's cache: (how one request is made, how many answer 200 before the
# limit, which the next ones from either process reach).
LIMITS = {
    "api key rate": (_api_key_rate, API_RATE),
    "sign-in failures per account": (_wrong_password, LOGIN_FAILURES - 1),
}


@pytest.mark.parametrize("limit", LIMITS)
def test_a_limit_counts_requests_through_both_processes_together(served, tally, limit):
    spend, allowed = LIMITS[limit]
    web1, web2 = served.webs
    if time.time() % 60 > 45:  # the counts are per minute: start inside one
        time.sleep(61 - time.time() % 60)

    statuses = [spend(served, tally, served.webs[n % 2]) for n in range(allowed)]
    over = [spend(served, tally, web) for web in (web1, web2)]

    assert statuses == [200] * allowed
    assert over == [429, 429]
    tally.by_status[429] -= 2  # expected answers, not failures
    if limit == "sign-in failures per account":
        # Even the right password is refused now, by either process.
        for web in (web1, web2):
            visitor = Visitor(tally)
            page = visitor.get(f"{web}/scp/login/", "sign in")
            answer = visitor.submit(page, "sign in", username=LOCKED_ACCOUNT, password=PASSWORD)
            assert answer.status_code == 429 and "sessionid" not in visitor.session.cookies
            tally.by_status[429] -= 1


def test_mail_queued_through_both_processes_is_sent_once_by_the_two_workers(served, sink, tally):
    topic = served.seeded["topics"]["General"]
    for n in range(6):
        open_ticket(Visitor(tally), served.webs[n % 2], topic, f"Mailtest{n} laptop fan noise")

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        mail = served.facts()["mail"]
        if mail and all(status == "sent" for _, _, status, _ in mail):
            break
        time.sleep(1)
    mail = served.facts()["mail"]
    assert mail and {status for _, _, status, _ in mail} == {"sent"}, mail
    time.sleep(2)  # anything sent twice would arrive now
    received = Counter(message.message["Message-ID"].strip("<>") for message in sink.messages)
    queued = [message_id.strip("<>") for message_id, *_ in mail]
    assert sorted(received.elements()) == sorted(queued)
    assert received.most_common(1)[0][1] == 1
    subjects = " ".join(message.message["Subject"] for message in sink.messages)
    assert all(f"Mailtest{n}" in subjects for n in range(6))


def test_a_topic_switched_off_through_one_process_leaves_the_others_form_in_seconds(served, tally):
    web1, web2 = served.webs
    fax = served.seeded["topics"]["Fax Machines"]
    customer = Visitor(tally)

    def offered(web):
        form = customer.form(customer.get(f"{web}/tickets/new/", "portal form"))
        return str(fax) in form.choices.get("help_topic", [])

    assert offered(web1) and offered(web2)  # both processes now keep a copy of the topics
    ada = agent(tally, web1, AGENTS[0])
    page = ada.get(f"{web1}/scp/admin/topics/{fax}/", "admin topic")
    ada.submit(page, "admin deactivate", "/deactivate/")
    switched_off = time.monotonic()
    assert served.facts()["topics_active"]["Fax Machines"] is False

    assert not offered(web1)  # the process that saved it forgot its copy at once
    while offered(web2):
        assert time.monotonic() - switched_off < MEMO_LIFETIME + 1, "web 2 still offers it"
        time.sleep(0.5)
