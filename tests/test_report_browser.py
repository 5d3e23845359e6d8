"""The HTML chain report in real headless Chromium: opens offline, no console errors, charts drawn.

Skips without chromium/chromedriver (fails under CI=true).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from browser import chromium

from chainkg.cli import main

pytestmark = pytest.mark.browser
DOCS = Path(__file__).resolve().parents[1] / "docs" / "report"


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    chromium.require_browser()
    drv = chromium.start(tmp_path_factory.mktemp("chromium-profile"))
    drv.get("about:blank")
    time.sleep(0.2)
    chromium.drain_logs(drv)
    yield drv
    drv.quit()


def _open(drv, path: Path) -> None:
    chromium.drain_logs(drv)
    drv.get(path.resolve().as_uri())
    deadline = time.perf_counter() + 15
    while drv.execute_script("return document.readyState") != "complete":
        assert time.perf_counter() < deadline, f"{path.name} did not load"
        time.sleep(0.05)


def _check(drv, path: Path) -> dict:
    _open(drv, path)
    assert chromium.console_problems(drv) == []
    assert chromium.outside(chromium.requested_urls(drv)) == []
    info = drv.execute_script("""
        var svgs = Array.prototype.slice.call(document.querySelectorAll('svg.chart'));
        return {
          scripts: document.scripts.length,
          charts: svgs.map(function (s) { var b = s.getBoundingClientRect();
                    return [s.getAttribute('aria-label'), b.width, b.height, s.querySelectorAll('rect').length]; }),
          sections: Array.prototype.map.call(document.querySelectorAll('h2'), function (h) { return h.id; }),
          kpis: document.querySelectorAll('.kpi').length,
          title: document.title
        };""")
    assert info["scripts"] == 0
    for label, width, height, _ in info["charts"]:
        assert width > 200 and height > 50, label
    return info


def test_committed_html_report_opens_offline_without_errors(driver):
    info = _check(driver, DOCS / "新能源电池.html")
    labels = [c[0] for c in info["charts"]]
    assert labels == ["产业链全景图", "图1 各阶段环节覆盖", "图2 项目漏斗（按当前状态）",
                      "图3 各地区协议金额与到位资金"]
    assert info["charts"][0][3] >= 16  # one box per segment of the chain
    assert info["kpis"] == 12
    for key in ("overview", "panorama", "charts", "missing", "weak", "extend", "dependencies", "chokepoints",
                "targets", "pipeline_status", "stalled", "provenance"):
        assert key in info["sections"]
    assert info["title"] == "昆明市·新能源电池 产业链招商报告"


def test_all_chains_html_report_opens_offline_without_errors(driver, runner, tmp_path):
    out = tmp_path / "all.html"
    assert runner.invoke(main, ["report", "--as-of", "2024-01-15", "-o", str(out)]).exit_code == 0
    info = _check(driver, out)
    import json

    segments = json.loads(runner.invoke(main, ["gaps", "coverage", "--format", "json"]).output)
    chains = {r["chain"] for r in segments}
    # every segment a box, every chain a band, three legend swatches
    assert info["charts"][0][3] == len(segments) + len(chains) + 3
    assert "chains" in info["sections"]
