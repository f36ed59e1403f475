"""The web client against the running platform of the e2e tier (``stack``).

``web``: a Flask test client of the web client, a fresh browser-like cookie jar per test,
for each view's branches (the gateway's answers are the real gateway's). ``web_url``: the
web client served by granian, for the browser tests (``browser``, Debian's Chromium
driven by Playwright). ``axe(page)``: axe-core's serious and critical violations.
"""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.support.processes import start_web
from tests.support.tcp_proxy import free_port
from web.app import create_app
from web.settings import WebSettings

SESSIONS = "redis://127.0.0.1:6379/14"
AXE = Path(__file__).resolve().parents[3] / "web" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture(scope="session")
def web_app(stack):
    return create_app(WebSettings(env="test", gateway_url=stack, session_url=SESSIONS))


@pytest.fixture
def web(web_app):
    with web_app.test_client() as client:
        yield client


@pytest.fixture(scope="session")
def web_url(stack):
    port = free_port()
    process = start_web(port, {"CS_WEB_GATEWAY_URL": stack, "CS_WEB_SESSION_URL": SESSIONS})
    yield f"http://127.0.0.1:{port}"
    process.kill()


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: run `apt-get install chromium` (.ci/run installs it on CI)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    """``axe(page)`` → the serious and critical accessibility violations of the page as it is now."""
    source = AXE.read_text()

    def violations(page) -> list[dict]:
        page.evaluate(source + "\n;0")  # through the DevTools protocol: the page's CSP forbids an inline script
        found = page.evaluate("async () => (await axe.run(document)).violations")
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in found
            if v["impact"] in ("serious", "critical")
        ]

    return violations
