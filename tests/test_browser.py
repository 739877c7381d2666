"""The reports in a real browser (headless Chromium through selenium): each page loads with no
console error and no network request, every image has loaded, every index link resolves, and no
script injected through the corpus ran. Screenshots are saved under the test's output folder.

Needs the Debian packages ``chromium`` and ``chromium-driver`` (``make browser`` installs them);
skips when they are missing.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

import reportkit as kit

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM or not DRIVER:
        pytest.skip("chromium/chromedriver missing (make browser, or apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage", "--window-size=1200,1000",
              f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return tmp_path_factory.mktemp("screenshots")


def _requests(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def visit(driver, page: Path, shot: Path) -> dict:
    """Open ``page``; return console messages, network requests, images and links; save a screenshot."""
    assert page.is_file(), f"{page.name} was not built"
    driver.set_window_size(1200, 1000)
    driver.get("about:blank")
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(page.as_uri())
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1200, min(max(int(height) + 120, 700), 6000))
    driver.save_screenshot(str(shot))
    return {
        "console": driver.get_log("browser"),
        "requests": _requests(driver),
        "images": driver.execute_script(
            "return Array.from(document.images).map(i => [i.currentSrc.slice(0, 60), i.complete, i.naturalWidth])"),
        "links": driver.execute_script("return Array.from(document.links).map(a => a.href)"),
        "title": driver.title,
        "injected": driver.execute_script(f"return [typeof window.{kit.MARK}, typeof parent.{kit.MARK}]"),
        "url": driver.current_url,
        # not blanked: the page's main content is displayed and tall, and so is every image in it
        "visible": driver.execute_script(
            "const m = document.querySelector('main') || document.body;"
            "const shown = e => getComputedStyle(e).display !== 'none' && getComputedStyle(e).visibility !== 'hidden'"
            " && e.getBoundingClientRect().height > 0;"
            "return shown(document.body) && shown(m) && m.getBoundingClientRect().height > 300"
            " && Array.from(document.images).every(shown);"),
    }


def check_page(info: dict, page: Path) -> None:
    errors = [m for m in info["console"] if m.get("level") in ("SEVERE", "ERROR")]
    assert errors == [], f"{page.name}: console errors {errors}"
    external = [u for u in info["requests"] if urlparse(u).scheme not in ("file", "data", "chrome", "about", "blob")]
    assert external == [], f"{page.name}: network requests {external}"
    broken = [i for i in info["images"] if not i[1] or i[2] <= 0]
    assert broken == [], f"{page.name}: images not loaded {broken}"
    assert info["title"] != kit.MARK, f"{page.name}: an injected script set the title"
    assert info["injected"] == ["undefined", "undefined"], f"{page.name}: an injected script ran"
    assert info["url"] == page.as_uri(), f"{page.name}: the page navigated away to {info['url']}"


def check_links(info: dict, page: Path) -> int:
    n = 0
    for href in info["links"]:
        u = urlparse(href)
        if u.scheme != "file":
            continue
        target = Path(unquote(u.path))
        assert target.exists(), f"{page.name}: broken link {href}"
        n += 1
    return n


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory):
    return kit.build_fixture_reports(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    return kit.build_hostile_reports(tmp_path_factory.getbasetemp())


def test_index_and_a_report_load_cleanly(browser, shots, fixture_build):
    out = Path(fixture_build["out"])
    index = out / "index.html"
    info = visit(browser, index, shots / "fixture-index.png")
    check_page(info, index)
    assert check_links(info, index) >= 8  # 4 reports + 4 notebooks (+ log)
    assert len(info["images"]) == 2  # thumbnails of 01-counts and 04-unsafe
    report = out / "01-counts.html"
    info = visit(browser, report, shots / "fixture-01-counts.png")
    check_page(info, report)
    assert len(info["images"]) == 1
    assert any(h.endswith("/index.html") for h in info["links"])
    failed = out / "02-fails.html"
    check_page(visit(browser, failed, shots / "fixture-02-fails.png"), failed)


def test_hostile_corpus_runs_no_injected_script(browser, shots, hostile_build):
    out = Path(hostile_build["out"])
    pages = sorted(out.glob("*.html"))
    # every notebook was rendered (a run that built nothing must not pass)
    assert sorted(p.stem for p in pages) == sorted(hostile_build["notebooks"] + ["index"]), hostile_build["stderr"]
    for page in pages:
        info = visit(browser, page, shots / f"hostile-{page.stem}.png")
        check_page(info, page)
        check_links(info, page)
        assert info["visible"], f"{page.name}: the page is blank"


# --------------------------------------------------------------------------- payloads in every field
class _Logger:
    """A local HTTP server that records every request: the payloads' URLs point at it."""

    def __init__(self) -> None:
        import http.server
        import threading

        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def logger():
    log = _Logger()
    yield log
    log.close()


