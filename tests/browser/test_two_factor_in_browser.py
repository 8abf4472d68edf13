"""An agent turns on two-factor from their profile with a code computed from the secret the
page shows, as an authenticator app would, then signs in again with the password and a code."""

import re

from playwright.sync_api import expect

from accounts import twofactor
from tests.accounts.twofactor_helpers import code_for_secret

PASSWORD = "correct horse battery staple"


def sign_in(page, email, password):
    page.goto("/scp/login/")
    page.get_by_label("Email Address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log In").click()


def test_an_agent_turns_on_two_factor_and_signs_in_with_a_code(page, john):
    sign_in(page, "john@example.com", PASSWORD)
    page.get_by_role("link", name="John Miller").click()
    page.get_by_role("link", name="Two-factor sign-in").click()

    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    secret = page.get_by_label("Secret key").inner_text()
    page.get_by_role("textbox", name="Code").fill(code_for_secret(secret))
    page.get_by_role("button", name="Turn On Two-Factor").click()

    expect(page.get_by_role("heading", name="Two-factor sign-in is on")).to_be_visible()
    expect(page.get_by_role("list", name="Backup codes").get_by_role("listitem")).to_have_count(
        twofactor.BACKUP_CODES
    )
    assert twofactor.has_two_factor(john.user)

    page.get_by_role("button", name="Log Out").click()
    sign_in(page, "john@example.com", PASSWORD)

    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_role("textbox", name="Code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()

    # The code used to turn it on is spent; the app's next code signs in. A wrong code
    # slows the next try for a second.
    page.wait_for_timeout(1100)
    page.get_by_role("textbox", name="Code").fill(code_for_secret(secret, steps_ahead=1))
    page.get_by_role("button", name="Verify").click()

    expect(page).to_have_url(re.compile(r"/scp/$"))
    expect(page.get_by_role("link", name="John Miller")).to_be_visible()
