"""While the database is away, every page answers a plain-words 503 (not a bare 500) with
Retry-After, the API in its own format; nothing sent meanwhile is stored, and when the
database is back the same running app works again, without a restart.

For real: the app runs in a subprocess against a database of its own, which the test takes
away. On PostgreSQL it is a private cluster (never the shared server) stopped and started
with pg_ctl; on SQLite the database file is moved away and a folder put in its place, so
that opening it fails as it does on a full or unmounted disk, then put back.
"""

import re

import requests

from tests.faults.installs import AppServer

SUBJECT = "Printer on fire during the outage"
HEADING = "The helpdesk cannot reach its database just now"


def last_line(output: str) -> str:
    return output.strip().splitlines()[-1].strip()


def open_ticket_form(browser, base) -> dict:
    """What a person's browser posts from the portal's form, with a fresh submission key."""
    page = browser.get(base + "/tickets/new/", timeout=10).text
    field = lambda name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1)  # noqa: E731
    topic = re.search(r'<option value="(\d+)"', page).group(1)
    return {
        "csrfmiddlewaretoken": field("csrfmiddlewaretoken"),
        "submission_key": field("submission_key"),
        "email": "maria.lopez@example.com",
        "full_name": "Maria Lopez",
        "help_topic": topic,
        "subject": SUBJECT,
        "body": "Smoke is coming out of the printer on floor 3.",
    }


def signed_in_agent(base) -> requests.Session:
    agent = requests.Session()
    page = agent.get(base + "/scp/login/", timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    answer = agent.post(
        base + "/scp/login/",
        data={
            "csrfmiddlewaretoken": token,
            "username": "admin@example.com",
            "password": "helpdesk-demo",
        },
        timeout=10,
        allow_redirects=False,
    )
    assert answer.status_code == 302
    return agent


def count_tickets(install) -> int:
    code = (
        "from tickets.models import Ticket; "
        f"print(Ticket.objects.filter(subject={SUBJECT!r}).count())"
    )
    return int(install.shell(code))


def test_pages_and_api_answer_503_while_the_database_is_away_and_work_when_it_is_back(outage):
    install = outage.install
    create_key = last_line(
        install.manage("create_api_key", "--name", "Monitor", "--can-create-tickets")
    )
    read_key = last_line(
        install.manage(
            "create_api_key", "--name", "Reader", "--agent", "admin@example.com", "--can-read"
        )
    )
    api_ticket = {
        "name": "Nagios",
        "email": "nagios@example.com",
        "subject": "db01 down",
        "message": "data:text/plain,ping%20failed",
    }
    with AppServer(install) as app:
        browser = requests.Session()
        assert browser.get(app.base + "/", timeout=10).status_code == 200
        form = open_ticket_form(browser, app.base)
        agent = signed_in_agent(app.base)

        outage.take_away()

        # Pages that need no database still answer: the portal's home and its form (whose
        # topics are kept a few seconds), to a stranger.
        assert requests.get(app.base + "/", timeout=30).status_code == 200
        for who, path in [
            (agent, "/scp/"),
            (agent, "/scp/queues/closed/"),
            (agent, "/scp/dashboard/"),
            (agent, "/scp/admin/"),
        ]:
            page = who.get(app.base + path, timeout=30)
            assert page.status_code == 503, path
            assert HEADING in page.text, path
            assert "Nothing you sent was saved" in page.text
            assert page.headers["Retry-After"] == "30"
            assert "sessionid" not in page.cookies and "csrftoken" not in page.cookies
            assert "Traceback" not in page.text
        sent = browser.post(app.base + "/tickets/new/", data=form, timeout=30)
        assert sent.status_code == 503
        assert HEADING in sent.text

        osticket = requests.post(
            app.base + "/api/tickets.json",
            json=api_ticket,
            headers={"X-API-Key": create_key},
            timeout=30,
        )
        assert osticket.status_code == 503
        assert osticket.headers["Content-Type"].startswith("text/plain")
        assert "cannot reach its database" in osticket.text
        assert osticket.headers["Retry-After"] == "30"
        rest = requests.get(
            app.base + "/api/v1/tickets",
            timeout=30,
            headers={"Authorization": f"Bearer {read_key}"},
        )
        assert rest.status_code == 503
        assert rest.headers["Content-Type"] == "application/problem+json"
        assert rest.json()["type"] == "urn:helpdesk:problem:unavailable"
        assert rest.headers["Retry-After"] == "30"

        assert requests.get(app.base + "/healthz", timeout=10).status_code == 200
        ready = requests.get(app.base + "/readyz", timeout=30)
        assert (ready.status_code, ready.json()["status"]) == (503, "not ready")

        outage.bring_back()

        # The same process, without a restart.
        assert requests.get(app.base + "/readyz", timeout=30).status_code == 200
        assert agent.get(app.base + "/scp/", timeout=10).status_code == 200
        again = browser.post(
            app.base + "/tickets/new/",
            data=open_ticket_form(browser, app.base),
            timeout=30,
            allow_redirects=False,
        )
        assert again.status_code == 302, again.text[-2000:]
        assert (
            requests.post(
                app.base + "/api/tickets.json",
                json=api_ticket,
                timeout=30,
                headers={"X-API-Key": create_key},
            ).status_code
            == 201
        )

    # What was sent during the outage left nothing behind; what was sent after, once.
    assert count_tickets(install) == 1
