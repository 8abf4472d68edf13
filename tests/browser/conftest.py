"""Debian's Chromium, driven by Playwright, against the live test server.

Every test here is marked `browser`. Chromium is required: if it cannot start, the tests
fail with the reason instead of being skipped, so a green run always means they ran.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000

_BROWSER_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(_BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the browser tests; each test gets its own context.

    While Playwright runs, its event loop is running in the tests' thread, and Django
    refuses ORM calls from there unless DJANGO_ALLOW_ASYNC_UNSAFE is set. The variable is
    set for exactly as long as Playwright runs (this package's tests), not at import: set
    for the whole run it would leak into the other tests, and `manage.py check --deploy`
    in tests/test_deploy_check.py reports it as async.E001.
    """
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
        playwright = sync_playwright().start()
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        except PlaywrightError as error:
            reason = (str(error).strip().splitlines() or ["unknown error"])[0]
            browser = None
        if browser is None:
            playwright.stop()
            pytest.fail(f"Chromium could not be launched at {executable}: {reason}", pytrace=False)
        expect.set_options(timeout=TIMEOUT_MS)
        yield browser
        browser.close()
        playwright.stop()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (own cookies) on the live server; fails on any console error.

    The app sends a strict Content-Security-Policy, so an inline script or style shows up
    here as a console error, as does any uncaught JavaScript exception or a stylesheet or
    script that fails to load.
    """
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems = []

    def on_console(message):
        if message.type == "error":
            url = message.location.get("url", "")
            problems.append(f"console error on {page.url}: {message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught error on {page.url}: {error}"))
    yield page
    context.close()
    if problems:
        pytest.fail("The browser reported errors:\n" + "\n".join(problems), pytrace=False)


PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def screenshot(page, request):
    """Saves the page as var/screenshots/<test name>[-<step>].png."""
    folder = settings.BASE_DIR / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(step=""):
        name = request.node.name + (f"-{step}" if step else "")
        page.screenshot(path=folder / f"{name}.png", full_page=True)

    return take


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    # Without animation, a menu is fully open as soon as it shows, also in the screenshots.
    page.emulate_media(reduced_motion="reduce")
    return page


@pytest.fixture
def desktop(page):
    page.set_viewport_size(DESKTOP)
    return page
