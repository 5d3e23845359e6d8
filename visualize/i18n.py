"""Words the HTML page shows, in Chinese (default) and English. Names from the data are never translated.

>>> text("zh", "search")
'搜索名称或别名（简/繁）'
>>> type_label("Enterprise", "zh"), type_label("Enterprise", "en")
('企业', 'Enterprise')
>>> prop_label("stock_code", "zh")
'股票代码'
"""

from __future__ import annotations

import re

from chainkg.schema import SCHEMA

LANGS = ("zh", "en")

_UI = {
    "search": ("搜索名称或别名（简/繁）", "Search name or alias (Simplified/Traditional)"),
    "go": ("查找", "Find"),
    "no_match": ("没有匹配的节点", "No matching node"),
    "types": ("节点类型", "Node types"),
    "chain_filter": ("产业链", "Chain"),
    "all_chains": ("全部产业链", "All chains"),
    "legend": ("图例", "Legend"),
    "relations": ("关系", "Relationships"),
    "provenance": ("来源类型", "Provenance"),
    "gap": ("本地覆盖（缺链）", "Local coverage (gaps)"),
    "gap_missing_module": ("缺链分析尚不可用", "Gap analysis not available"),
    "marks": ("标记", "Marks"),
    "anchor": ("链主企业（金色粗边）", "Chain master / anchor (thick gold border)"),
    "local": ("本地（实色）", "Local (solid fill)"),
    "outside": ("外地（浅色）", "Outside (pale fill)"),
    "nodes": ("节点", "nodes"),
    "edges": ("关系", "edges"),
    "generated": ("生成于", "generated"),
    "view_overview": ("产业链总览", "Chains overview"),
    "view_chain": ("产业链图谱", "Chain map"),
    "view_ego": ("关系网络", "Neighbourhood"),
    "view_whole": ("全图", "Whole graph"),
    "hint": (
        "点击节点高亮其关联；滚轮缩放，拖动平移。",
        "Click a node to highlight its neighbours; scroll to zoom, drag to pan.",
    ),
    "clear": ("清除", "Clear"),
    "located": ("位于", "Located in"),
    "is_local": ("本地", "local"),
    "is_outside": ("外地", "outside"),
    "chains": ("所属产业链", "Chains"),
    "status_row": ("覆盖状态", "Coverage"),
    "firms_local": ("本地企业", "Local firms"),
    "firms_outside": ("外地企业", "Outside firms"),
    "projects": ("项目", "Projects"),
    "segments": ("环节", "Segments"),
    "source": ("来源", "Source"),
    "id": ("编号", "Id"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "depth": ("层数", "depth"),
    "filters": ("筛选", "Filters"),
    "region": ("区域", "Region"),
}

STAGE = {
    "upstream": ("上游", "Upstream"),
    "midstream": ("中游", "Midstream"),
    "downstream": ("下游", "Downstream"),
    "support": ("配套", "Support"),
    "cycle": ("循环", "Recycling"),
}
PROVENANCE = {
    "stated": ("有据", "stated"),
    "template": ("模板", "template"),
    "inferred": ("推断", "inferred"),
}
PROVENANCE_HELP = {
    "stated": ("实线：来源明确陈述", "solid: a source states it"),
    "template": ("虚线：产业链模板（全景图）", "dashed: chain template"),
    "inferred": ("点线：推断，附理由", "dotted: inferred, with a reason"),
}
EVIDENCE = {"stated": ("证据", "evidence"), "template": ("依据", "basis"), "inferred": ("理由", "reason")}
GAP = {
    "covered": ("已覆盖", "covered"),
    "weak": ("薄弱", "weak"),
    "missing": ("缺失", "missing"),
}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def text(lang: str, key: str) -> str:
    """A UI string."""
    return _pick(_UI[key], lang)


def colon(lang: str) -> str:
    """The colon between a view's name and its subject."""
    return "：" if lang == "zh" else ": "


def ui_strings(lang: str) -> dict[str, str]:
    """All UI strings for the page's script."""
    return {k: _pick(v, lang) for k, v in _UI.items()}


def type_label(node_type: str, lang: str) -> str:
    nt = SCHEMA.node_type(node_type)
    return nt.zh if lang == "zh" else nt.name


def rel_label(rel_type: str, lang: str) -> str:
    if not SCHEMA.has_rel_type(rel_type):
        return rel_type
    rt = SCHEMA.rel_type(rel_type)
    return rt.zh if lang == "zh" else rt.name


def prop_label(name: str, lang: str, node_type: str | None = None) -> str:
    """A property's label: its first Chinese column alias in Chinese, its name in English."""
    if lang != "zh":
        return name
    prop = None
    if node_type and SCHEMA.has_node_type(node_type):
        prop = SCHEMA.node_type(node_type).prop(name)
    if prop is None:
        prop = SCHEMA.common_prop(name)
    for t in (*SCHEMA.rel_types, *SCHEMA.node_types):
        if prop is not None:
            break
        prop = t.prop(name)
    if prop:
        for a in prop.aliases:
            if _CJK.search(a):
                return a
    return name


def pick(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    """A translated enum value (stage, provenance, gap status), or the key itself."""
    return _pick(table[key], lang) if key in table else key
