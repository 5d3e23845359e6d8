"""Words the HTML page shows, in Chinese (default) and English. Names from the data are never translated.

The page's own UI words live here; enum values (stages, statuses, rules …), property labels and the query
rows' reasons come from the catalogue the CLI and the report share, :mod:`chainkg.i18n`.

>>> text("zh", "search")
'搜索名称或别名（简/繁）'
>>> type_label("Enterprise", "zh"), type_label("Enterprise", "en")
('企业', 'Enterprise')
>>> prop_label("stock_code", "zh")
'股票代码'
"""

from __future__ import annotations

from chainkg.i18n import (  # noqa: F401  (re-exported: the views use i18n.STAGE, i18n.pick …)
    ENUM,
    EVIDENCE,
    GAP_KIND,
    PROVENANCE,
    SCORE_PART,
    STAGE,
    STATUS,
    WEAK_RULE,
    pick,
    prop_label,
    say,
)
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
    # the panorama (全景图)
    "view_panorama": ("产业链全景图", "Chain panorama"),
    "view_panorama_all": ("产业链全景图总览", "All chains panorama"),
    "no_template": ("未编制全景图（尚无环节模板）", "no panorama yet (no segment template)"),
    "no_template_short": ("未编制全景图", "no panorama yet"),
    "aliases": ("别名", "Aliases"),
    "rule_detail": ("判定说明", "Rule detail"),
    "more_local": ("…另 {n} 家本地企业", "… {n} more local firms"),
    "more_projects": ("…另 {n} 个项目", "… {n} more projects"),
    "targets_head": ("招商目标（得分）", "Recruiting targets (score)"),
    "no_targets": ("招商目标：库中暂无外地企业", "Targets: no outside firm known"),
    "n_outside": ("外地 {n} 家 ▸", "{n} outside firms ▸"),
    "n_firms": ("企业 {n} 家 ▸", "{n} firms ▸"),
    "ov_local": ("本地 {n}", "local {n}"),
    "ov_out": ("外地 {n}", "outside {n}"),
    "ov_firms": ("企业 {n}", "firms {n}"),
    "no_home": ("未设定本地区域：图中不区分本地与外地企业，也不标注覆盖状态。请用 --region 指定区域，"
                "或在数据中设定 home_region。",
                "No home region set: firms are not split into local and outside and segments are not coloured "
                "by coverage. Pass --region NAME or set home_region in the data."),
    "fit": ("全图", "Fit"),
    "reset": ("重置", "Reset"),
    "zoom_in": ("放大", "Zoom in"),
    "zoom_out": ("缩小", "Zoom out"),
    "export_png": ("导出 PNG", "PNG"),
    "export_svg": ("导出 SVG", "SVG"),
    "print": ("打印 / PDF", "Print / PDF"),
    "t_segments": ("环节", "Segments"),
    "t_covered": ("已覆盖", "Covered"),
    "t_weak": ("薄弱", "Weak"),
    "t_missing": ("缺失", "Missing"),
    "t_local": ("本地企业", "Local firms"),
    "t_firms": ("企业", "Firms"),
    "t_anchors": ("链主", "Anchors"),
    "t_projects": ("项目", "Projects"),
    "status_filter": ("按状态显示", "Show by status"),
    "stage": ("环节位置", "Stage"),
    "chain": ("产业链", "Chain"),
    "rules": ("触发的强链规则", "强链 rules fired"),
    "miss_why": ("缺链依据", "Why it is a gap"),
    "feeds_covered": ("供给已覆盖环节", "Feeds covered"),
    "fed_by_covered": ("由已覆盖环节供给", "Fed by covered"),
    "anchors_need": ("需要它的本地链主", "Local anchors needing it"),
    "in_pipeline": ("在谈项目", "In the pipeline"),
    "gap_score": ("补链得分", "Gap score"),
    "targets": ("招商目标", "Recruiting targets"),
    "score": ("得分", "Score"),
    "hq": ("总部", "HQ"),
    "segments_of": ("所在环节", "Segments"),
    "amount": ("协议金额", "Agreed amount"),
    "none": ("无", "none"),
    "inspector_hint": ("点击环节或企业查看详情：覆盖状态与依据、本地与外地企业、项目与金额、招商目标。",
                       "Click a segment or firm for details: status and why, local and outside firms, projects, "
                       "targets."),
    "pano_hint": ("滚轮缩放、拖动平移；键盘：+ − 缩放，方向键平移，0 重置，F 全图，Esc 清除。",
                  "Wheel to zoom, drag to pan; keys: + − zoom, arrows pan, 0 reset, F fit, Esc clear."),
    "local_firms_of": ("本地企业", "Local firms"),
    "outside_firms_of": ("外地企业", "Outside firms"),
    "shown_first": ("仅列出前 {n} 家", "first {n} shown"),
    "anchor_tag": ("链主", "anchor"),
    "local_tag": ("本地", "local"),
    "outside_tag": ("外地", "outside"),
    "no_home_short": ("未判定（无本地区域）", "not judged (no home region)"),
    "t_props": ("属性", "Properties"),
    # the whole view, clustered by chain
    "cl_members": ("成员", "Members"),
    "cl_open": ("展开", "Open"),
    "cl_close": ("收起", "Collapse"),
    "cl_closed_only": ("成员太多，本页未收录。可用以下命令查看：", "Too many members for this page. See them with:"),
    "cl_hint": ("全图按产业链分组：双击分组（或点击后按“展开”）查看成员，双击成员或按“收起”折叠；"
                "“重置”回到分组视图。",
                "The whole graph grouped by chain: double-click a group (or click it, then Open) to see its "
                "members; double-click a member or press Collapse to fold it; Reset returns to the groups."),
    "cl_link": ("分组间关系", "Links between groups"),
    "cl_shared": ("共有企业", "Shared firms"),
    "groups": ("分组", "groups"),
}

#: Names of the whole view's groups other than the chains (:mod:`chainkg.visualize.clusters`).
GROUP_WORDS = {
    "regions_local": ("本地区域", "Local regions"),
    "regions_outside": ("外地区域", "Outside regions"),
    "regions": ("区域", "Regions"),
    "events": ("招商活动", "Events"),
    "firms_other": ("未归链企业", "Firms without a chain"),
    "other": ("其他节点", "Other nodes"),
}

# The enum tables are shared with the CLI and the report (one catalogue: :mod:`chainkg.i18n`).
GAP = STATUS
PROVENANCE_HELP = {
    "stated": ("实线：来源明确陈述", "solid: a source states it"),
    "template": ("虚线：产业链模板（全景图）", "dashed: chain template"),
    "inferred": ("点线：推断，附理由", "dotted: inferred, with a reason"),
}


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


def value(key: str, v: object, lang: str) -> str:
    """A property value as the page shows it: enums and booleans in the page's language, lists joined.

    >>> value("level", "city", "zh"), value("stage", "upstream", "zh"), value("listed", True, "zh")
    ('市级', '上游', '是')
    """
    if isinstance(v, bool):
        return text(lang, "yes" if v else "no")
    if isinstance(v, float):
        return f"{int(v):,}" if v.is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")
    if isinstance(v, (list, tuple)):
        return "、".join(str(x) for x in v)
    if key == "stage":
        return pick(STAGE, str(v), lang)
    if key in ENUM and str(v) in ENUM[key]:
        return _pick(ENUM[key][str(v)], lang)
    return str(v)
