"""The REST API's documentation page in a real browser, under the app's strict CSP."""

import re

from playwright.sync_api import expect

from tests.api.conftest import make_key

# Recorded by the page itself, before any of its scripts run: a blocked script or style.
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_the_docs_render_every_operation_with_no_csp_violation(page, live_server):
    page.add_init_script(RECORD_CSP_VIOLATIONS)

    response = page.goto("/api/v1/docs")

    assert "unsafe-inline" not in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", name=re.compile("Helpdesk REST API"))).to_be_visible()
    for summary in ["List Tickets", "Get Ticket", "Create Ticket", "Change Ticket", "Post Reply"]:
        expect(page.get_by_text(summary, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Authorize"))).to_be_visible()
    assert page.evaluate("window.cspViolations") == []


def test_a_call_tried_out_from_the_docs_answers_with_the_key(page, live_server, john, sev_a):
    key = make_key(john, can_read=True)
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    page.goto("/api/v1/docs")

    page.get_by_role("button", name=re.compile("Authorize")).first.click()
    page.get_by_label("auth-bearer-value").fill(key)
    page.get_by_role("button", name="Apply credentials").click()
    page.get_by_role("button", name="Close", exact=True).click()
    page.get_by_text("List Sla Plans", exact=True).click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()

    expect(page.locator(".live-responses-table")).to_contain_text("Sev-A")
    assert page.evaluate("window.cspViolations") == []
