"""Headless Chromium through selenium: start it, load a page, and read what it did.

The Debian ``chromium`` and ``chromedriver`` are used as installed; nothing is downloaded. When
they are missing the browser tests skip, unless ``CI=true``, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

LOCAL_SCHEMES = {"file", "data", "about", "blob", "chrome-error"}
REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "test-output" / "viz"


def binaries() -> tuple[str, str] | None:
    """Paths of chromium and chromedriver, or None."""
    browser = next((p for p in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium",
                                shutil.which("chromium-browser")) if p and os.path.exists(p)), None)
    driver = next((p for p in (os.environ.get("CHROMEDRIVER"), shutil.which("chromedriver"), "/usr/bin/chromedriver")
                   if p and os.path.exists(p)), None)
    return (browser, driver) if browser and driver else None


def require_browser() -> tuple[str, str]:
    """The binaries, or skip (fail under CI=true) with a clear reason."""
    found = binaries()
    reason = None
    if found is None:
        reason = "headless Chromium not found: apt-get install chromium chromium-driver fonts-wqy-microhei"
    else:
        try:
            import selenium  # noqa: F401
        except ImportError:
            reason = "selenium is not installed: pip install -e '.[test]'"
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found  # type: ignore[return-value]


def start(user_data_dir: Path, width: int = 1400, height: int = 900):
    """A headless Chromium with console and network logging, isolated from the network's services."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = require_browser()
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage",
                "--no-default-browser-check", "--metrics-recording-only", "--mute-audio",
                f"--user-data-dir={user_data_dir}", f"--window-size={width},{height}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(options=opts, service=Service(executable_path=driver))


def drain_logs(drv) -> None:
    drv.get_log("browser")
    drv.get_log("performance")


def console_problems(drv) -> list[str]:
    """Console messages at warning level or above (CSP violations, script errors …)."""
    return [e["message"] for e in drv.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def requested_urls(drv) -> list[str]:
    """Every URL the page asked for since the last drain (CDP Network.requestWillBeSent)."""
    urls = []
    for entry in drv.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
        elif msg.get("method") == "Network.webSocketCreated":
            urls.append(msg["params"]["url"])
    return urls


def outside(urls: list[str]) -> list[str]:
    return [u for u in urls if urlparse(u).scheme not in LOCAL_SCHEMES]


def load(drv, path: Path, timeout: float = 15.0) -> dict[str, Any]:
    """Open a chainkg page and wait until it has drawn; its metrics plus the wall time."""
    t0 = time.perf_counter()
    drv.get(path.resolve().as_uri())
    deadline = t0 + timeout
    while True:
        ready = drv.execute_script("return !!(window.chainkg && window.chainkg.ready)")
        if ready:
            break
        if time.perf_counter() > deadline:
            raise AssertionError(f"{path.name} did not become usable within {timeout} s")
        time.sleep(0.02)
    wall = (time.perf_counter() - t0) * 1000
    m = drv.execute_script("return window.chainkg.metrics")
    return {**m, "wall_ms": round(wall, 1)}


def record_timing(name: str, values: dict[str, Any]) -> None:
    """Merge one page's numbers into test-output/viz/timings.json."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "timings.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data[name] = values
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
