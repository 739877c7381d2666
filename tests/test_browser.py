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


# --------------------------------------------------------------------------- interactive tables (issue 16)
@pytest.fixture(scope="module")
def explorer_build(tmp_path_factory):
    if not (kit.ROOT / "notebooks" / "03-quotes.ipynb").exists():
        pytest.skip("no notebooks/03-quotes.ipynb")
    return kit.build_explorer_reports(tmp_path_factory.getbasetemp())


def _explorer(driver, page: Path, shot: Path):
    from selenium.webdriver.common.by import By

    info = visit(driver, page, shot)
    check_page(info, page)
    boxes = driver.find_elements(By.CSS_SELECTOR, ".nd-explore.nd-ready")
    assert boxes, f"{page.name}: no interactive table was built"
    return boxes[-1]  # the quote explorer is the page's last table


def _column(box, name: str) -> list[str]:
    """The cells of one column on the table's current page (their text, as the reader sees it)."""
    return box.parent.execute_script(
        "const box = arguments[0], heads = Array.from(box.querySelectorAll('table.nd-interactive thead th')).map(h => h.textContent);"
        "const i = heads.indexOf(arguments[1]);"
        "return Array.from(box.querySelectorAll('table.nd-interactive tbody tr')).map(tr => tr.children[i].textContent);", box, name)


def _info(box) -> str:
    return box.find_element("css selector", ".nd-info").get_attribute("textContent")


