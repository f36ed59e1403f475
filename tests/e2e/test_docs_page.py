"""The API documentation page, opened in a real browser: every operation of the document is on it.

Chromium is Debian's (``apt-get install chromium``; ``.ci/run`` installs it), driven by
Playwright: Playwright's own browser download cannot run where the tests do. A
missing Chromium fails the test with that instruction instead of skipping it.
"""

import shutil
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

pytestmark = pytest.mark.e2e

CHROMIUM = "chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture(scope="module")
def browser():
    executable = shutil.which(CHROMIUM)
    if executable is None:
        pytest.fail("Chromium is not installed: run `apt-get install chromium` (.ci/run installs it on CI)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        yield browser
        browser.close()


def test_the_docs_page_shows_every_operation_of_the_document(browser, api, stack):
    spec = api("GET", "/api/v1/openapi.json").json()
    documented = {
        (method.upper(), path) for path, item in spec["paths"].items() for method in item if method in METHODS
    }
    assert len(documented) > 20

    page = browser.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{stack}/api/docs")
    page.wait_for_selector(".opblock, .errors-wrapper", timeout=20_000)  # drawn, or refused

    shown = page.eval_on_selector_all(
        ".opblock",
        """blocks => blocks.map(block => [
            block.querySelector('.opblock-summary-method').textContent,
            block.querySelector('.opblock-summary-path').dataset.path])""",
    )
    assert {(method, path) for method, path in shown} == documented
    assert spec["info"]["title"] in page.inner_text(".info .title")
    assert page.locator(".errors-wrapper").count() == 0
    assert "Unable to render" not in page.content()
    assert [url for url in requested if urlsplit(url).netloc != urlsplit(stack).netloc] == []  # all offline
    page.close()
