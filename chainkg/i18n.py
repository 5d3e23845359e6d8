"""Display words in Chinese (default) and English: one catalogue for the CLI, the report and the HTML views.

Scripts get stable English: rows, JSON keys and enum values (``upstream``, ``missing``, ``small-firms-only``)
never change with the language. What people read is localised at the last step — table headers, enum values
shown in a table, CSV/XLSX headers, and the reason texts of the query rows.

Reasons are :class:`Message` values: a ``str`` holding the English text (what JSON, the Python API and the
parity tests see, unchanged) that also remembers the message codes and parameters it was built from, so
:func:`say` can render it in Chinese through :data:`MESSAGES`. The pure row builders in ``chainkg.graph``
build them, so both engines give the same rows in every language.

Imported at start-up (the row builders use it): plain tables only, the schema is imported lazily.

>>> m = message(("no_local", {}), ("feeds_covered", {"names": ["电芯"]}))
>>> m
'no local enterprise and no landed project; feeds covered 电芯'
>>> say(m, "zh")
'无本地企业、无落地项目；下游已覆盖：电芯'
>>> label("agreed_amount_yi", "zh"), label("agreed_amount_yi", "en")
('协议金额(亿元)', 'agreed_amount_yi')
>>> display_value("stage", "upstream", "zh"), display_value("rules", ["outside-suppliers"], "zh")
('上游', ['本地链主向外地采购'])
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any

LANGS = ("zh", "en")
LANG_ENV = "CHAINKG_LANG"
DEFAULT_LANG = "zh"

Pair = tuple[str, str]


def env_lang() -> str:
    """The language ``CHAINKG_LANG`` names (zh or en), else Chinese; an unknown value counts as unset."""
    v = os.environ.get(LANG_ENV, "").strip().lower()
    return v if v in LANGS else DEFAULT_LANG


def pick(table: dict[str, Pair], key: str, lang: str) -> str:
    """A translated enum value, or the key itself when the table does not know it."""
    pair = table.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "zh" else pair[1]


# ------------------------------------------------------------------------------------------ enum values
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
EVIDENCE = {"stated": ("证据", "evidence"), "template": ("依据", "basis"), "inferred": ("理由", "reason")}
#: A segment's local status (coverage).
STATUS = {
    "covered": ("已覆盖", "covered"),
    "weak": ("薄弱", "weak"),
    "missing": ("缺失", "missing"),
}
WEAK_RULE = {
    "no-enterprise": ("仅有落地项目，无本地企业", "covered only by a landed project"),
    "small-firms-only": ("本地企业均为小企业", "local firms all small"),
    "outside-suppliers": ("本地链主向外地采购", "local anchors buy from outside"),
}
SUPPLY_RULE = {
    "single-supplier": ("单一供应商", "single supplier"),
    "single-region": ("供应商集中一地", "single supplier region"),
    "outside-only": ("仅靠外地", "outside only"),
}
GAP_KIND = {"missing": ("补链", "fill (missing)"), "weak": ("强链", "strengthen (weak)"), "extend": ("延链", "extend")}
SCORE_PART = {
    "gap": ("缺口", "gap"),
    "ties": ("关联链主", "ties to anchors"),
    "lists": ("名录", "lists"),
    "region": ("来源地", "courted region"),
    "pipeline": ("在谈", "pipeline"),
}
DIRECTION = {"upstream": ("上游", "upstream"), "downstream": ("下游", "downstream"), "both": ("上下游", "both")}
RELATION = {"supplier": ("供应商", "supplier"), "customer": ("客户", "customer")}
NODE_KIND = {"segment": ("环节", "segment"), "enterprise": ("企业", "enterprise")}
#: Placeholder group keys of the queries ("(none)": a project in no chain/event; "(no segment)").
PLACEHOLDER = {"(none)": ("（无）", "(none)"), "(no segment)": ("（未归环节）", "(no segment)")}
BOOL = {True: ("是", "yes"), False: ("否", "no")}
#: Enum values of node and relationship properties.
ENUM = {
    "level": {"country": ("国家", "country"), "province": ("省级", "province"), "city": ("市级", "city"),
              "district": ("区县", "district"), "county": ("县级", "county"), "town": ("乡镇", "town"),
              "dev_zone": ("开发区", "dev_zone"), "park": ("园区", "park")},
    "role": {"anchor": ("链主", "anchor"), "key": ("重点企业", "key"), "supporting": ("配套企业", "supporting"),
             "site": ("生产基地", "site"), "hq": ("总部", "HQ")},
    "kind": {"dataset": ("数据集", "dataset")},
}

#: Which enum table a table column's values come from (Chinese tables show them translated).
COLUMN_VALUES: dict[str, dict[str, Pair]] = {
    "stage": STAGE, "stages": STAGE, "status": STATUS, "gap": GAP_KIND, "rules": WEAK_RULE, "rule": SUPPLY_RULE,
    "placement": PROVENANCE, "provenance": PROVENANCE, "direction": DIRECTION, "relation": RELATION,
    "kind": NODE_KIND, "key": PLACEHOLDER, "segment": PLACEHOLDER, "scope": {},
}
#: Columns whose values are schema node or relationship type names.
_TYPE_COLUMNS = {"type", "node type", "label"}
_REL_COLUMNS = {"relationship"}

# ------------------------------------------------------------------------------------------ column headers
#: Chinese headers of every column a table, CSV or sheet shows (English shows the field name itself).
LABELS = {
    # the queries' fields
    "chain": "产业链", "chain_id": "产业链编号", "segment": "环节", "segment_id": "环节编号", "stage": "阶段",
    "order": "序号", "score": "得分", "reason": "理由", "local_enterprises": "本地企业数", "anchors": "链主",
    "enterprises": "本地企业", "projects": "项目数", "agreed_amount_yi": "协议金额(亿元)",
    "funds_in_place_yi": "到位资金(亿元)", "status": "状态", "rules": "触发规则", "rule": "规则",
    "direction": "方向", "hops": "跳数", "relatedness": "关联度", "covered_neighbours": "已覆盖相邻环节数",
    "neighbours": "相邻环节数", "via": "经由", "covered_upstream": "已覆盖上游", "covered_downstream": "已覆盖下游",
    "anchors_needing": "需要它的链主", "pipeline": "未落地项目", "serves": "服务环节", "anchors_served": "服务链主",
    "suppliers": "供应商", "regions": "供应商地区", "enterprise": "企业", "enterprise_id": "企业编号",
    "relation": "关系", "anchor": "本地链主", "anchor_id": "链主编号",
    "product": "产品", "hq": "总部", "kind": "类型", "name": "名称",
    "id": "编号", "local": "本地已有", "betweenness": "介数", "inputs": "被卡投入", "gap": "缺口",
    "placement": "环节依据", "parts": "得分构成", "part_gap": "缺口分", "part_ties": "关联分", "part_lists": "榜单分",
    "part_region": "来源地分", "part_pipeline": "在谈分", "why": "理由",
    "group": "分组方式", "key": "分组", "rate": "转化率", "reached": "达到", "of": "基数", "value": "比率",
    "project": "项目", "since": "状态日期", "days": "停留天数",
    # the report's own
    "metric": "指标", "unit": "单位", "covered": "已覆盖", "weak": "薄弱", "missing": "缺失",
    "provenance": "来源类型", "facts": "事实数", "scope": "范围",
    # info, show, search
    "node type": "节点类型", "count": "数量", "relationship": "关系", "records": "记录数", "tier": "梯队",
    "verified": "已核实", "type": "类型", "aliases": "别名", "detail": "详情", "evidence": "证据", "section": "部分",
    # templates, match, neo4j
    "slug": "代号", "segments": "环节数", "stages": "阶段", "basis": "依据", "issuer": "发布机构", "year": "年份",
    "feeds": "供给", "gbt": "国标行业代码", "keywords": "关键词", "firms": "企业数", "by_keyword": "产品词",
    "by_industry": "行业", "by_code": "代码", "by_scope": "经营范围", "by_list": "名单",
    "below_threshold": "低于阈值", "overruled": "让位", "top": "置信度最高的企业", "label": "标签",
}


def label(column: str, lang: str) -> str:
    """A column's header: its Chinese label in Chinese (the name when it has none), the field name in English."""
    return LABELS.get(column, column) if lang == "zh" else column


