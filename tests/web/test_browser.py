"""The web app in a real browser: Debian's chromium driven by Playwright (installed by .ci/run).

Screenshots of the main pages are saved under test-output/screens/ for a person to look at.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from storyline.web.app import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENS = Path(__file__).resolve().parents[2] / "test-output" / "screens"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (.ci/run installs it)"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(demo_db):
    port = _free_port()
    app = create_app(demo_db)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(base_url):
    from playwright.sync_api import sync_playwright

    SCREENS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.errors = errors  # type: ignore[attr-defined]
        yield tab
        browser.close()


def test_story_page_shows_map_markers_and_timeline(page, base_url):
    page.goto(base_url + "/")
    page.screenshot(path=str(SCREENS / "stories.png"), full_page=True)
    page.locator("ol.story-list a").first.click()  # the largest story: the demo's siege
    page.wait_for_selector("#map[data-markers]", timeout=15000)
    assert int(page.get_attribute("#map", "data-markers")) > 0
    assert page.locator("#map path.leaflet-interactive").count() > 0  # circle markers drawn
    page.wait_for_selector("#timeline[data-items]", timeout=15000)
    assert page.locator("#timeline li.item").count() > 0
    page.screenshot(path=str(SCREENS / "story.png"), full_page=True)
    assert not page.errors  # type: ignore[attr-defined]


def test_entity_link_opens_dossier(page, base_url):
    page.goto(base_url + "/")
    page.locator("ol.story-list a").first.click()
    link = page.locator("ul.entities a").first
    name = link.inner_text()
    link.click()
    page.wait_for_load_state("load")
    assert name in page.locator("h1").inner_text()
    page.screenshot(path=str(SCREENS / "entity.png"), full_page=True)


def test_injected_script_is_shown_as_text(page, base_url):
    page.goto(base_url + "/?q=Ourika")  # only the hostile article mentions Ourika in the demo database
    page.locator("ol.story-list a").first.click()
    page.locator("ul.sources a", has_text="convoy").first.click()
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned = 1</script>" in page.locator("article.text").inner_text()
    page.screenshot(path=str(SCREENS / "article.png"), full_page=True)
