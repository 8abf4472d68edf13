"""An agent who mistypes their password too often sees why they cannot sign in, and when
they can try again, in the staff panel's layout; the right password does not get them in."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS


@pytest.fixture
def page(browser, live_server):
    """A tab like conftest's `page`, failing on console errors, except Chromium's note that
    the page itself came with status 429, which is what this test expects."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    problems = []

    def on_console(message):
        if message.type == "error" and "status of 429" not in message.text:
            problems.append(message.text)

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: problems.append(str(error)))
    yield tab
    context.close()
    assert problems == []


def sign_in(page, password):
    page.get_by_label(re.compile(r"^\s*Email Address")).fill("john@example.com")
    page.get_by_label(re.compile(r"^\s*Password")).fill(password)
    page.get_by_role("button", name="Log In").click()


def test_a_locked_out_agent_is_told_when_to_try_again(page, john, settings):
    settings.HELPDESK_LOGIN_FAILURES_PER_ACCOUNT = 3
    page.goto("/scp/login/")
    for attempt in range(2):
        sign_in(page, f"wrong guess {attempt}")
        expect(
            page.get_by_text("Please enter a correct email address and password.")
        ).to_be_visible()

    sign_in(page, "wrong guess 2")

    expect(page.get_by_role("heading", level=1, name="Signing in is paused")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text("Please try again in 15 minutes.")
    expect(page.get_by_role("navigation", name="Staff Control Panel")).to_be_visible()
    expect(page.get_by_role("link", name="Set a new password by email")).to_be_visible()

    page.goto("/scp/login/")
    sign_in(page, "correct horse battery staple")

    expect(page.get_by_role("heading", level=1, name="Signing in is paused")).to_be_visible()
    page.goto("/scp/")
    expect(page).to_have_url(re.compile(r"/scp/login/"))