def display_value(column: str, v: Any, lang: str) -> Any:
    """A cell's value as a table in ``lang`` shows it: reasons and (in Chinese) enum values and booleans translated.

    Numbers, names and anything the catalogue does not know are returned unchanged.
    """
    if isinstance(v, Message):
        return v.say(lang)
    if lang != "zh":
        return str(v) if isinstance(v, str) else v  # a plain str, never a Message subclass
    if isinstance(v, bool):
        return BOOL[v][0]
    if isinstance(v, str):
        return _value_zh(column, v)
    if isinstance(v, (list, tuple)):
        return [_value_zh(column, x) if isinstance(x, str) else x for x in v]
    if isinstance(v, dict) and column == "detail":
        return {prop_label(k, "zh"): enum_value(k, x, "zh") for k, x in v.items()}
    return v


def _value_zh(column: str, v: str) -> str:
    table = COLUMN_VALUES.get(column)
    if table is not None and v in table:
        return table[v][0]
    if column in _TYPE_COLUMNS or column in _REL_COLUMNS:
        return schema_label(v, "zh")
    return v


def enum_value(key: str, v: Any, lang: str) -> Any:
    """A property value: its enum translated (level, role, stage …) in Chinese, else unchanged."""
    if lang == "zh" and isinstance(v, str):
        if key == "stage":
            return pick(STAGE, v, lang)
        if key in ENUM and v in ENUM[key]:
            return ENUM[key][v][0]
    if isinstance(v, bool):
        return BOOL[v][0 if lang == "zh" else 1]
    return v


