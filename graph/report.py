"""The analyst's chain report: one chain's (or every chain's) status for a leader's desk.

:func:`build_report` runs the registered queries (:data:`chainkg.graph.queries.QUERIES`)
through an engine — the embedded :class:`chainkg.graph.engine.NetworkxEngine` or a
Neo4j backend — and arranges their rows into sections and charts; it computes no
rule of its own. Three writers render the same :class:`Report`:

- :func:`report_xlsx` — one sheet per section (frozen headers, CJK-fitted widths,
  amounts in 亿元 with two decimals) and a 图表 sheet of native Excel charts;
- :func:`report_html` — one self-contained page: inline CSS and SVG charts, no
  script at all, opens offline;
- :func:`report_markdown` — tables for pasting into documents.

:func:`write_report` picks the writer by the file's suffix.

>>> from chainkg.graph.examples import toy_chain
>>> from chainkg.graph.engine import NetworkxEngine
>>> kg = toy_chain()
>>> r = build_report(NetworkxEngine(kg), kg=kg, as_of="2024-12-31")
>>> [s.title for s in r.sections][:5]
['概览', '各产业链', '环节覆盖', '缺链 (补链)', '薄弱 (强链)']
>>> r.kpi("薄弱环节")
1
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chainkg.errors import GraphError
from chainkg.i18n import GAP_KIND, LABELS, STAGE, STATUS, display_value
from chainkg.schema import PIPELINE_STAGES

from .fileio import write_bytes
from .tables import RATE_FORMAT, Sheet, fill_sheet, sheet_name, xlsx_bytes

# The report's words come from the catalogue the CLI and the HTML views share (:mod:`chainkg.i18n`).
STAGE_LABEL = {k: STAGE[k][0] for k in ("upstream", "midstream", "downstream", "cycle", "support")}
STATUS_LABEL = {k: v[0] for k, v in STATUS.items()}
STATUS_COLOUR = {"covered": "#2e7d32", "weak": "#f9a825", "missing": "#c62828"}
GAP_LABEL = {k: v[0] for k, v in GAP_KIND.items()}
SERIES_COLOURS = ("2E7D32", "F9A825", "C62828", "1565C0", "6A1B9A")


@dataclass
class Section:
    """One part of the report: rows (dicts keyed by query field names) and the columns shown."""

    key: str
    title: str
    columns: list[str]
    rows: list[dict[str, Any]]
    note: str = ""

    def headers(self) -> list[str]:
        return [LABELS.get(c, c) for c in self.columns]


@dataclass
class Chart:
    """A bar chart: ``kind`` is ``stacked``, ``funnel`` (centred bars) or ``grouped``."""

    key: str
    title: str
    kind: str
    categories: list[str]
    series: list[tuple[str, list[float]]]
    unit: str = ""
    colours: tuple[str, ...] = SERIES_COLOURS


@dataclass
class Report:
    title: str
    chain: str | None
    region: str
    as_of: str
    kpis: list[dict[str, Any]]
    sections: list[Section]
    charts: list[Chart]
    #: coverage rows (as dicts) for the chain panorama picture
    panorama: list[dict[str, Any]] = field(default_factory=list)

    def kpi(self, metric: str) -> Any:
        return next(k["value"] for k in self.kpis if k["metric"] == metric)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def _label(v: Any, labels: dict[str, str]) -> Any:
    return labels.get(v, v) if isinstance(v, str) else v


def build_report(engine: Any, *, chain: str | None = None, region: str | None = None, kg: Any = None,
                 top: int = 20, as_of: str | None = None, stale_days: int = 180, lang: str = "zh") -> Report:
    """Run the registered queries on ``engine`` and arrange them as the chain report.

    Parameters
    ----------
    engine : chainkg.graph.engine.Engine
        Where the queries run (``NetworkxEngine(kg)`` or a Neo4j backend).
    chain, region : str, optional
        As for every query: one chain (all when None) and the local region (default: the home region).
    kg : KnowledgeGraph, optional
        The graph, for the provenance counts and the home region's name (the engine's own when it has one).
    top : int
        How many 招商目标 to list.
    as_of : str, optional
        Date the pipeline's "not moved" is measured from (default today); printed on the report.
    stale_days : int
        As for the ``pipeline`` query.
    lang : str
        ``zh`` (default) or ``en``: the language of the rows' reasons and rule names. The report's frame
        (titles, KPIs, headers, charts) is Chinese either way: it is written for a leader's desk.

    Returns
    -------
    Report
    """
    kg = kg if kg is not None else getattr(engine, "kg", None)
    scope = {"region": region, "chain": chain}
    as_of = as_of or dt.date.today().isoformat()
    cov = [r.as_dict() for r in engine.run("coverage", **scope)]
    missing = [r.as_dict() for r in engine.run("missing", **scope)]
    weak = [r.as_dict() for r in engine.run("weak", **scope)]
    extend = [r.as_dict() for r in engine.run("extend", **scope)]
    deps = [r.as_dict() for r in engine.run("dependencies", **scope)]
    chokes = [r.as_dict() for r in engine.run("chokepoints", **scope)]
    targets = [r.as_dict() for r in engine.run("targets", **scope, limit=top)]
    pipe = engine.run("pipeline", **scope, as_of=as_of, stale_days=stale_days).as_dict()

    for rows in (cov, missing, weak, extend):
        for r in rows:
            r["stage"] = _label(r["stage"], STAGE_LABEL)
    for r in cov:
        r["status"] = _label(r["status"], STATUS_LABEL)
        r["projects"] = sum(r["projects"].values())
    for r in targets:
        r.update({f"part_{k}": v for k, v in r.pop("parts").items()})
        r["gap"] = _label(r["gap"], GAP_LABEL)

    totals = pipe["totals"]
    statuses = Counter(r["status"] for r in cov)
    firms = {e for r in cov for e in r["enterprises"]}
    landing = next((c for c in pipe["conversion"] if c["rate"].startswith("落地率")), None)
    kpis = [
        {"metric": "链条环节", "value": len(cov), "unit": "个"},
        {"metric": "已覆盖环节", "value": statuses["已覆盖"], "unit": "个"},
        {"metric": "薄弱环节", "value": statuses["薄弱"], "unit": "个"},
        {"metric": "缺失环节", "value": statuses["缺失"], "unit": "个"},
        {"metric": "本地企业", "value": len(firms), "unit": "家"},
        {"metric": "有链主的环节", "value": sum(1 for r in cov if r["anchors"]), "unit": "个"},
        {"metric": "本地项目", "value": totals["projects"], "unit": "个"},
        {"metric": "项目状态", "value": "、".join(f"{g['key']} {g['projects']}" for g in pipe["by_status"]) or "—",
         "unit": ""},
        {"metric": "协议金额", "value": totals["agreed_amount_yi"], "unit": "亿元"},
        {"metric": "到位资金", "value": totals["funds_in_place_yi"], "unit": "亿元"},
        {"metric": "落地率", "value": landing["value"] if landing else None,
         "unit": f"{landing['reached']}/{landing['of']}" if landing else ""},
        {"metric": "停滞项目", "value": len(pipe["stalled"]), "unit": "个"},
    ]

    one = chain is not None
    c = [] if one else ["chain"]
    sections = [
        Section("overview", "概览", ["metric", "value", "unit"], kpis),
    ]
    if not one:
        per_chain: dict[str, dict[str, Any]] = {}
        for r in cov:
            d = per_chain.setdefault(r["chain"], {"chain": r["chain"], "covered": 0, "weak": 0, "missing": 0,
                                                  "local_enterprises": set(), "agreed_amount_yi": 0.0})
            d[{"已覆盖": "covered", "薄弱": "weak", "缺失": "missing"}[r["status"]]] += 1
            d["local_enterprises"] |= set(r["enterprises"])
            d["agreed_amount_yi"] = round(d["agreed_amount_yi"] + r["agreed_amount_yi"], 6)
        for d in per_chain.values():
            d["local_enterprises"] = len(d["local_enterprises"])
        sections.append(Section("chains", "各产业链", ["chain", "covered", "weak", "missing", "local_enterprises",
                                                      "agreed_amount_yi"], list(per_chain.values()),
                                "环节数按状态；协议金额为落在各环节的本地项目之和"))
    sections += [
        Section("coverage", "环节覆盖", [*c, "segment", "stage", "local_enterprises", "anchors", "projects",
                                        "agreed_amount_yi", "status"], cov, "现状图对照全景图，按模板顺序"),
        Section("missing", "缺链 (补链)", [*c, "segment", "stage", "score", "reason"], missing,
                "无本地企业、无落地项目的环节，按与本地链条的关联排序"),
        Section("weak", "薄弱 (强链)", [*c, "segment", "stage", "local_enterprises", "rules", "reason"], weak,
                "已覆盖但触发强链规则的环节"),
        Section("extend", "延链", [*c, "segment", "stage", "direction", "hops", "relatedness", "reason"], extend),
        Section("dependencies", "以商招商", [*c, "segment", "enterprise", "relation", "anchor", "product", "hq"], deps,
                "本地链主在区外的供应商与客户"),
        Section("chokepoints", "卡脖子", ["kind", "name", *c, "local", "betweenness", "anchors", "inputs", "reason"],
                chokes),
        Section("targets", "招商目标", ["score", "enterprise", *c, "segment", "gap", "hq", "placement", "part_gap",
                                       "part_ties", "part_lists", "part_region", "part_pipeline", "why"], targets,
                f"前 {top} 名；得分 = 缺口 + 关联 + 榜单 + 来源地 + 在谈"),
        Section("pipeline_status", "项目·按状态", ["key", "projects", "agreed_amount_yi", "funds_in_place_yi"],
                pipe["by_status"]),
        Section("pipeline_region", "项目·按地区", ["key", "projects", "agreed_amount_yi", "funds_in_place_yi"],
                pipe["by_region"]),
        Section("pipeline_event", "项目·按活动", ["key", "projects", "agreed_amount_yi", "funds_in_place_yi"],
                pipe["by_event"]),
        Section("conversion", "项目·转化", ["rate", "reached", "of", "value"], pipe["conversion"]),
        Section("stalled", "项目·停滞", ["project", "status", "since", "days", "reason"], pipe["stalled"],
                f"截至 {as_of}，同一状态超过 {stale_days} 天或无状态日期"),
        Section("provenance", "数据来源", ["scope", "provenance", "facts"], _provenance(kg, targets),
                "stated 有据（原文陈述）· template 模板（全景图）· inferred 推断"),
    ]

    stages = [s for s in STAGE_LABEL.values() if any(r["stage"] == s for r in cov)]
    stages += sorted({r["stage"] for r in cov} - set(stages))
    by_status = {g["key"]: g["projects"] for g in pipe["by_status"]}
    charts = [
        Chart("coverage", "图1 各阶段环节覆盖", "stacked", stages,
              [(label, [float(sum(1 for r in cov if r["stage"] == s and r["status"] == label)) for s in stages])
               for label in STATUS_LABEL.values()], "个"),
        Chart("pipeline", "图2 项目漏斗（按当前状态）", "funnel", list(PIPELINE_STAGES),
              [("项目数", [float(by_status.get(s, 0)) for s in PIPELINE_STAGES])], "个", ("1565C0",)),
        Chart("amounts", "图3 各地区协议金额与到位资金", "grouped", [g["key"] for g in pipe["by_region"]],
              [("协议金额", [g["agreed_amount_yi"] for g in pipe["by_region"]]),
               ("到位资金", [g["funds_in_place_yi"] for g in pipe["by_region"]])], "亿元", ("1565C0", "2E7D32")),
    ]
    region_name = region or (kg.name(kg.meta["home_region"]) if kg is not None and kg.meta.get("home_region")
                             and kg.has(kg.meta["home_region"]) else "本地")
    title = f"{region_name}·{chain or '全部产业链'} 产业链招商报告"
    for s in sections[1:]:
        # Reasons in the report's language; rule names, directions, booleans … in Chinese as every label is.
        s.rows = [{c: display_value(c, v, lang) if c in _REASONS else display_value(c, v, "zh")
                   for c, v in r.items()} for r in s.rows]
    return Report(title, chain, region_name, as_of, kpis, sections, charts, cov)


#: The fields holding reason texts (:class:`chainkg.i18n.Message`).
_REASONS = ("reason", "why")


def _provenance(kg: Any, targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    if kg is not None and hasattr(kg, "counts"):
        for kind, n in sorted(kg.counts()["provenance"].items()):
            rows.append({"scope": "全图节点与关系", "provenance": kind, "facts": n})
    for kind, n in sorted(Counter(t["placement"] for t in targets).items()):
        rows.append({"scope": "招商目标的环节归属", "provenance": kind, "facts": n})
    return rows


# ------------------------------------------------------------------------------------------- XLSX
def _sheet(s: Section) -> Sheet:
    rows = [{h: r.get(c) for c, h in zip(s.columns, s.headers(), strict=True)} for r in s.rows]
    formats = {LABELS["value"]: RATE_FORMAT} if s.key == "conversion" else {}
    return Sheet(s.title, s.headers(), rows, title=s.title, notes=[s.note] if s.note else [], formats=formats)


def report_workbook(report: Report):
    """The report as an openpyxl workbook: 概览, 图表 (native charts), then one sheet per section."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    overview = report.sections[0]
    ws = wb.create_sheet(sheet_name(overview.title, taken))
    sheet = _sheet(overview)
    sheet.title = report.title
    sheet.notes = [f"区域：{report.region}　截至：{report.as_of}　由 chainkg report 生成"]
    fill_sheet(ws, sheet)
    for row in ws.iter_rows(min_col=2, max_col=2):
        for cell in row:
            unit = ws.cell(row=cell.row, column=3).value
            if unit == "亿元" and isinstance(cell.value, float):
                cell.number_format = "#,##0.00"
            elif unit and "/" in str(unit) and isinstance(cell.value, float):
                cell.number_format = RATE_FORMAT

    cws = wb.create_sheet(sheet_name("图表", taken))
    cws.cell(row=1, column=1, value="图表数据").font = Font(bold=True, size=14)
    row = 3
    for ch in report.charts:
        top = row
        series = ch.series
        if ch.kind == "funnel":
            # Funnel-style: an invisible padding series centres each stage's bar.
            peak = max(ch.series[0][1], default=0)
            series = [("(居中留白)", [(peak - v) / 2 for v in ch.series[0][1]]), *ch.series]
        cws.cell(row=row, column=1, value=ch.key).font = Font(bold=True)
        for j, (name, _) in enumerate(series, start=2):
            cws.cell(row=row, column=j, value=f"{name}({ch.unit})" if ch.unit else name).font = Font(bold=True)
        for k, cat in enumerate(ch.categories, start=1):
            cws.cell(row=row + k, column=1, value=cat)
            for j, (_, values) in enumerate(series, start=2):
                cell = cws.cell(row=row + k, column=j, value=values[k - 1])
                cell.number_format = "#,##0.00" if ch.unit == "亿元" else "0"
        n = max(len(ch.categories), 1)
        bar = BarChart()
        bar.title = ch.title
        bar.type = "col" if ch.kind == "stacked" else "bar"
        bar.style = 10
        bar.height, bar.width = 7.5, 16
        bar.y_axis.title = ch.unit
        bar.legend.position = "b"
        data = Reference(cws, min_col=2, max_col=1 + len(series), min_row=top, max_row=top + n)
        cats = Reference(cws, min_col=1, min_row=top + 1, max_row=top + n)
        bar.add_data(data, titles_from_data=True)
        bar.set_categories(cats)
        if ch.kind in ("stacked", "funnel"):
            bar.grouping, bar.overlap = "stacked", 100
        drawn = bar.series
        if ch.kind == "funnel":
            # The first stage on top; the padding series is drawn without fill or line.
            bar.x_axis.scaling.orientation = "maxMin"
            bar.gapWidth = 30
            bar.legend = None
            bar.series[0].graphicalProperties.noFill = True
            bar.series[0].graphicalProperties.line.noFill = True
            drawn = bar.series[1:]
        for s, colour in zip(drawn, ch.colours, strict=False):
            s.graphicalProperties.solidFill = colour
            s.graphicalProperties.line.solidFill = colour
        bar.x_axis.delete = False
        bar.y_axis.delete = False
        cws.add_chart(bar, f"E{top}")
        row = top + max(n + 2, 17)
    cws.column_dimensions["A"].width = 16
    for col in "BC":
        cws.column_dimensions[col].width = 14

    for s in report.sections[1:]:
        fill_sheet(wb.create_sheet(sheet_name(s.title, taken)), _sheet(s))
    for w in wb.worksheets:
        w.page_setup.paperSize = w.PAPERSIZE_A4
        w.sheet_properties.pageSetUpPr.fitToPage = True
        w.page_setup.fitToWidth, w.page_setup.fitToHeight = 1, 0
        if w.title != "图表":
            w.page_setup.orientation = "landscape"
    return wb


