"""``chainkg report`` and the Excel-ready query tables: the committed report is current, its XLSX renders
its charts in LibreOffice, and every CSV reads as Excel reads it (UTF-8 with BOM)."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from chainkg.cli import main
from chainkg.graph.queries import QUERIES

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "report"
AS_OF = "2024-01-15"
CHART_TITLES = ("各阶段环节覆盖", "项目漏斗（按当前状态）", "各地区协议金额与到位资金")
FORMULA_LEAD = ("=", "+", "-", "@")


def test_committed_report_is_current(runner, tmp_path, monkeypatch):
    """docs/report/ holds the report on the bundled graph as `chainkg report` writes it today (in Chinese,
    the default language)."""
    monkeypatch.delenv("CHAINKG_LANG")
    out = tmp_path / "r.md"
    r = runner.invoke(main, ["report", "--chain", "新能源电池", "--as-of", AS_OF, "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8") == (DOCS / "新能源电池.md").read_text(encoding="utf-8"), \
        "docs/report is stale: rerun chainkg report --chain 新能源电池 --as-of 2024-01-15 -o " \
        "docs/report/新能源电池.{md,html,xlsx}"
    html = tmp_path / "r.html"
    assert runner.invoke(main, ["report", "--chain", "新能源电池", "--as-of", AS_OF, "-o", str(html)]).exit_code == 0
    assert html.read_text(encoding="utf-8") == (DOCS / "新能源电池.html").read_text(encoding="utf-8")
    assert "docs/report/新能源电池.md" in (REPO / "README.md").read_text(encoding="utf-8")


def test_report_xlsx_sheets_are_frozen_fitted_and_formatted():
    path = DOCS / "新能源电池.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["概览", "图表"]
    for want in ("缺链 (补链)", "薄弱 (强链)", "延链", "以商招商", "卡脖子", "招商目标", "项目·按状态", "项目·停滞",
                 "数据来源"):
        assert want in wb.sheetnames
    targets = wb["招商目标"]
    header_row = int(re.sub(r"\D", "", targets.freeze_panes)) - 1
    headers = [c.value for c in targets[header_row]]
    assert headers[:3] == ["得分", "企业", "环节"] and "缺口分" in headers
    assert targets.cell(row=header_row + 1, column=2).value == "比亚迪"
    # CJK-fitted widths: the segment column is wider than its 2-character header would need.
    seg = targets.column_dimensions["C"].width
    assert seg >= 2 * len("新能源汽车/两轮车/工程机械") - 4
    cov = wb["环节覆盖"]
    h = int(re.sub(r"\D", "", cov.freeze_panes)) - 1
    col = [c.value for c in cov[h]].index("协议金额(亿元)") + 1
    assert cov.cell(row=h + 1, column=col).number_format == '#,##0.00" 亿元"'
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and v.startswith(FORMULA_LEAD) and v.strip("-+")), (ws.title, v)
    with zipfile.ZipFile(path) as z:
        charts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        assert len(charts) == 3
        xml = "".join(z.read(n).decode("utf-8") for n in charts)
    for title in CHART_TITLES:
        assert title in xml
    assert xml.count("<barChart>") == 3 and xml.count("<grouping val=\"stacked\"") == 2  # coverage, funnel


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        msg = f"{tool} not found: apt-get install libreoffice-calc-nogui poppler-utils"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return found


def test_report_xlsx_renders_its_charts_in_libreoffice(tmp_path):
    """LibreOffice headless converts the committed XLSX to PDF; the 图表 page carries the three charts."""
    soffice, pdftotext, pdfinfo = _require("soffice"), _require("pdftotext"), _require("pdfinfo")
    src = tmp_path / "report.xlsx"
    shutil.copy(DOCS / "新能源电池.xlsx", src)
    profile = tmp_path / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "report.pdf"
    assert pdf.exists()
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True,
                                                            check=True).stdout).group(1))
    texts = [subprocess.run([pdftotext, "-f", str(p), "-l", str(p), str(pdf), "-"], capture_output=True, text=True,
                            check=True).stdout for p in range(1, pages + 1)]
    squeeze = [re.sub(r"\s+", "", t) for t in texts]
    assert "新能源电池产业链招商报告" in squeeze[0]
    chart_pages = [i for i, t in enumerate(squeeze) if all(title in t for title in CHART_TITLES)]
    assert chart_pages == [1], "the 图表 sheet (page 2) should show all three chart titles, drawn by the charts"
    # Chart titles are drawn only by the charts: no cell holds them.
    wb = load_workbook(src)
    cells = {str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v}
    assert not any(title in c for title in CHART_TITLES for c in cells)
    # Axis labels of the coverage chart (stages) and funnel (statuses) are on the chart page too.
    assert all(s in squeeze[1] for s in ("上游", "中游", "谋划", "投产"))


def test_report_for_all_chains_and_a_region(runner, tmp_path):
    out = tmp_path / "安宁市.md"
    r = runner.invoke(main, ["report", "--region", "安宁市", "--as-of", AS_OF, "-o", str(out)])
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 安宁市·全部产业链 产业链招商报告")
    assert "## 各产业链" in text and "| 生物医药 |" in text
    r = runner.invoke(main, ["report", "-o", str(tmp_path / "r.txt")])
    assert r.exit_code == 2 and "write .xlsx, .html or .md" in r.output
    r = runner.invoke(main, ["report", "--chain", "航天", "-o", str(tmp_path / "r.md")])
    assert r.exit_code == 1 and "unknown chain '航天'" in r.output


def test_report_rows_are_the_query_rows():
    """The report arranges query rows; it does not recompute them."""
    from chainkg.data import kunming
    from chainkg.graph.engine import NetworkxEngine
    from chainkg.graph.report import build_report

    kg = kunming()
    engine = NetworkxEngine(kg)
    rep = build_report(engine, chain="新能源电池", as_of=AS_OF, top=5)
    assert [r["segment"] for r in rep.section("missing").rows] == \
        [r.segment for r in engine.run("missing", chain="新能源电池")]
    assert [(r["enterprise"], r["score"]) for r in rep.section("targets").rows] == \
        [(r.enterprise, r.score) for r in engine.run("targets", chain="新能源电池", limit=5)]
    pipe = engine.run("pipeline", chain="新能源电池", as_of=AS_OF)
    assert rep.kpi("本地项目") == pipe.totals.projects
    assert rep.kpi("缺失环节") == len([r for r in engine.run("coverage", chain="新能源电池") if r.status == "missing"])


# ------------------------------------------------------------------------------ Excel-ready tables
CSV_COMMANDS = [
    *([("gaps" if q.group == "gaps" else None), name] for name, q in QUERIES.items() if name != "pipeline"),
    *([None, "pipeline", "--as-of", AS_OF, "--section", s]
      for s in ("status", "chain", "region", "event", "conversion", "stalled")),
    [None, "targets", "--explain"],
    [None, "info"], [None, "search", "电池"], [None, "show", "孚能科技"],
]
CSV_COMMANDS = [[c for c in cmd if c] for cmd in CSV_COMMANDS]


@pytest.mark.parametrize("cmd", CSV_COMMANDS, ids=" ".join)
def test_every_csv_reads_as_excel_reads_it(runner, tmp_path, cmd):
    """UTF-8 with BOM (Excel's `utf-8-sig`), no header a spreadsheet would take for a formula."""
    r = runner.invoke(main, [*cmd, "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert r.stdout_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.stdout_bytes.decode("utf-8-sig"))))
    header = rows[0]
    assert header and not header[0].startswith("\ufeff")
    assert not [h for h in header if h.startswith(FORMULA_LEAD)]
    assert all(len(row) == len(header) for row in rows[1:])
    for row in rows[1:]:
        for v in row:
            assert not (v.startswith(FORMULA_LEAD) and not re.fullmatch(r"[-+]?[\d.]+(e[-+]?\d+)?", v)), v
    if cmd[0] in ("gaps", "targets", "pipeline"):
        out = tmp_path / "out.csv"
        r2 = runner.invoke(main, [*cmd, "-o", str(out)])  # the format follows the suffix
        assert r2.exit_code == 0, r2.output
        assert out.read_bytes() == r.stdout_bytes
        with open(out, encoding="utf-8-sig", newline="") as f:
            assert next(csv.reader(f)) == header


@pytest.mark.parametrize("name", [n for n in QUERIES if n != "pipeline"])
def test_every_query_writes_xlsx(runner, tmp_path, name):
    cmd = ["gaps", name] if QUERIES[name].group == "gaps" else [name]
    out = tmp_path / f"{name}.xlsx"
    r = runner.invoke(main, [*cmd, "--format", "xlsx", "-o", str(out)])
    assert r.exit_code == 0, r.output
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert ws.freeze_panes == "A2"
    assert not [h for h in header if h.startswith(FORMULA_LEAD)]
    csv_rows = list(csv.reader(io.StringIO(runner.invoke(main, [*cmd, "--format", "csv"]).stdout_bytes
                                           .decode("utf-8-sig"))))
    assert header == csv_rows[0] and ws.max_row == len(csv_rows)
    r = runner.invoke(main, [*cmd, "--format", "xlsx"])
    assert r.exit_code == 2 and "-o FILE" in r.output


def test_pipeline_writes_every_section_as_a_sheet(runner, tmp_path):
    out = tmp_path / "p.xlsx"
    r = runner.invoke(main, ["pipeline", "--as-of", AS_OF, "-o", str(out)])
    assert r.exit_code == 0 and r.output == f"{out}: 7 sheets (xlsx)\n"
    wb = load_workbook(out)
    assert wb.sheetnames == ["totals", "status", "chain", "region", "event", "conversion", "stalled"]
    assert [c.value for c in wb["stalled"][1]][:3] == ["project", "id", "status"]
    r = runner.invoke(main, ["pipeline", "--format", "csv"])
    assert r.exit_code == 2 and "--section" in r.output
    text = tmp_path / "p.txt"
    r = runner.invoke(main, ["pipeline", "--as-of", AS_OF, "-o", str(text)])
    assert r.exit_code == 0
    assert text.read_text(encoding="utf-8") == runner.invoke(main, ["pipeline", "--as-of", AS_OF]).output


def test_formula_text_is_neutralised_in_csv_and_xlsx(runner, tmp_path):
    """A firm named like a formula stays text: a leading ' in CSV and XLSX (the export's escape_formula)."""
    from chainkg.graph import save
    from chainkg.graph.fileio import unescape_formula
    from helpers import Builder

    evil = '=HYPERLINK("http://x","点我")'
    b = (Builder().region("km", "昆明市").chain("c", "电池").segment("s1", "电芯", "c", 1)
         .segment("s2", "@正极", "c", 2, feeds=["s1"]).feeds().firm("f", evil, located="km", segment="s1"))
    ws = tmp_path / "w.json"
    save(b.kg, ws)
    r = runner.invoke(main, ["--graph", str(ws), "gaps", "coverage", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(r.stdout_bytes.decode("utf-8-sig"))))
    assert rows[0]["enterprises"] == "'" + evil and unescape_formula(rows[0]["enterprises"]) == evil
    assert rows[1]["segment"] == "'@正极"
    out = tmp_path / "c.xlsx"
    assert runner.invoke(main, ["--graph", str(ws), "gaps", "coverage", "-o", str(out)]).exit_code == 0
    sheet = load_workbook(out).active
    values = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    assert "'" + evil in values and "'@正极" in values
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    rep = tmp_path / "r.xlsx"
    assert runner.invoke(main, ["--graph", str(ws), "report", "-o", str(rep)]).exit_code == 0
    wb = load_workbook(rep)
    assert not [c for w in wb.worksheets for row in w.iter_rows() for c in row if c.data_type == "f"]