def schema_label(name: str, lang: str) -> str:
    """A node or relationship type's Chinese name from the schema (its own name in English or when unknown)."""
    if lang != "zh":
        return name
    from chainkg.schema import SCHEMA

    if SCHEMA.has_node_type(name):
        return SCHEMA.node_type(name).zh
    if SCHEMA.has_rel_type(name):
        return SCHEMA.rel_type(name).zh
    return name


def prop_label(name: str, lang: str, node_type: str | None = None) -> str:
    """A property's label: its first Chinese column alias in Chinese, its name in English."""
    if lang != "zh":
        return name
    from chainkg.schema import SCHEMA

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
            if any("\u4e00" <= ch <= "\u9fff" for ch in a):
                return a
    return name


# ------------------------------------------------------------------------------------------ messages
def _names(v: Any) -> str:
    return "、".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)


def _hops_en(hops: int, side: str, via: Sequence[str]) -> str:
    where = {"downstream": "downstream of", "upstream": "upstream of", "both": "next to"}[side]
    return f"{hops} hop{'s' if hops > 1 else ''} {where} covered {_names(via)}"


def _hops_zh(hops: int, side: str, via: Sequence[str]) -> str:
    where = {"downstream": "下游", "upstream": "上游", "both": "上下游"}[side]
    return f"位于已覆盖环节 {_names(via)} 的{where}，相距 {hops} 跳"


def _small_en(names: Sequence[str], small: Sequence[str], unknown: Sequence[str], revenue: float, employees: int,
              capital: float) -> str:
    who = (f"single local enterprise {names[0]}, a small one" if len(names) == 1
           else f"{len(names)} local enterprises, all small: " + _names(small))
    if unknown:
        who += "; size unknown: " + _names(unknown)
    return (f"{who} (no anchor, key, listed or 规上 firm and none above 营收 {revenue:g} 亿元, "
            f"{employees} 人 or 注册资本 {capital:g} 亿元)")


def _small_zh(names: Sequence[str], small: Sequence[str], unknown: Sequence[str], revenue: float, employees: int,
              capital: float) -> str:
    who = (f"仅一家本地企业 {names[0]}，规模小" if len(names) == 1
           else f"{len(names)} 家本地企业均为小企业：" + _names(small))
    if unknown:
        who += "；规模不详：" + _names(unknown)
    return (f"{who}（无链主、重点、上市或规上企业，也无营收超 {revenue:g} 亿元、{employees} 人"
            f"或注册资本 {capital:g} 亿元的企业）")


def _supply_need(lang: str, anchors: Sequence[str], via: Sequence[str]) -> str:
    if lang == "zh":
        return f"本地无企业生产；需要它的本地链主：{_names(anchors)}" + (f"（用于 {_names(via)}）" if via else "")
    return f"no local firm makes it; needed by local anchors {_names(anchors)}" + (
        f" (for {_names(via)})" if via else "")


def _one_supplier(lang: str, name: str, region: str | None) -> str:
    if lang == "zh":
        return f"已知供应商仅一家：{name}" + (f"（{region}）" if region else "")
    return f"one known supplier: {name}" + (f" ({region})" if region else "")


Template = str | Callable[..., str]