def report_xlsx(report: Report) -> bytes:
    return xlsx_bytes(report_workbook(report))


# ------------------------------------------------------------------------------------------- text
def _fmt(v: Any, column: str = "") -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        if column.endswith("_yi"):
            return f"{v:,.2f}"
        if column == "value":  # a conversion rate
            return f"{v:.0%}"
        if v.is_integer():
            return f"{int(v):,}"
        return f"{v:.4f}".rstrip("0").rstrip(".")
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, (list, tuple)):
        return "、".join(map(str, v))
    return " ".join(str(v).split())


def _kpi_text(k: dict[str, Any]) -> str:
    v = k["value"]
    if k["unit"] == "亿元":
        return f"{v:,.2f} 亿元"
    if k["metric"] == "落地率":
        return f"{v:.0%}（{k['unit']}）" if v is not None else "—"
    return f"{_fmt(v)} {k['unit']}".strip()


def report_markdown(report: Report) -> str:
    """The report as Markdown: a KPI list and one table per section."""

    def cell(v: Any, c: str) -> str:
        return _fmt(v, c).replace("|", "\\|")

    out = [f"# {report.title}", "", f"区域：{report.region}　截至：{report.as_of}　由 `chainkg report` 生成", ""]
    out += [f"- **{k['metric']}**：{_kpi_text(k)}" for k in report.kpis]
    for s in report.sections[1:]:
        out += ["", f"## {s.title}", ""]
        if s.note:
            out += [f"*{s.note}*", ""]
        if not s.rows:
            out.append("（无）")
            continue
        out.append("| " + " | ".join(s.headers()) + " |")
        out.append("|" + "|".join("---:" if _numeric(s, c) else "---" for c in s.columns) + "|")
        out += ["| " + " | ".join(cell(r.get(c), c) for c in s.columns) + " |" for r in s.rows]
    return "\n".join(out) + "\n"


