"""End to end in headless Chromium: ingest, search, document, entity, review, XSS.

The server runs in a thread on 127.0.0.1 (a free port) against a temporary
knowledge base holding the bundled examples (ingested by the real workflow),
the sample knowledge base of these tests (entities and statements, whatever
the pipeline produces today) and, through the ingest page, ../shared/examples
and a hostile document. Screenshots go to artifacts/screenshots/ (a CI
artefact). Skipped when Chromium is not installed; a failure when CI is set.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rasid.web.app import create_app
from rasid.web.config import WebConfig

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = "/usr/bin/chromedriver"

HOSTILE = (
    "بيان مريب للاختبار\n\n"
    'جاء في النص <script>document.title="pwned";alert("xss")</script> ثم '
    '<img src=x onerror="alert(1)"> وبعده <a href="javascript:alert(2)">اضغط هنا</a> '
    "وأخيراً \u202eنص معكوس الاتجاه\u202c انتهى."
)

pytestmark = [pytest.mark.slow, pytest.mark.shared]


def _require_browser() -> None:
    missing = []
    if CHROMIUM is None:
        missing.append("chromium")
    if not Path(CHROMEDRIVER).exists():
        missing.append("chromium-driver (/usr/bin/chromedriver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if missing:
        reason = f"{', '.join(missing)} not installed (scripts/setup installs them as root)"
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    def __init__(self, db: Path) -> None:
        import uvicorn

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(WebConfig(db_path=db, port=self.port))
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    _require_browser()
    from sample_kb import build

    from rasid.workflows import ingest

    db = tmp_path_factory.mktemp("browser") / "kb.db"
    report = ingest([str(REPO / "examples")], db)
    assert report.taken_in >= 4 and not report.failed, report.to_dict()
    build(db)
    with LiveServer(db) as server:
        yield server


@pytest.fixture(scope="module")
def browser(live: LiveServer) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="rasid-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1600",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _shot(driver: Any, name: str) -> None:
    """A screenshot of the whole page, not only the window."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(800, min(int(height) + 100, 8000)))
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    driver.set_window_size(1280, 1600)


def _wait(driver: Any, condition: Any, timeout: float = 60) -> Any:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # A form's POST answers with a redirect: an element found while the old page
    # is being replaced goes stale under the condition; look again.
    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(driver, timeout, ignored_exceptions=ignored).until(condition)