#: Every reason phrase the query rows use: code → (Chinese, English). A str is a format template (list
#: arguments are joined with 、); a callable takes the parameters. English is exactly the rows' text.
MESSAGES: dict[str, tuple[Template, Template]] = {
    # 补链 (gaps.missing_rows)
    "no_local": ("无本地企业、无落地项目", "no local enterprise and no landed project"),
    "fed_by_covered": ("上游已覆盖：{names}", "fed by covered {names}"),
    "feeds_covered": ("下游已覆盖：{names}", "feeds covered {names}"),
    "needed_by_anchors": ("本地链主需要：{names}", "needed by local anchors {names}"),
    "not_landed": ("尚未落地：{names}", "not yet landed: {names}"),
    "new_segment": ("无已覆盖的相邻环节（属建链而非补链）",
                    "no covered neighbour (a new chain segment, 建链 rather than 补链)"),
    # 技术/平台缺口 (gaps.capability_rows)
    "no_provider": ("无本地企业或落地项目提供", "no local firm or landed project provides it"),
    "serves_covered": ("服务已覆盖环节 {names}", "serves covered {names}"),
    "anchors_there": ("其中本地链主：{names}", "local anchors there: {names}"),
    "serves_none": ("尚未服务已覆盖环节", "serves no covered segment yet"),
    # 强链 (gaps.weak_rules)
    "only_project": ("仅由落地项目覆盖，无本地企业在此环节",
                    "covered only by a landed project; no local enterprise operates in it"),
    "small_firms": (_small_zh, _small_en),
    "outside_suppliers": ("本地链主向外地采购：{pairs}", "local anchors buy from outside the region: {pairs}"),
    # 延链 (gaps.extend_rows)
    "hops": (_hops_zh, _hops_en),
    "neighbours_covered": ("供给关系上相邻的 {total} 个环节中 {covered} 个已覆盖",
                    "{covered} of {total} FEEDS neighbours covered"),
    "across_chains": ("跨链，来自 {names}", "across chains from {names}"),
    # 供应链缺口 (supply.supply_rows)
    "supply_need": (lambda **a: _supply_need("zh", **a), lambda **a: _supply_need("en", **a)),
    "one_supplier": (lambda **a: _one_supplier("zh", **a), lambda **a: _one_supplier("en", **a)),
    "one_region": ("已知 {n} 家供应商均在{region}：{names}", "all {n} known suppliers are in {region}: {names}"),
    "known_suppliers": ("已知供应商：{names}", "known suppliers: {names}"),
    "no_supplier": ("无供应商记录", "no supplier recorded"),
    # 卡脖子 (chokepoints.chokepoint_row)
    "every_path": ("从 {inputs} 到 {anchors} 的每条路径都经过它",
                    "every path from {inputs} to {anchors} passes through it"),
    "covered_locally": ("本地已覆盖", "covered locally"),
    "not_covered_locally": ("本地未覆盖", "not covered locally"),
    "is_local": ("位于本地", "local"),
    "is_outside": ("位于区外", "outside the region"),
    # 招商目标 (targets.target_row)
    "works_in_gap": ("处于{gap}环节 {segment}", "works in {gap} gap {segment}"),
    "tied_to_anchors": ("与本地链主 {names} 有供需关系", "tied to local anchors {names}"),
    "on_lists": ("入选 {names}", "on {names}"),
    "hq_courted": ("总部在招商重点地区 {names}", "HQ in courted region {names}"),
    "invests": ("已投资本地项目 {names}", "already invests in {names}"),
    "placed_by_inference": ("环节归属为推断：{evidence}", "placed by inference: {evidence}"),
    # pipeline (pipeline.pipeline_report)
    "no_status_date": ("无状态日期记录", "no status date recorded"),
    "stalled": ("停留在{status} {days} 天（超过 {stale} 天）", "at {status} for {days} days (> {stale})"),
    # Problems with an input file (chainkg.loaders.LoadError reasons; the English is the text scripts and
    # tests have always seen). Values from the data come as ``value`` and are shown quoted.
    "no_such_path": ("文件或文件夹不存在", "no such file or folder"),
    "no_such_file": ("文件不存在", "no such file"),
    "unsupported_file": ("不支持的文件类型（请用 .csv、.xlsx、.yaml 或 .yml）",
                         "unsupported file type (use .csv, .xlsx, .yaml or .yml)"),
    "empty_folder": ("文件夹中没有 .csv、.xlsx、.yaml 或 .yml 文件",
                     "folder holds no .csv, .xlsx, .yaml or .yml files"),
    "more_errors": ("…… 本文件另有 {n:,} 处错误", "… and {n:,} more errors in this file"),
    "file_empty": ("文件为空（没有表头行）", "file is empty (no header row)"),
    "sheet_empty": ("工作表为空（没有表头行）", "sheet is empty (no header row)"),
    "is_required": ("必填", "is required"),
    "required_column": ("缺少必需的列", "required column is missing"),
    "unknown_column": (lambda type: f"“{schema_label(type, 'zh')}”数据没有这一列", "unknown column for {type}"),
    "same_property": (lambda other: f"与列“{other}”是同一属性", lambda other: f"same property as column {other!r}"),
    "cell_count": ("该行有 {cells:,} 个单元格，表头只有 {columns:,} 列",
                   "row has {cells:,} cells but the header has {columns:,}"),
    "not_in_enum": (lambda value, allowed: f"“{value}”不是可选值之一（{'、'.join(allowed)}）",
                    lambda value, allowed: f"{value!r} is not one of {', '.join(allowed)}"),
    "below_minimum": ("应不小于 {minimum}，实际为 {value}", "must be ≥ {minimum}, got {value}"),
    "not_a_property": ("不是该类型的属性", "is not a property of this type"),
    "evidence_required": (lambda kind, what: f"来源类型为{pick(PROVENANCE, kind, 'zh')}时必填"
                                             f"（{'引用的原文' if kind == 'stated' else '推断理由'}）",
                          lambda kind, what: f"is required when provenance is {kind} ({what})"),
    "duplicate_id": (lambda nid, first: f"id“{nid}”重复（首次出现于 {first.say('zh')}）",
                     lambda nid, first: f"duplicate id {nid!r} (first at {first})"),
    "unknown_ref": (lambda value, kind: f"引用“{value}”不存在（没有这个"
                                        f"{'节点' if kind == 'node' else schema_label(kind, 'zh')}）",
                    lambda value, kind: f"unknown reference {value!r} (no such {kind})"),
    # firm registers (chainkg import register)
    "register_same_field": (lambda other: f"与列“{other}”是同一字段", lambda other: f"same field as column {other!r}"),
    "register_no_name": ("缺少必需的列（企业名称）", "required column is missing (the firm's name)"),
    "register_no_code": ("企业名录需要“行业代码”或“经营范围”列，才能把企业归入产业链环节",
                         "a register needs 行业代码 or 经营范围 to place firms in the chain"),
    "register_empty_name": ("为空（每家企业都需要名称）", "is empty (every firm needs a name)"),
    "register_dup_credit": ("统一社会信用代码 {code} 重复（第 {row} 行已有）",
                            "duplicate credit code {code} (also row {row})"),
    "register_dup_name": (lambda name, row: f"企业“{name}”重复（第 {row} 行已有）；请填写统一社会信用代码以区分",
                          lambda name, row: f"duplicate firm {name!r} (also row {row}); "
                                            "add 统一社会信用代码 to tell them apart"),
    "register_bad_code": (lambda value: f"“{value}”不是 GB/T 4754-2017 行业代码",
                          lambda value: f"{value!r} is not a GB/T 4754-2017 industry code"),
    "register_bad_flag": (lambda value: f"应填 是/否，实际为“{value}”", lambda value: f"expected 是/否, got {value!r}"),
}