def _numeric(s: Section, column: str) -> bool:
    vals = [r.get(column) for r in s.rows if r.get(column) is not None]
    return bool(vals) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals)


# ------------------------------------------------------------------------------------------- HTML
def _svg_bars(ch: Chart, width: int = 640) -> str:
    """A horizontal bar chart as inline SVG (stacked, centred funnel, or grouped)."""
    e = html.escape
    label_w, row_h, pad = 150, 26, 8
    n_series = len(ch.series)
    per_cat = n_series if ch.kind == "grouped" else 1
    band = row_h * per_cat + pad
    legend_h = 24 if n_series > 1 else 0
    height = 36 + legend_h + band * max(len(ch.categories), 1) + 10
    if ch.kind == "stacked":
        peak = max((sum(v[i] for _, v in ch.series) for i in range(len(ch.categories))), default=0)
    else:
        peak = max((x for _, v in ch.series for x in v), default=0)
    peak = peak or 1
    plot_w = width - label_w - 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{e(ch.title)}">',
             f'<text x="0" y="20" class="ct">{e(ch.title)}</text>']
    if n_series > 1:
        x = label_w
        for (name, _), colour in zip(ch.series, ch.colours, strict=False):
            parts.append(f'<rect x="{x}" y="30" width="12" height="12" fill="#{colour}"/>'
                         f'<text x="{x + 16}" y="41" class="lg">{e(name)}</text>')
            x += 30 + 14 * len(name)
    y0 = 36 + legend_h
    if not ch.categories:
        parts.append(f'<text x="{label_w}" y="{y0 + 18}" class="lg">（无数据）</text>')
    for i, cat in enumerate(ch.categories):
        y = y0 + i * band
        parts.append(f'<text x="{label_w - 8}" y="{y + band / 2 + 4:.0f}" class="cat" '
                     f'text-anchor="end">{e(cat)}</text>')
        if ch.kind == "stacked":
            x = label_w
            for (name, values), colour in zip(ch.series, ch.colours, strict=False):
                w = values[i] / peak * plot_w
                if w > 0:
                    parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 4}" '
                                 f'fill="#{colour}"><title>{e(cat)} {e(name)}: {_fmt(values[i])}</title></rect>')
                    if w > 18:
                        parts.append(f'<text x="{x + w / 2:.1f}" y="{y + row_h / 2 + 2:.0f}" class="in" '
                                     f'text-anchor="middle">{_fmt(values[i])}</text>')
                x += w
            total = sum(v[i] for _, v in ch.series)
            parts.append(f'<text x="{x + 6:.1f}" y="{y + row_h / 2 + 2:.0f}" class="val">{_fmt(total)}</text>')
        elif ch.kind == "funnel":
            name, values = ch.series[0]
            w = max(values[i] / peak * plot_w, 1)
            x = label_w + (plot_w - w) / 2
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 4}" fill="#{ch.colours[0]}">'
                         f'<title>{e(cat)}: {_fmt(values[i])}</title></rect>'
                         f'<text x="{label_w + plot_w + 6}" y="{y + row_h / 2 + 2:.0f}" class="val">'
                         f'{_fmt(values[i])}</text>')
        else:
            for j, ((name, values), colour) in enumerate(zip(ch.series, ch.colours, strict=False)):
                w = values[i] / peak * plot_w
                yy = y + j * row_h
                shown = f"{values[i]:,.2f}" if ch.unit == "亿元" else _fmt(values[i])
                parts.append(f'<rect x="{label_w}" y="{yy}" width="{max(w, 0.5):.1f}" height="{row_h - 4}" '
                             f'fill="#{colour}"><title>{e(cat)} {e(name)}: {shown}</title></rect>'
                             f'<text x="{label_w + w + 6:.1f}" y="{yy + row_h / 2 + 2:.0f}" class="val">'
                             f'{shown}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _svg_panorama(rows: list[dict[str, Any]], width: int = 960) -> str:
    """The chain panorama (全景图) coloured by local status: one band per chain, one column per stage."""
    e = html.escape
    stages = [s for s in STAGE_LABEL.values() if any(r["stage"] == s for r in rows)]
    stages += sorted({r["stage"] for r in rows} - set(stages))
    chains = list(dict.fromkeys(r["chain"] for r in rows))
    col_w = (width - 110) / max(len(stages), 1)
    box_h, gap = 26, 6
    status_key = {v: k for k, v in STATUS_LABEL.items()}
    parts, y = [], 30
    for s_i, stage in enumerate(stages):
        parts.append(f'<text x="{110 + s_i * col_w + col_w / 2:.0f}" y="18" class="cat" '
                     f'text-anchor="middle">{e(stage)}</text>')
    for chain in chains:
        mine = [r for r in rows if r["chain"] == chain]
        depth = max((sum(1 for r in mine if r["stage"] == s) for s in stages), default=1)
        band_h = depth * (box_h + gap) + gap
        parts.append(f'<rect x="0" y="{y}" width="{width}" height="{band_h}" fill="#f6f8fa" stroke="#d0d7de"/>'
                     f'<text x="8" y="{y + band_h / 2 + 4:.0f}" class="cat">{e(chain)}</text>')
        for s_i, stage in enumerate(stages):
            for k, r in enumerate(r for r in mine if r["stage"] == stage):
                x = 110 + s_i * col_w + 6
                yy = y + gap + k * (box_h + gap)
                colour = STATUS_COLOUR.get(status_key.get(r["status"], ""), "#777")
                name = r["segment"] if len(r["segment"]) <= 12 else r["segment"][:11] + "…"
                parts.append(f'<g><title>{e(r["segment"])}：{e(r["status"])}，本地企业 {r["local_enterprises"]} 家'
                             f'</title><rect x="{x:.1f}" y="{yy}" width="{col_w - 12:.1f}" height="{box_h}" rx="5" '
                             f'fill="{colour}"/><text x="{x + (col_w - 12) / 2:.1f}" y="{yy + 17}" class="in" '
                             f'text-anchor="middle">{e(name)}</text></g>')
        y += band_h + 8
    legend = "".join(f'<rect x="{110 + i * 90}" y="{y + 4}" width="12" height="12" fill="{STATUS_COLOUR[k]}"/>'
                     f'<text x="{126 + i * 90}" y="{y + 15}" class="lg">{v}</text>'
                     for i, (k, v) in enumerate(STATUS_LABEL.items()))
    height = y + 24
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart panorama" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" aria-label="产业链全景图">'
            + "".join(parts) + legend + "</svg>")