def _no_alert(driver: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    raise AssertionError(f"a script ran: alert({text!r})")


def _page_is_clean(driver: Any, live: LiveServer) -> None:
    """No alert, no CSP violation, nothing loaded from anywhere but this server."""
    _no_alert(driver)
    resources = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert all(url.startswith(live.url) for url in resources), resources
    errors = [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"]
    ]
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


def _ingest_through_page(
    driver: Any, live: LiveServer, *, files: list[Path] | None = None, text: str | None = None
) -> dict[str, str]:
    from selenium.webdriver.common.by import By

    driver.get(f"{live.url}/ingest")
    if text is not None:
        driver.find_element(By.ID, "paste").send_keys(text)
    if files:
        driver.find_element(By.ID, "files").send_keys("\n".join(str(f) for f in files))
    driver.find_element(By.ID, "ingest-button").click()
    _wait(driver, lambda d: d.find_element(By.ID, "job-state").text in ("done", "failed"), 240)
    state = driver.find_element(By.ID, "job-state").text
    taken_in = driver.find_element(By.ID, "job-taken-in").text
    return {
        "state": state,
        "taken_in": taken_in,
        "error": driver.find_element(By.ID, "job-error").text,
    }


def test_ingest_search_document_entity_review(
    browser: Any, live: LiveServer, examples_dir: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    files = sorted(examples_dir.glob("*.txt"))
    assert files
    job = _ingest_through_page(driver, live, files=files)
    _shot(driver, "01-ingest-done")
    assert job["state"] == "done", job
    assert int(job["taken_in"]) == len(files)
    _page_is_clean(driver, live)

    # Search (Arabic, right to left) with highlighted snippets.
    driver.get(f"{live.url}/")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    box = driver.find_element(By.ID, "q")
    box.send_keys("جيش الخلافة")
    driver.find_element(By.ID, "search-button").click()
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "li.hit"))
    _shot(driver, "02-search")
    hits = driver.find_elements(By.CSS_SELECTOR, "li.hit")
    assert hits and driver.find_elements(By.CSS_SELECTOR, "li.hit mark.hit")
    assert "جيش" in driver.find_element(By.CSS_SELECTOR, "li.hit mark.hit").text
    _page_is_clean(driver, live)

    # The document: provenance, text with highlighted mentions.
    hits[0].find_element(By.CSS_SELECTOR, "a.hit-title").click()
    _wait(driver, lambda d: d.find_elements(By.ID, "doc-text"))
    _shot(driver, "03-document")
    page = driver.find_element(By.TAG_NAME, "main").text
    assert "جيش الخلافة" in page
    assert driver.find_elements(By.CSS_SELECTOR, "code.hash")
    assert len(driver.find_element(By.CSS_SELECTOR, "code.hash").text) == 64
    _page_is_clean(driver, live)

    # English interface toggle, kept by cookie.
    driver.find_element(By.ID, "lang-toggle").click()
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("dir") == "ltr")
    assert "Provenance" in driver.find_element(By.TAG_NAME, "main").text
    _shot(driver, "04-document-en")
    driver.get(f"{live.url}/?lang=ar")

    # An entity: names in both scripts, timeline chart, map, network, sources.
    driver.get(f"{live.url}/?q=داعش")
    link = _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, 'a[href="/entities/ent-isis"]'))
    link[0].click()
    _wait(driver, lambda d: d.find_elements(By.ID, "entity-title"))
    _shot(driver, "05-entity")
    title = driver.find_element(By.ID, "entity-title").text
    assert "تنظيم داعش" in title and "ISIS" in title
    for selector in ("svg.chart circle", "svg.map circle", "svg.map .land path", "svg.network a"):
        assert driver.find_elements(By.CSS_SELECTOR, selector), selector
    assert len(driver.find_elements(By.CSS_SELECTOR, "#sources li")) == 2
    _page_is_clean(driver, live)

    # Review: accept a statement; the decision is shown, and kept after a reload
    # and after the pipeline runs again over the same inputs.
    card = driver.find_elements(By.CSS_SELECTOR, ".statement")[0]
    statement_id = card.get_attribute("id")
    card.find_element(By.TAG_NAME, "summary").click()
    card.find_element(By.NAME, "author").send_keys("محلل الاختبار")
    card.find_element(By.NAME, "note").send_keys("مطابق للمصدر")
    card.find_element(By.CSS_SELECTOR, 'button[value="accept"]').click()
    _wait(
        driver,
        lambda d: "status-accepted" in d.find_element(By.ID, statement_id).get_attribute("class"),
    )
    _shot(driver, "06-reviewed")
    from rasid.workflows import ingest

    again = ingest(
        [str(REPO / "examples"), str(examples_dir)], live.app.state.workbench.config.db_path
    )
    assert again.taken_in == 0 and again.already_known >= len(files)
    driver.refresh()
    card = _wait(driver, lambda d: d.find_element(By.ID, statement_id))
    assert "status-accepted" in card.get_attribute("class")
    assert "محلل الاختبار" in card.text and "مطابق للمصدر" in card.text
    _page_is_clean(driver, live)


def test_hostile_document_renders_as_inert_text(browser: Any, live: LiveServer) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    job = _ingest_through_page(driver, live, text=HOSTILE)
    assert job["state"] == "done" and job["taken_in"] == "1", job
    driver.get(f"{live.url}/?q=مريب")
    hit = _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "li.hit a.hit-title"))
    hit[0].click()
    _wait(driver, lambda d: d.find_elements(By.ID, "doc-text"))
    _shot(driver, "07-hostile-document")
    _no_alert(driver)
    assert driver.title != "pwned"
    injected = driver.execute_script(
        "const t = document.getElementById('doc-text');"
        "return t.querySelectorAll('script, img, iframe, object, svg, a[href^=\"javascript\"]').length"
    )
    assert injected == 0
    text = driver.find_element(By.ID, "doc-text").text
    assert '<script>document.title="pwned";alert("xss")</script>' in text
    assert '<img src=x onerror="alert(1)">' in text
    assert '<a href="javascript:alert(2)">' in text
    assert "⟦U+202E⟧نص معكوس الاتجاه⟦U+202C⟧" in text
    _page_is_clean(driver, live)

    # Hostile names and attributes from the knowledge base itself.
    driver.get(f"{live.url}/entities/ent-xss")
    _wait(driver, lambda d: d.find_elements(By.ID, "entity-title"))
    _shot(driver, "08-hostile-entity")
    _no_alert(driver)
    assert "<img src=x" in driver.find_element(By.ID, "entity-title").text
    assert driver.execute_script("return document.querySelectorAll('main img').length") == 0
    _page_is_clean(driver, live)
