"""A bureau's firm register (企业名录) as it really is: one Excel sheet or CSV of local firms, Chinese headers.

The columns a register has — 名称, 统一社会信用代码, 行业代码 (GB/T 4754-2017), 经营范围, 注册地址 or
区县/镇街, 注册资本 (万元), 营业收入 (万元), 从业人数, 规上 — are read as they are; other columns
(法定代表人, 电话 …) are ignored and reported. Every row becomes a local Enterprise located in the
home region (or the district/town its row names, created PART_OF the home region). A firm already
in the workspace with the same credit code, or else the same name, is updated rather than duplicated.

Loading is all or nothing: a missing column, an unreadable industry code, a duplicate credit code or
a bad number is one line naming file, row and column, and nothing is loaded.

>>> sorted(REGISTER_COLUMNS)[:4]
['above_scale', 'address', 'business_scope', 'credit_code']
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chainkg.errors import InputError
from chainkg.graph.kg import KnowledgeGraph
from chainkg.graph.text import name_key
from chainkg.i18n import cli_text, message

from .batch import LoadReport, apply_batch, validate_batch
from .encoding import read_text
from .records import EdgeRecord, LoadError, LoadFailed, NodeRecord, Origin
from .tabular import read_table

#: register field → the headers bureaus use for it (compared ignoring case, spaces and full-width brackets)
REGISTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "企业名称", "单位名称", "公司名称", "name"),
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码", "credit_code"),
    "industry_code": ("行业代码", "国民经济行业代码", "国标行业代码", "所属行业代码", "行业类别代码", "industry_code"),
    "industry": ("行业", "所属行业", "行业门类", "国民经济行业", "行业名称"),
    "business_scope": ("经营范围", "business_scope"),
    "address": ("注册地址", "地址", "住所", "企业地址", "address"),
    "district": ("区县", "所属区县", "所在区县", "镇街", "所属镇街", "乡镇街道", "所在镇街", "园区", "所属园区",
                 "district"),
    "registered_capital": ("注册资本", "注册资本(万元)", "registered_capital"),
    "revenue": ("营业收入", "营收", "营业收入(万元)", "营收(万元)", "主营业务收入", "主营业务收入(万元)", "revenue"),
    "employees": ("从业人数", "职工人数", "员工人数", "从业人员", "employees"),
    "above_scale": ("规上", "规上企业", "是否规上", "是否规上企业", "above_scale"),
    "role": ("链主", "是否链主", "链主企业", "龙头企业", "是否龙头"),
    "lists": ("榜单", "资质", "lists"),
}
_CODE = re.compile(r"(?<![0-9])([A-T]?)\s*([0-9]{2,4})(?![0-9])")
_LEVEL_BY_SUFFIX = (("开发区", "dev_zone"), ("高新区", "dev_zone"), ("园区", "park"), ("新区", "dev_zone"),
                    ("街道", "town"), ("镇", "town"), ("乡", "town"), ("县", "county"), ("区", "district"),
                    ("市", "city"))
_TRUE = {"是", "规上", "y", "yes", "true", "1", "√", "✓"}
_FALSE = {"否", "规下", "n", "no", "false", "0", "×", ""}


def _norm_header(h: str) -> str:
    return re.sub(r"\s+", "", h).replace("（", "(").replace("）", ")").casefold()


_HEADER_FIELD = {_norm_header(a): f for f, names in REGISTER_COLUMNS.items() for a in names}


def parse_industry_code(raw: Any) -> str | None:
    """The GB/T 4754 code in a register cell: ``3841``, ``C3841``, ``3841 锂离子电池制造``, ``锂离子电池制造(3841)``.

    >>> [parse_industry_code(x) for x in ("3841", 3841, "C3841", "锂离子电池制造（3841）", "C38", "电池")]
    ['3841', '3841', '3841', '3841', '38', None]
    """
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    m = _CODE.search(str(raw).strip())
    return m.group(2) if m else None


def _level_of(name: str) -> str:
    for suffix, level in _LEVEL_BY_SUFFIX:
        if name.endswith(suffix):
            return level
    return "town"


@dataclass
class RegisterReport:
    """What an import did: firms added/updated, regions created, columns ignored."""

    file: str
    home_region: str
    firms: int = 0
    regions_created: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    load: LoadReport = field(default_factory=LoadReport)

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "home_region": self.home_region, "firms": self.firms,
                "regions_created": self.regions_created, "ignored_columns": self.ignored_columns,
                "nodes_added": self.load.nodes_added, "nodes_updated": self.load.nodes_updated,
                "edges_added": self.load.edges_added}

    def format(self, lang: str = "en") -> str:
        """What the import did, for people, in ``lang``."""
        lines = [cli_text("register_done", lang, file=self.file, firms=self.firms, s="s" if self.firms != 1 else "",
                          home=self.home_region, nodes_added=self.load.nodes_added,
                          nodes_updated=self.load.nodes_updated, edges_added=self.load.edges_added)]
        if self.regions_created:
            lines.append(cli_text("register_regions", lang, names="、".join(self.regions_created)))
        if self.ignored_columns:
            lines.append(cli_text("register_ignored", lang, names="、".join(self.ignored_columns)))
        return "\n".join(lines)


def read_register(
    path: str | Path, kg: KnowledgeGraph, home_region: str, *, known_codes: set[str] | None = None,
    encoding: str | None = None,
) -> tuple[list[NodeRecord | EdgeRecord], RegisterReport]:
    """Records for the register's firms (and the districts they name), checked row by row.

    ``known_codes``: the GB/T 4754 codes to accept (e.g. read from the standard's table); without it a
    code must have 2–4 digits and a division between 01 and 97.

    Raises :class:`LoadFailed` listing every problem.
    """
    path = Path(path)
    file = str(path)
    if not path.exists():
        raise LoadFailed([LoadError(Origin(file), None, message(("no_such_file", {})))])
    header, rows, sheet = read_table(path, encoding)
    home_name = kg.name(home_region)
    report = RegisterReport(file, home_name)
    head = Origin(file, 1, sheet)
    cols: dict[int, str] = {}
    seen: dict[str, str] = {}
    errors: list[LoadError] = []
    for i, h in enumerate(header):
        h = "" if h is None else str(h).strip()
        if not h:
            continue
        f = _HEADER_FIELD.get(_norm_header(h))
        if f is None:
            report.ignored_columns.append(h)
        elif f in seen:
            errors.append(LoadError(head, h, message(("register_same_field", {"other": seen[f]}))))
        else:
            seen[f] = h
            cols[i] = f
    if "name" not in seen:
        errors.append(LoadError(head, "名称", message(("register_no_name", {}))))
    if "industry_code" not in seen and "business_scope" not in seen:
        errors.append(LoadError(head, "行业代码", message(("register_no_code", {}))))
    if errors:
        raise LoadFailed(errors)

    source = f"src:register:{name_key(path.stem)}"
    records: list[NodeRecord | EdgeRecord] = [NodeRecord("Source", {
        "id": source, "title": f"企业名录 {path.name}", "kind": "dataset",
        "note": "firm register loaded with chainkg import register"}, Origin(file, None, sheet))]
    by_credit = {str(d["credit_code"]).upper(): n for n, d in kg.g.nodes(data=True)
                 if d.get("type") == "Enterprise" and d.get("credit_code")}
    home_closure = kg.region_closure(home_region)
    regions: dict[str, str] = {}
    first_credit: dict[str, int] = {}
    first_name: dict[str, int] = {}
    for rownum, values in rows:
        cells = {cols[i]: v for i, v in enumerate(values) if i in cols and v is not None and str(v).strip() != ""}
        if not cells:
            continue
        o = Origin(file, rownum, sheet)
        name = str(cells.get("name", "")).strip()
        if not name:
            errors.append(LoadError(o, seen["name"], message(("register_empty_name", {}))))
            continue
        props: dict[str, Any] = {"name": name, "provenance": "stated", "source": source,
                                 "evidence": f"{path.name} row {rownum}"}
        credit = str(cells.get("credit_code", "")).strip().upper() or None
        if credit:
            if credit in first_credit:
                errors.append(LoadError(o, seen["credit_code"], message(
                    ("register_dup_credit", {"code": credit, "row": first_credit[credit]}))))
                continue
            first_credit[credit] = rownum
            props["credit_code"] = credit
        key = name_key(name)
        if key in first_name and not credit:
            errors.append(LoadError(o, seen["name"], message(
                ("register_dup_name", {"name": name, "row": first_name[key]}))))
            continue
        first_name.setdefault(key, rownum)
        if "industry_code" in cells:
            code = parse_industry_code(cells["industry_code"])
            if code is None or not _valid_code(code, known_codes):
                errors.append(LoadError(o, seen["industry_code"], message(
                    ("register_bad_code", {"value": cells["industry_code"]}))))
                continue
            props["industry_code"] = code
        for f in ("business_scope", "address"):
            if f in cells:
                props["note" if f == "address" else f] = str(cells[f]).strip()
        for f in ("registered_capital", "revenue", "employees"):
            if f in cells:
                props[f] = cells[f]
        bad_flag = False
        for field_name, prop in (("above_scale", "above_scale"), ("role", "anchor")):
            if field_name in cells:
                flag = _flag(cells[field_name])
                if flag is None:
                    errors.append(LoadError(o, seen[field_name], message(
                        ("register_bad_flag", {"value": cells[field_name]}))))
                    bad_flag = True
                else:
                    props[prop] = flag
        if bad_flag:
            continue
        if "lists" in cells:
            props["lists"] = cells["lists"]
        firm_id = by_credit.get(credit or "") or _existing_by_name(kg, name) or (
            f"ent:{credit}" if credit else f"ent:reg:{name}")
        props["id"] = firm_id
        records.append(NodeRecord("Enterprise", props, o, dict(seen)))
        region = home_region
        district = str(cells.get("district", "")).strip()
        if district and name_key(district) != name_key(home_name):
            region = regions.get(district) or _find_region(kg, district, home_closure)
            if region is None:
                region = f"{home_region}/{district}"
                records.append(NodeRecord("Region", {
                    "id": region, "name": district, "level": _level_of(district), "provenance": "stated",
                    "source": source, "evidence": f"{path.name} row {rownum}: {seen['district']} {district}"}, o))
                records.append(EdgeRecord("PART_OF", region, home_region, {
                    "provenance": "inferred", "source": source,
                    "evidence": f"a district of the register of {home_name}"}, o))
                report.regions_created.append(district)
            regions[district] = region
        records.append(EdgeRecord("LOCATED_IN", firm_id, region, {
            "role": "hq", "provenance": "stated", "source": source, "evidence": f"{path.name} row {rownum}"}, o))
        report.firms += 1
    if errors:
        raise LoadFailed(errors)
    return records, report


def _flag(value: Any) -> bool | None:
    """是/否 (and yes/no, 1/0, √/×, 规上/规下) as True/False; None when it is neither."""
    text = str(value).strip().casefold()
    return True if text in _TRUE else False if text in _FALSE else None


def _valid_code(code: str, known: set[str] | None) -> bool:
    if known is not None:
        return code in known
    return 2 <= len(code) <= 4 and 1 <= int(code[:2]) <= 97


def _existing_by_name(kg: KnowledgeGraph, name: str) -> str | None:
    ids = [i for i in kg.find(name, "Enterprise")]
    return ids[0] if len(ids) == 1 else None


def _find_region(kg: KnowledgeGraph, name: str, inside: set[str]) -> str | None:
    ids = [i for i in kg.find(name, "Region") if i in inside]
    return ids[0] if len(ids) == 1 else None


def import_register(
    kg: KnowledgeGraph, path: str | Path, home_region: str, *, known_codes: set[str] | None = None,
    encoding: str | None = None,
) -> RegisterReport:
    """Load a firm register into ``kg`` as local firms of ``home_region`` (a Region id): all or nothing.

    Raises
    ------
    LoadFailed
        Listing every problem (file, row, column, reason); ``kg`` is unchanged.
    InputError
        If ``home_region`` is not a Region of ``kg``.
    """
    if not kg.has(home_region) or kg.node_type(home_region) != "Region":
        raise InputError(f"home region {home_region!r} is not a Region in the workspace")
    records, report = read_register(path, kg, home_region, known_codes=known_codes, encoding=encoding)
    errors = validate_batch(records, kg)
    if errors:
        raise LoadFailed(errors)
    report.load = apply_batch(records, kg)
    return report


def read_code_table(path: str | Path) -> set[str]:
    """The codes of a GB/T 4754 table (CSV with a ``code`` column, e.g. the standard's code list)."""
    path = Path(path)
    text, _ = read_text(path)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    if not rows or "code" not in rows[0]:
        raise LoadFailed([LoadError(Origin(str(path), 1), "code", "a GB/T code table needs a `code` column")])
    return {r["code"].strip() for r in rows if r.get("code") and r["code"].strip().isdigit()}