#: How two phrases of a reason are joined.
SEPARATOR = {"zh": "；", "en": "; "}

Part = tuple[str, dict[str, Any]]


def phrase(code: str, args: dict[str, Any], lang: str) -> str:
    """One phrase of a reason in ``lang``."""
    template = MESSAGES[code][0 if lang == "zh" else 1]
    if callable(template):
        return template(**args)
    return template.format(**{k: _names(v) if isinstance(v, (list, tuple)) else v for k, v in args.items()})


class Message(str):
    """A reason text: the English ``str`` every script sees, plus the phrases (code, parameters) it was made of.

    Equal to, hashed and serialised as its English text; :meth:`say` renders it in another language.
    Concatenating it gives a plain ``str`` (build reasons with :func:`message` instead).
    """

    parts: tuple[Part, ...]

    def __new__(cls, parts: Iterable[Part], text: str | None = None) -> Message:
        parts = tuple(parts)
        obj = super().__new__(cls, SEPARATOR["en"].join(phrase(c, a, "en") for c, a in parts)
                              if text is None else text)
        obj.parts = parts
        return obj

    def say(self, lang: str) -> str:
        """The reason in ``lang`` (``en``: the text itself)."""
        if lang != "zh":
            return str(self)
        return SEPARATOR["zh"].join(phrase(c, a, "zh") for c, a in self.parts)

    # Immutable: copying (dataclasses.asdict deep-copies row fields) keeps the same object and its phrases.
    def __copy__(self) -> Message:
        return self

    def __deepcopy__(self, memo: dict) -> Message:
        return self

    def __reduce__(self):
        return (Message, (self.parts, str(self)))


