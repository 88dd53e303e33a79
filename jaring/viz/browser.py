"""Headless Chromium through selenium: screenshots of the network page, and the browser test's driver.

Optional: needs the `selenium` package and a Chromium with its chromedriver (Debian/Ubuntu:
`apt-get install chromium chromium-driver`). The flags keep Chromium from reaching for the
network (updates, sync, QUIC), which on a closed network would stall its start.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

INSTALL_HINT = (
    "the browser check needs Chromium, its chromedriver and selenium: apt-get install chromium "
    "chromium-driver (or your system's chromium + chromedriver packages) and pip install selenium"
)
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> tuple[str, str] | None:
    """(browser binary, chromedriver) when both are installed and selenium imports, else None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return None
    browser = next((path for name in _BROWSERS if (path := shutil.which(name))), None)
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@contextmanager
def headless_chromium(width: int = 1400, height: int = 900, network_log: bool = False) -> Iterator[Any]:
    """A selenium WebDriver on a fresh headless Chromium profile; quits and cleans up afterwards.

    network_log=True also records the DevTools performance log (every network event), which
    `driver.get_log("performance")` returns.
    """
    found = find_browser()
    if found is None:
        raise RuntimeError(INSTALL_HINT)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = found
    with tempfile.TemporaryDirectory(prefix="jaring-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
            options.add_argument(flag)
        if network_log:
            options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
        try:
            driver.set_page_load_timeout(60)
            yield driver
        finally:
            driver.quit()


def open_page(driver: Any, path: str | os.PathLike) -> None:
    """Load a local HTML file and wait until the network view has drawn (window.jaring exists)."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(Path(path).resolve().as_uri())
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return !!(window.jaring && window.jaring.data)")
    )


def click_edge(driver: Any, link: int, i: int, j: int) -> dict[str, str]:
    """Click weight edge (layer link, input i -> output j) where it is clear of others; the panel's data."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    point = driver.execute_script(
        "return window.jaring.edgePoint(arguments[0], arguments[1], arguments[2])", link, i, j
    )
    if point is None:
        raise ValueError(f"edge {link}:{i}->{j} is not drawn (is one of its layers folded?)")
    actions = ActionChains(driver)
    builder = ActionBuilder(driver)
    builder.pointer_action.move_to_location(round(point["x"]), round(point["y"]))
    builder.pointer_action.click()
    builder.perform()
    actions.reset_actions()
    return driver.execute_script("return Object.assign({}, document.getElementById('info').dataset)")


def screenshot(
    html_path: str | os.PathLike, png_path: str | os.PathLike, edge: tuple[int, int, int] | None = None
) -> Path:
    """Open the page headless, click weight edge (link, i, j) if given so the panel shows it, save a PNG."""
    target = Path(png_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with headless_chromium() as driver:
        open_page(driver, html_path)
        if edge is not None:
            click_edge(driver, *edge)
        driver.save_screenshot(str(target))
    return target