def _settles(browser, check, seconds: float = 10.0) -> bool:
    """Whether ``check()`` becomes true within ``seconds``: the search box redraws the table on a
    timer after each keystroke, so a read right after ``send_keys`` can see the rows before it."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(browser, seconds, poll_frequency=0.05).until(lambda _: check())
        return True
    except TimeoutException:
        return False


def test_typing_a_speakers_name_narrows_the_explorer_to_that_speaker(browser, shots, explorer_build):
    page = Path(explorer_build["out"]) / "03-quotes.html"
    box = _explorer(browser, page, shots / "explorer.png")
    total = sum(kit.EXPLORER_SPEAKERS.values())
    assert _info(box) == f"rows 1–15 of {total}", explorer_build["stderr"]
    assert len(set(_column(box, "speaker"))) > 1
    search = box.find_element("css selector", "input.nd-search")
    search.send_keys("Lovelace")
    browser.implicitly_wait(0)
    n = kit.EXPLORER_SPEAKERS["Ada Lovelace"]
    assert _settles(browser, lambda: _info(box) == f"rows 1–{n} of {n} (of {total})"), _info(box)
    assert set(_column(box, "speaker")) == {"Ada Lovelace"}
    search.clear()
    search.send_keys("hopper engines")  # every word must occur in the row
    assert _settles(browser, lambda: set(_column(box, "speaker")) == {"Grace Hopper"}), _column(box, "speaker")
    assert _info(box).startswith(f"rows 1–{kit.EXPLORER_SPEAKERS['Grace Hopper'] - 1} of ")
    search.clear()
    search.send_keys(" ")
    # the filter by speaker does the same from a list
    from selenium.webdriver.support.ui import Select

    assert _settles(browser, lambda: _info(box).startswith(f"rows 1–15 of {total}"))   # the blank search applied
    Select(box.find_element("css selector", "select.nd-filter")).select_by_value("Alan Turing")
    assert _settles(browser, lambda: set(_column(box, "speaker")) == {"Alan Turing"}), _column(box, "speaker")
    assert len(_column(box, "speaker")) == kit.EXPLORER_SPEAKERS["Alan Turing"]
    browser.save_screenshot(str(shots / "explorer-filtered.png"))


def test_sorting_a_table_by_a_column(browser, shots, explorer_build):
    page = Path(explorer_build["out"]) / "03-quotes.html"
    box = _explorer(browser, page, shots / "explorer-sort.png")
    button = box.find_element("xpath", ".//thead//button[normalize-space()='date']")
    first = _column(box, "date")
    assert first == sorted(first, reverse=True)  # newest first, as embedded
    button.click()
    up = _column(box, "date")
    assert up == sorted(up) and up[0] < first[0]
    assert box.find_element("xpath", ".//thead//th[.//button[normalize-space()='date']]").get_attribute("aria-sort") == "ascending"
    button.click()
    assert _column(box, "date") == first
    # a numeric column sorts as numbers, largest first on the first click
    tables = browser.find_elements("css selector", ".nd-explore.nd-ready")
    heads = [[h.get_attribute("textContent") for h in t.find_elements("css selector", "table.nd-interactive thead th")] for t in tables]
    top = next(t for t, h in zip(tables, heads) if h[:3] == ["speaker", "kind", "quotes"])  # the top speakers
    top.find_element("xpath", ".//thead//button[normalize-space()='quotes']").click()
    counts = [int(v.replace(",", "")) for v in _column(top, "quotes")]
    assert counts == sorted(counts, reverse=True) and counts[0] == max(kit.EXPLORER_SPEAKERS.values())
    top.find_element("xpath", ".//thead//button[normalize-space()='quotes']").click()
    assert [int(v) for v in _column(top, "quotes")] == sorted(counts)


def test_a_csv_link_resolves_to_a_file_with_the_tables_rows(browser, shots, explorer_build):
    import pandas as pd

    page = Path(explorer_build["out"]) / "03-quotes.html"
    box = _explorer(browser, page, shots / "explorer-csv.png")
    href = box.find_element("css selector", ".nd-downloads a[download]").get_attribute("href")
    target = Path(unquote(urlparse(href).path))
    assert target.is_file() and target.parent.parent.name == "tables"
    csv = pd.read_csv(target)
    assert len(csv) == sum(kit.EXPLORER_SPEAKERS.values())
    assert csv["speaker"].value_counts().to_dict() == kit.EXPLORER_SPEAKERS
    assert {"quote", "date", "title", "cue", "before", "after", "path", "start", "end"} <= set(csv.columns)
    shown = _column(box, "quote")
    assert all(any(q in s for q in csv["quote"]) for s in shown)
    # every table of every page links a CSV that exists, and every chart its PNG and SVG
    links = browser.execute_script("return Array.from(document.querySelectorAll('.nd-downloads a')).map(a => a.href)")
    assert any(h.endswith(".png") for h in links) and any(h.endswith(".svg") for h in links)
    for h in links:
        assert Path(unquote(urlparse(h).path)).is_file(), h


def test_injected_markup_in_a_quote_or_title_stays_text_in_the_tables(browser, shots, explorer_build):
    page = Path(explorer_build["out"]) / "03-quotes.html"
    box = _explorer(browser, page, shots / "explorer-hostile.png")
    box.find_element("css selector", "input.nd-search").send_keys(kit.MARK)

    def cells() -> str:
        # one script call reads every cell at once: the search redraws the table on a timer, so
        # fetching the cells and then each one's text could meet a cell the redraw just replaced
        return browser.execute_script(
            "return Array.from(arguments[0].querySelectorAll('table.nd-interactive tbody td'))"
            ".map(td => td.textContent).join(' ')", box)

    assert _settles(browser, lambda: kit.HOSTILE[4] in cells()), cells()[:500]
    assert kit.HOSTILE[4] in cells() and kit.HOSTILE[0] in cells()  # the quote and the title, as text
    # nothing but the script's own rows, cells and spans inside any interactive table
    tags = browser.execute_script(
        "return Array.from(document.querySelectorAll('.nd-interactive tbody *')).map(e => e.tagName.toLowerCase())")
    assert set(tags) <= {"tr", "td", "span"}
    assert browser.execute_script(f"return [typeof window.{kit.MARK}, document.title]")[0] == "undefined"
    assert browser.title != kit.MARK


def test_tables_read_as_tables_for_people(browser, shots, explorer_build):
    """Issue 18 item 8, as a reader sees 03: no column of row numbers, text left-aligned and numbers
    right-aligned, no NaN/None in a cell, dates as dates, quotes whole (pandas cut them after about
    40 characters), and every table complete or saying it is not (pandas showed 10 of 483 rows)."""
    import re

    import pandas as pd

    page = Path(explorer_build["out"]) / "03-quotes.html"
    _explorer(browser, page, shots / "tables-for-people.png")
    tables = browser.execute_script("""
      return Array.from(document.querySelectorAll('.nd-explore.nd-ready')).map(box => {
        const data = JSON.parse(box.querySelector('script.nd-explore-data').textContent);
        const heads = Array.from(box.querySelectorAll('table.nd-interactive thead th')).map(h => h.textContent);
        const rows = Array.from(box.querySelectorAll('table.nd-interactive tbody tr')).map(tr =>
          Array.from(tr.children).map(td => [td.textContent, getComputedStyle(td).textAlign]));
        return {heads: heads, rows: rows, types: data.columns.filter(c => !c.hidden).map(c => c.type),
                total: data.total, embedded: data.rows.length, note: data.note,
                info: (box.querySelector('.nd-info') || {}).textContent || ''};
      });""")
    assert len(tables) >= 6
    quotes = set(pd.read_csv(next((Path(explorer_build["out"]) / "tables").rglob("*every-quote*.csv")))["quote"])
    for t in tables:
        where = f"table {t['heads']}"
        assert t["heads"] and t["heads"][0].strip() not in ("", "index"), where          # no index column
        assert t["embedded"] == t["total"] or t["note"].startswith("the first"), where   # complete, or says so
        for row in t["rows"]:
            if len(row) != len(t["types"]):       # the "No row matches." line of an empty table
                continue
            for (text, align), kind in zip(row, t["types"]):
                assert text.strip() not in ("NaN", "nan", "None", "NaT", "<NA>"), where
                assert not re.search(r"\d{2}:\d{2}:\d{2}$", text), f"{where}: {text!r}"   # dates, not timestamps
                assert align == ("right" if kind == "num" else "left"), f"{where}: {text!r} {align}"
        if {"quote", "date"} <= set(t["heads"]) and "cue" not in t["heads"]:   # the followed speakers' quotes: whole
            col = t["heads"].index("quote")
            shown = [r[col][0] for r in t["rows"] if len(r) == len(t["heads"])]
            assert shown and set(shown) <= quotes and max(map(len, shown)) > 40, shown[:3]