def message(*parts: Part) -> Message:
    """A reason from its phrases, in order."""
    return Message(parts)


def say(v: Any, lang: str) -> str:
    """A reason (or any text) in ``lang``."""
    return v.say(lang) if isinstance(v, Message) else str(v)


# ------------------------------------------------------------------------------------------ CLI words
#: Words the CLI prints around its tables.
CLI = {
    "no_rows": ("（无结果）", "(no rows)"),
    "fixed": ("{label}：{value}（各行相同，未列出）", "{label}: {value} (the same on every row, not shown)"),
    "graph_counts": ("{graph}：{nodes} 个节点，{edges} 条关系", "{graph}: {nodes} nodes, {edges} relationships"),
    "bundled": ("内置昆明数据", "bundled Kunming graph"),
    "pipeline_totals": ("本地项目 {n} 个；协议金额 {agreed} 亿元；到位资金 {funds} 亿元",
                        "{n} local projects; agreed {agreed} 亿元; funds in place {funds} 亿元"),
    "provenance_line": ("来源类型：{kind}  来源：{source}", "provenance: {kind}  source: {source}"),
    "chain_line": ("产业链", "chain"),
    "section_status": ("按状态", "status"), "section_chain": ("按产业链", "chain"),
    "section_region": ("按地区", "region"), "section_event": ("按推介活动", "event"),
    "section_conversion": ("转化率", "conversion"), "section_stalled": ("停滞项目", "stalled"),
    # what a command that writes says when it is done
    "load_done": ("{path}：节点新增 {nodes_added}、更新 {nodes_updated}、未变 {nodes_unchanged}；"
                  "关系新增 {edges_added}、更新 {edges_updated}、未变 {edges_unchanged}",
                  "{path}: nodes +{nodes_added} added, {nodes_updated} updated, {nodes_unchanged} unchanged; "
                  "relationships +{edges_added} added, {edges_updated} updated, {edges_unchanged} unchanged"),
    "use_done": ("{path}：节点新增 {nodes_added}、更新 {nodes_updated}；关系新增 {edges_added}、更新 {edges_updated}",
                 "{path}: nodes +{nodes_added} added, {nodes_updated} updated; relationships +{edges_added} added, "
                 "{edges_updated} updated"),
    "feeds_pending": ("另有 {n} 条与工作区外产业链之间的供给关系（FEEDS）暂未加入，加入那些产业链时会一并加上",
                      "{n} FEEDS to or from chains not in the workspace are left out until you use them"),
    "checked_ok": ("检查通过：{paths}", "ok: {paths}"),
    "check_failed": ("{paths} 个路径中共 {n} 处错误", "{n} error{s} in {paths} path(s)"),
    "load_failed": ("共 {n} 处错误，未加载任何数据", "{n} error{s}; nothing was loaded"),
    "written_graph": ("{path}：{nodes:,} 个节点，{edges:,} 条关系", "{path}: {nodes} nodes, {edges} relationships"),
    "written_files": ("{path}：{n} 个文件", "{path}: {n} files"),
    "written": ("已写入 {path}", "{path}: written"),
    "saved_graph": ("已保存 {path}：{nodes:,} 个节点，{edges:,} 条关系",
                    "saved {path}: {nodes:,} nodes, {edges:,} relationships"),
    "wrote": ("{path}：{what}", "{path}: {what}"),
    "n_rows": ("{n} 行（{fmt}）", "{n} rows ({fmt})"),
    "n_sheets": ("{n} 个工作表（xlsx）", "{n} sheets (xlsx)"),
    "n_sections": ("{n} 节（{fmt}）", "{n} sections ({fmt})"),
    "one_section": ("{section}（{fmt}）", "{section} ({fmt})"),
    "register_done": ("{file}：企业 {firms} 家（本地区域 {home}）；节点新增 {nodes_added}、更新 {nodes_updated}，"
                      "关系新增 {edges_added}",
                      "{file}: {firms} firm{s} (home region {home}); +{nodes_added} nodes, {nodes_updated} updated, "
                      "+{edges_added} relationships"),
    "register_regions": ("在本地区域内新建的区域：{names}", "regions created inside the home region: {names}"),
    "register_ignored": ("未使用的列（不是名录字段）：{names}", "columns ignored (not a register field): {names}"),
    "match_no_rules": ("{n} 个环节没有匹配规则（见 chainkg match --help）",
                       "{n} segments have no match rules (see chainkg match --help)"),
    "match_unplaced": ("{n} 家本地企业未归入任何环节：{names}（其行业代码和经营范围不符合任何模板规则；"
                       "--format json 列出全部）",
                       "{n} local firm{s} placed in no segment: {names} (their industry codes and business scope "
                       "match no template rule; --format json lists all)"),
    "match_done": ("{path}：{verb} {added} 条环节归属，更新 {updated}，移除 {removed}；{kept} 家已有人工整理的归属；"
                   "{skipped} 家本地企业以本市数据为准（最低置信度 {min:g}）",
                   "{path}: {verb} {added} placements, updated {updated}, removed {removed}; {kept} already placed "
                   "by curated data; {skipped} local firms left to the city's data (min confidence {min:g})"),
    "match_verb_dry": ("将新增", "would add"), "match_verb": ("新增", "added"),
    "match_rules_file": ("规则来自 {file}：{n} 个环节", "rules from {file}: {n} segments"),
    "match_rules_unknown": ("；{n} 个 id 不是这里的环节", "; {n} ids not segments here"),
    "match_bundled": ("没有任何环节有匹配规则：已使用内置的昆明规则（{n} 个环节）",
                      "no segment had rules: applied the bundled Kunming rules ({n} segments)"),
    "match_unknown_refs": ("规则中指向图中不存在内容的：{refs}", "rules naming nothing in the graph: {refs}"),
    "viz_done": ("{path}：{view}，{what}，{kb} KB", "{path}: {view} view, {what}, {kb} KB"),
    "viz_segments": ("{n:,} 个环节", "{n:,} segments"),
    "viz_nodes": ("{nodes:,} 个节点、{edges:,} 条关系", "{nodes:,} nodes, {edges:,} relationships"),
    "viz_groups": ("{n:,} 个分组（每条产业链一个……），展开后共 {what}",
                   "{n:,} groups (one per chain …) opening to {what}"),
    "report_done": ("{path}：{title}（{fmt}，{sections} 节，{charts} 张图）",
                    "{path}: {title} ({fmt}, {sections} sections, {charts} charts)"),
    "template_head": ("{name}（{name_en}），{n} 个环节——{description}",
                      "{name} ({name_en}), {n} segments — {description}"),
    "template_basis": ("依据：{title}（{issuer}，{year}）", "basis: {title} ({issuer}, {year})"),
}


