"""report.html in headless Chromium, opened from file:// as a student would: no request fails or leaves
the machine, every picture decodes, and the tables show.

Needs Chromium, chromedriver and selenium. Without them the test skips and says what to install,
except under CI (CI=true), where a missing browser is a failure: `.ci/run` installs it.
"""

import json
import os

import pytest

from jaring.experiments.report import write_report
from jaring.viz.browser import INSTALL_HINT, find_browser, headless_chromium
from tests.experiments.report.fake_study import write_fake_study
from tests.viz.pictures import assert_drawn_png

pytestmark = pytest.mark.slow  # a headless browser starts for these


@pytest.fixture(scope="module")
def driver():
    if find_browser() is None:
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(f"CI must run the browser test: {INSTALL_HINT}")
        pytest.skip(INSTALL_HINT)
    with headless_chromium(1300, 1000, network_log=True) as browser:
        yield browser


def _page_requests(driver, uri: str) -> tuple[list[str], list[dict]]:
    """(URLs the page at `uri` requested, the failures among them) from the DevTools log.

    A fresh Chromium may still be loading its own new-tab page (chrome:// URLs, some failing), so
    only requests whose document is the report count.
    """
    messages = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    ours = {
        m["params"]["requestId"]: m["params"]["request"]["url"]
        for m in messages
        if m.get("method") == "Network.requestWillBeSent" and m["params"].get("documentURL") == uri
    }
    failed = [
        m["params"]
        for m in messages
        if m.get("method") == "Network.loadingFailed" and m["params"]["requestId"] in ours
    ]
    return list(ours.values()), failed


def test_report_opens_offline_with_no_failed_request_and_shows_tables_and_pictures(driver, tmp_path):
    write_fake_study(tmp_path, arms=("jaring", "pytorch"), failed=("w64-32__jaring__s2",), step=True)
    page = write_report(tmp_path)
    uri = page.resolve().as_uri()
    driver.get(uri)
    requested, failed = _page_requests(driver, uri)
    assert requested and requested[0] == uri
    assert all(url.split(":", 1)[0] in ("file", "data") for url in requested), requested
    assert failed == []
    resources = driver.execute_script("return performance.getEntriesByType('resource').map(r => r.name)")
    assert all(name.split(":", 1)[0] in ("file", "data") for name in resources), resources

    images = driver.execute_script(
        "return [...document.images].map(i => ({ok: i.complete && i.naturalWidth > 0,"
        " width: i.getBoundingClientRect().width, src: i.src.slice(0, 22)}))"
    )
    assert len(images) == 3
    assert all(i["ok"] and i["width"] > 400 and i["src"] == "data:image/png;base64," for i in images), images
    tables = driver.find_elements("css selector", "table")
    assert len(tables) == 2 and all(t.is_displayed() for t in tables)
    results = tables[0].find_elements("css selector", "tbody tr")
    assert len(results) == 6
    assert results[2].text.split()[:5] == ["128-64", "(baseline)", "jaring", "3", "82.30"]
    assert "FloatingPointError" in tables[1].text

    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1300, min(height + 100, 8000))
    driver.save_screenshot(str(tmp_path / "report.png"))
    assert_drawn_png(tmp_path / "report.png", min_width=1000, min_height=1500)