@pytest.fixture(scope="module")
def payload_build(browser, logger, tmp_path_factory):
    if not kit.real_notebooks():
        pytest.skip("no notebooks/NN-*.ipynb yet")
    return kit.build_payload_reports(tmp_path_factory.mktemp("payload"), logger.url)


def test_the_checks_can_fail(browser, logger, tmp_path):
    """Each check below sees what it looks for: a fetch reaches the logger, a payload that runs is
    caught, a blanked page is not visible."""
    main = "<main><p>" + "text " * 2000 + "</p></main>"
    fetches = tmp_path / "fetches.html"
    fetches.write_text(f'<html><body>{main}<img src="{logger.url}/canary.png"></body></html>', encoding="utf-8")
    before = len(logger.hits)
    visit(browser, fetches, tmp_path / "fetches.png")
    assert "/canary.png" in logger.hits[before:]
    runs = tmp_path / "runs.html"
    runs.write_text(f"<html><body>{main}<img src=x onerror=window.{kit.MARK}=1></body></html>", encoding="utf-8")
    info = visit(browser, runs, tmp_path / "runs.png")
    with pytest.raises(AssertionError, match="injected script ran"):
        check_page({**info, "console": [], "images": []}, runs)
    blank = tmp_path / "blank.html"
    blank.write_text(f"<html><body>{main}<style>main{{display:none}}</style></body></html>", encoding="utf-8")
    assert visit(browser, blank, tmp_path / "blank.png")["visible"] is False
    assert visit(browser, fetches, tmp_path / "fetches.png")["visible"] is True


def test_payloads_in_every_field_and_parameter_run_nothing_fetch_nothing_blank_nothing(
        browser, shots, logger, payload_build):
    out = Path(payload_build["out"])
    seen = len(logger.hits)
    manifest = json.loads((out / ".newsdesk-report.json").read_text(encoding="utf-8"))
    failed = {r["name"]: r["error"] for r in manifest["reports"] if r["status"] != "ok"}
    assert failed == {}, payload_build["stderr"]
    assert payload_build["rc"] == 0, payload_build["stderr"]
    pages = sorted(out.glob("*.html"))
    assert sorted(p.stem for p in pages) == sorted(payload_build["notebooks"] + ["index"])
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert (kit.csp_of(text) or "").startswith("default-src 'none'; img-src data:;"), page.name
        info = visit(browser, page, shots / f"payload-{page.stem}.png")
        check_page(info, page)
        check_links(info, page)
        assert info["visible"], f"{page.name}: the page is blank"
        if page.stem != "index":
            assert kit.MARK not in text or "&lt;" in text  # the payloads are shown, as text
            assert len(info["images"]) >= 1, f"{page.name}: no chart shown"
    assert logger.hits[seen:] == [], f"the pages requested {logger.hits[seen:]}"


def test_real_reports_on_the_sample(browser, shots, tmp_path_factory):
    """The project's notebooks on the bundled sample: what ``make report`` publishes."""
    if not kit.real_notebooks():
        pytest.skip("no notebooks/NN-*.ipynb yet")
    sample = kit.ROOT / "data" / "sample"
    if not any(sample.glob("*.txt")):
        pytest.skip("data/sample is empty (make sample)")

    def build(folder: Path) -> dict:
        names = [p.stem for p in kit.real_notebooks()]
        proc = kit.run_cli("report", str(sample), "--out", str(folder / "out"), "--notebooks", ",".join(names))
        return {"out": str(folder / "out"), "rc": proc.returncode, "stderr": proc.stderr, "notebooks": names}

    built = kit.cached_build(tmp_path_factory.getbasetemp(), "sample", build)
    out = Path(built["out"])
    assert built["rc"] == 0, built["stderr"]
    pages = sorted(out.glob("*.html"))
    assert sorted(p.stem for p in pages) == sorted(built["notebooks"] + ["index"])
    for page in pages:
        assert page.stat().st_size < 2_000_000, page.name
        info = visit(browser, page, shots / f"sample-{page.stem}.png")
        check_page(info, page)
        check_links(info, page)
        if page.name == "index.html":
            assert len(info["images"]) >= 1