def cli_text(key: str, lang: str, **args: Any) -> str:
    """A CLI line in ``lang``, formatted with ``args``."""
    zh, en = CLI[key]
    return (zh if lang == "zh" else en).format(**args)


#: What a name that was not found is, in Chinese.
_SUBJECT_ZH = {"region": "区域", "chain": "产业链", "node": "节点", "Region": "区域", "Chain": "产业链",
               "Enterprise": "企业", "Segment": "环节", "Project": "项目"}


def error_text(e: Exception, lang: str) -> str:
    """A user's mistake as one line in ``lang``: the common ones (no home region, an unknown name with close
    matches) in Chinese; the others keep their English text.
    """
    from chainkg.errors import NoHomeRegion, NotFoundError

    if lang == "zh" and callable(getattr(e, "say", None)):  # an error that speaks Chinese itself (LoadFailed)
        return e.say(lang)
    if lang == "zh":
        if isinstance(e, NoHomeRegion):
            return ("数据未设定本地区域（home region）：用 --region 指定本地区域，"
                    "或在加载时用 --home-region 设定")
        subject = getattr(e, "subject", None)
        if isinstance(e, NotFoundError) and subject:
            kind, name = subject
            text = f"找不到{_SUBJECT_ZH.get(kind, kind)}“{name}”"
            if e.suggestions:
                text += "；是否要找：" + "、".join(e.suggestions) + "？"
            return text
    return str(e)