_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",sans-serif;margin:2em auto;
max-width:1100px;color:#1f2328;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #1565c0;padding-bottom:.2em;margin-top:1.8em}
.meta{color:#57606a}.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px;margin:1em 0}
.kpi{background:#f6f8fa;border:1px solid #d0d7de;border-radius:8px;padding:10px}
.kpi b{display:block;font-size:1.35em;margin-top:4px}.kpi span{color:#57606a;font-size:.9em}
table{border-collapse:collapse;width:100%;font-size:.9em;margin:.5em 0}
th,td{border:1px solid #d0d7de;padding:4px 6px;vertical-align:top;text-align:left}th{background:#dde7f3}
td.n{text-align:right;white-space:nowrap}.note{color:#57606a;font-style:italic}
.charts{display:flex;flex-wrap:wrap;gap:16px}svg.chart{max-width:100%;height:auto;background:#fff}
svg text{font-family:inherit;font-size:12px;fill:#1f2328}svg .ct{font-size:15px;font-weight:bold}
svg text.in{fill:#fff;font-size:11px}svg .val{fill:#57606a}
"""


def report_html(report: Report) -> str:
    """The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched."""
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
           'img-src data:">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(report.title)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{e(report.title)}</h1>",
           f'<p class="meta">区域：{e(report.region)}　截至：{e(report.as_of)}　由 chainkg report 生成</p>',
           '<h2 id="overview">概览</h2><div class="kpis">']
    out += [f'<div class="kpi"><span>{e(k["metric"])}</span><b>{e(_kpi_text(k))}</b></div>' for k in report.kpis]
    out.append("</div>")
    out.append('<h2 id="panorama">产业链全景图（本地现状）</h2>')
    out.append(_svg_panorama(report.panorama))
    out.append('<h2 id="charts">图表</h2><div class="charts">')
    out += [_svg_bars(ch) for ch in report.charts]
    out.append("</div>")
    for s in report.sections[1:]:
        out.append(f'<h2 id="{e(s.key)}">{e(s.title)}</h2>')
        if s.note:
            out.append(f'<p class="note">{e(s.note)}</p>')
        if not s.rows:
            out.append("<p>（无）</p>")
            continue
        num = [_numeric(s, c) for c in s.columns]
        out.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in s.headers()) + "</tr></thead><tbody>")
        for r in s.rows:
            out.append("<tr>" + "".join(f'<td{" class=n" if n else ""}>{e(_fmt(r.get(c), c))}</td>'
                                        for c, n in zip(s.columns, num, strict=True)) + "</tr>")
        out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


FORMATS = {".xlsx": "xlsx", ".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}


def write_report(report: Report, path: str | os.PathLike[str]) -> str:
    """Write the report in the format the file's suffix names (.xlsx, .html, .md); returns that format."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise GraphError(f"{path}: a report is written as .xlsx, .html or .md")
    if fmt == "xlsx":
        data = report_xlsx(report)
    elif fmt == "html":
        data = report_html(report).encode("utf-8")
    else:
        data = report_markdown(report).encode("utf-8")
    write_bytes(path, data)
    return fmt
