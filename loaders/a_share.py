"""The national candidate pool from public data: A-share listed companies (ChainKnowledgeGraph).

``chainkg import a-share DIR`` reads the JSON Lines files of
github.com/liuhuanyong/ChainKnowledgeGraph (and the reconstructed
``company_product`` / ``product_product`` files) and maps them onto the schema:

* ``company.json`` → Enterprise ``ent:<code>`` keyed by the normalised stock code
  (``600519`` → ``600519.SH``), ``lists: [上市]``; its HQ region is inferred from
  the registered name (``江苏京源环保…`` → 江苏省) because the ``location`` field is
  the stock exchange, not an address;
* ``industry.json`` / ``industry_industry.json`` → Industry + SUBINDUSTRY_OF (Shenwan 2021);
* ``company_industry.json`` → IN_INDUSTRY;
* ``company_product…`` → Product + MAKES with ``revenue_share`` (None where unknown);
* ``product_product…`` 上游材料 / 下游产品 → INPUT_OF (产品小类 has no schema relationship).

Every record is stated by a Source node per file, with evidence naming the
file and line. The data traps the folder's README lists are handled and
counted in the :class:`PoolReport`.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chainkg.graph.kg import GraphError, KnowledgeGraph, SchemaError
from chainkg.graph.text import name_key
from chainkg.schema import check_edge, check_node

DATASET = "a-share"
REPO_URL = "https://github.com/liuhuanyong/ChainKnowledgeGraph"
RECON_URL = "https://github.com/SOVLOOKUP/ChainKnowledgeGraph-sql"

#: Exchange suffix by the first two digits of a six-digit code (SH: 60 main board, 68 STAR, 90 B shares;
#: SZ: 00 main board, 30 ChiNext, 20 B shares; BJ: 43/83/87/88/92).
EXCHANGE_BY_PREFIX = {
    "60": "SH", "68": "SH", "90": "SH",
    "00": "SZ", "30": "SZ", "20": "SZ",
    "43": "BJ", "83": "BJ", "87": "BJ", "88": "BJ", "92": "BJ",
}
EXCHANGE_NAMES = {"上海证券交易所": "SH", "深圳证券交易所": "SZ", "北京证券交易所": "BJ"}
_CODE = re.compile(r"^(?:(SH|SZ|BJ)\.?)?(\d{1,6})(?:\.?(SH|SZ|BJ|SS))?$")

#: Revenue weight the dataset uses for "share unknown".
PLACEHOLDER_WEIGHT = 0.001


def normalise_code(raw: Any) -> str | None:
    """A stock code with its exchange suffix, or None when it is not one.

    >>> normalise_code("600519"), normalise_code("688268SH"), normalise_code(2129), normalise_code("sz300750")
    ('600519.SH', '688268.SH', '002129.SZ', '300750.SZ')
    >>> normalise_code("12345a") is None, normalise_code("990001") is None
    (True, True)
    """
    if raw is None or isinstance(raw, bool):
        return None
    s = str(raw).strip().upper().replace(" ", "")
    m = _CODE.match(s)
    if not m:
        return None
    digits = m.group(2).zfill(6)
    suffix = m.group(3) or m.group(1)
    if suffix == "SS":
        suffix = "SH"
    suffix = suffix or EXCHANGE_BY_PREFIX.get(digits[:2])
    return f"{digits}.{suffix}" if suffix else None


def firm_id(code: str) -> str:
    return f"ent:{code}"


# ----------------------------------------------------------------------------- geography
#: Provinces (short name → full name). Municipalities and SARs are cities directly under the country.
PROVINCES = {
    "河北": "河北省", "山西": "山西省", "内蒙古": "内蒙古自治区", "辽宁": "辽宁省", "吉林": "吉林省",
    "黑龙江": "黑龙江省", "江苏": "江苏省", "浙江": "浙江省", "安徽": "安徽省", "福建": "福建省",
    "江西": "江西省", "山东": "山东省", "河南": "河南省", "湖北": "湖北省", "湖南": "湖南省",
    "广东": "广东省", "广西": "广西壮族自治区", "海南": "海南省", "四川": "四川省", "贵州": "贵州省",
    "云南": "云南省", "西藏": "西藏自治区", "陕西": "陕西省", "甘肃": "甘肃省", "青海": "青海省",
    "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区", "台湾": "台湾省",
}
MUNICIPALITIES = ("北京", "天津", "上海", "重庆", "香港", "澳门")
#: Prefecture-level cities per province (administrative geography, general knowledge).
CITIES = {
    "河北": "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水",
    "山西": "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁",
    "内蒙古": "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布",
    "辽宁": "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛",
    "吉林": "长春 吉林 四平 辽源 通化 白山 松原 白城",
    "黑龙江": "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化",
    "江苏": "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁",
    "浙江": "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水",
    "安徽": "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城",
    "福建": "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德",
    "江西": "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶",
    "山东": "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽",
    "河南": "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店",
    "湖北": "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州",
    "湖南": "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底",
    "广东": "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮",
    "广西": "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左",
    "海南": "海口 三亚 三沙 儋州",
    "四川": "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳",
    "贵州": "贵阳 六盘水 遵义 安顺 毕节 铜仁",
    "云南": "昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧",
    "西藏": "拉萨 日喀则 昌都 林芝 山南 那曲",
    "陕西": "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛",
    "甘肃": "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南",
    "青海": "西宁 海东",
    "宁夏": "银川 石嘴山 吴忠 固原 中卫",
    "新疆": "乌鲁木齐 克拉玛依 吐鲁番 哈密",
    "台湾": "",
}
_PROVINCE_ORDER = sorted(PROVINCES, key=len, reverse=True)
CITY_PROVINCE = {c: p for p, cs in CITIES.items() for c in cs.split()}
_CITY_ORDER = sorted([*CITY_PROVINCE, *MUNICIPALITIES], key=len, reverse=True)
_ADMIN_SUFFIX = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")
GEO_SOURCE = "src:chainkg-geo"


def place_of(fullname: str) -> tuple[str | None, str | None]:
    """(province short name, city short name) that a registered company name begins with.

    A municipality is returned as a city with no province.

    >>> place_of("江苏京源环保股份有限公司"), place_of("广东省深圳市奇信集团"), place_of("深圳市星源材质")
    (('江苏', None), ('广东', '深圳'), ('广东', '深圳'))
    >>> place_of("昆明龙津药业股份有限公司"), place_of("上海风语筑"), place_of("比亚迪股份有限公司")
    (('云南', '昆明'), (None, '上海'), (None, None))
    """
    name = fullname.strip()
    for p in _PROVINCE_ORDER:
        if name.startswith(p):
            rest = name[len(p):]
            for suf in _ADMIN_SUFFIX:
                if rest.startswith(suf):
                    rest = rest[len(suf):]
                    break
            for c in _CITY_ORDER:
                if CITY_PROVINCE.get(c) == p and rest.startswith(c):
                    return p, c
            return p, None
    for c in _CITY_ORDER:
        if name.startswith(c):
            return CITY_PROVINCE.get(c), c
    return None, None


class RegionMapper:
    """Finds or creates the Region for a (province, city): existing regions with the same name are reused."""

    def __init__(self, kg: KnowledgeGraph, report: PoolReport | None = None) -> None:
        self.kg = kg
        self.report = report
        self._cache: dict[tuple[str | None, str | None], str | None] = {}
        self._country: str | None = None

    def _existing(self, names: tuple[str, ...], levels: tuple[str, ...]) -> str | None:
        found: set[str] = set()
        for n in names:
            found.update(r for r in self.kg.find(n, "Region") if self.kg.g.nodes[r].get("level") in levels)
        return next(iter(found)) if len(found) == 1 else None

    def _ensure_source(self) -> None:
        if not self.kg.has(GEO_SOURCE):
            self.kg.merge_node("Source", {
                "id": GEO_SOURCE, "title": "chainkg built-in table of Chinese provinces and prefecture-level cities",
                "publisher": "chainkg project", "kind": "notes",
                "note": "Administrative geography (general knowledge), used to place firms by their registered name.",
            })

    def _new(self, rid: str, name: str, level: str, aliases: list[str], parent: str | None, why: str) -> str:
        self._ensure_source()
        if not self.kg.has(rid):
            props = {"id": rid, "name": name, "level": level, "provenance": "inferred", "source": GEO_SOURCE,
                     "evidence": why}
            if aliases:
                props["aliases"] = aliases
            self.kg.merge_node("Region", props)
            if self.report is not None:
                self.report.count("regions-created")
        if parent and not self.kg.has_edge(rid, parent, "PART_OF"):
            self.kg.merge_edge("PART_OF", rid, parent, {"provenance": "inferred", "source": GEO_SOURCE,
                                                        "evidence": f"administrative geography: {why}"})
        return rid

    def country(self) -> str:
        if self._country is None:
            self._country = self._existing(("中国",), ("country",)) or self._new(
                "region:cn", "中国", "country", ["全国"], None, "the country")
        return self._country

    def province(self, p: str) -> str:
        key = (p, None)
        if key not in self._cache:
            full = PROVINCES[p]
            self._cache[key] = self._existing((full, p), ("province",)) or self._new(
                f"region:cn:{p}", full, "province", [p], self.country(), f"{full} is a province of China")
        return self._cache[key]  # type: ignore[return-value]

    def city(self, p: str | None, c: str) -> str:
        key = (p, c)
        if key not in self._cache:
            names = (c + "市", c)
            existing = self._existing(names, ("city",))
            if existing:
                self._cache[key] = existing
            elif p is None:  # municipality / SAR
                self._cache[key] = self._new(f"region:cn:{c}", c + "市" if c not in ("香港", "澳门") else c,
                                             "city", [c], self.country(), f"{c} is a municipality of China")
            else:
                self._cache[key] = self._new(f"region:cn:{p}:{c}", c + "市", "city", [c], self.province(p),
                                             f"{c}市 is a prefecture-level city of {PROVINCES[p]}")
        return self._cache[key]  # type: ignore[return-value]

    def place(self, fullname: str) -> tuple[str, str] | None:
        """(region id, place text) for a registered name, creating the regions needed; None when no place."""
        p, c = place_of(fullname)
        if c:
            return self.city(p, c), c
        if p:
            return self.province(p), p
        return None


# ------------------------------------------------------------------------------ report
@dataclass
class PoolReport:
    """What an import did: counts per kind of record and per data trap, with the reason."""

    title: str
    counts: Counter = field(default_factory=Counter)
    #: key → explanation, in the order the keys were first noted.
    notes: dict[str, str] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    nodes: Counter = field(default_factory=Counter)
    edges: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def count(self, key: str, n: int = 1, example: str | None = None) -> None:
        self.counts[key] += n
        if example is not None and len(self.examples[key]) < 3:
            self.examples[key].append(example)

    def explain(self, key: str, text: str) -> None:
        self.notes.setdefault(key, text)

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "nodes": dict(sorted(self.nodes.items())),
            "edges": dict(sorted(self.edges.items())),
            "cleaned_or_skipped": [
                {"what": k, "count": self.counts[k], "why": self.notes[k], "examples": list(self.examples.get(k, ()))}
                for k in self.notes if self.counts[k]
            ],
            "seconds": round(self.seconds, 2),
        }

    def format(self) -> str:
        lines = [self.title]
        lines.append("  nodes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(self.nodes.items())))
        lines.append("  relationships: " + ", ".join(f"{k} {v:,}" for k, v in sorted(self.edges.items())))
        shown = [k for k in self.notes if self.counts[k]]
        if shown:
            lines.append("  cleaned or skipped:")
            for k in shown:
                ex = self.examples.get(k)
                tail = f" (e.g. {'; '.join(ex)})" if ex else ""
                lines.append(f"    {self.counts[k]:>7,}  {self.notes[k]}{tail}")
        if self.seconds:
            lines.append(f"  took {self.seconds:.1f} s")
        return "\n".join(lines)


# ------------------------------------------------------------------------------- writing
class Writer:
    """Adds validated records to the graph and counts them (validation per record, then merge without it)."""

    def __init__(self, kg: KnowledgeGraph, report: PoolReport, validate: bool = True) -> None:
        self.kg = kg
        self.report = report
        self.validate = validate

    def node(self, node_type: str, props: dict[str, Any]) -> str:
        if self.validate:
            problems = check_node(node_type, props)
            if problems:
                raise SchemaError(f"{node_type} {props.get('id')!r}", problems)
        new = not self.kg.has(props["id"])
        nid = self.kg.merge_node(node_type, props, validate=False)
        if new:
            self.report.nodes[node_type] += 1
        return nid

    def edge(self, rel: str, source: str, target: str, props: dict[str, Any]) -> None:
        g = self.kg.g
        if self.validate:
            problems = check_edge(rel, props, g.nodes[source]["type"], g.nodes[target]["type"])
            if problems:
                raise SchemaError(f"{rel} {source!r}→{target!r}", problems)
        if g.has_edge(source, target, key=rel):
            g.edges[source, target, rel].update(props)
        else:
            g.add_edge(source, target, key=rel, type=rel, **props)
            self.report.edges[rel] += 1


def read_jsonl(path: Path, report: PoolReport) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each JSON object line; malformed lines are counted and skipped."""
    with open(path, encoding="utf-8-sig") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                report.count("malformed-line", example=f"{path.name} line {n}")
                continue
            if not isinstance(obj, dict):
                report.count("malformed-line", example=f"{path.name} line {n}")
                continue
            yield n, obj


def _find(folder: Path, *names: str) -> Path | None:
    for n in names:
        if (folder / n).is_file():
            return folder / n
    return None


_WS = re.compile(r"\s+")
_ST = re.compile(r"^\*?ST|^退市|^S\*?ST")
_FORM = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团|股份|公司|\(.*?\)|（.*?）)")


def _core(name: str) -> set[str]:
    return set(_FORM.sub("", name))


def _fits(fullname: str, short_names: list[str]) -> bool:
    """Whether a registered name plausibly belongs to a short name (shares at least two characters)."""
    core = _core(fullname)
    return any(len(core & set(_ST.sub("", s))) >= 2 for s in short_names)


class FirmIndex:
    """Enterprises by stock code, and the matching of pool firms to firms already in the graph by name."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg
        self.by_code: dict[str, str] = {}
        for n in kg.nodes("Enterprise"):
            code = normalise_code(kg.g.nodes[n].get("stock_code"))
            if code:
                self.by_code.setdefault(code, n)

    def existing_by_name(self, names: list[str], code: str) -> str | None:
        """An Enterprise without a (different) stock code whose name or alias equals one of ``names``."""
        found: set[str] = set()
        for nm in names:
            for n in self.kg.find(nm, "Enterprise"):
                other = normalise_code(self.kg.g.nodes[n].get("stock_code"))
                if other is None or other == code:
                    found.add(n)
        return next(iter(found)) if len(found) == 1 else None

    def resolve(self, code: str, names: list[str]) -> tuple[str, bool]:
        """(enterprise id, whether it already existed) for a firm of the pool."""
        if code in self.by_code:
            return self.by_code[code], True
        existing = self.existing_by_name(names, code)
        if existing:
            self.by_code[code] = existing
            return existing, True
        nid = firm_id(code)
        self.by_code[code] = nid
        return nid, self.kg.has(nid)


def enrich_existing(kg: KnowledgeGraph, nid: str, code: str, names: list[str]) -> None:
    """Add the stock code, 上市 and new names to an enterprise that was already in the graph (keeps its provenance)."""
    d = kg.g.nodes[nid]
    kg._unindex(nid)
    d.setdefault("stock_code", code)
    lists = list(d.get("lists") or [])
    if "上市" not in lists:
        d["lists"] = [*lists, "上市"]
    known = {name_key(d.get("name", "")), *(name_key(a) for a in d.get("aliases") or ())}
    extra = [n for n in dict.fromkeys(names) if n and name_key(n) not in known]
    if extra:
        d["aliases"] = [*(d.get("aliases") or []), *extra]
    kg.reindex([nid])


# ----------------------------------------------------------------------------- sources
def _source(w: Writer, key: str, file: Path, title: str, note: str, reconstructed: bool = False) -> str:
    sid = f"src:{DATASET}:{key}"
    w.node("Source", {
        "id": sid,
        "title": title,
        "publisher": "SOVLOOKUP/ChainKnowledgeGraph-sql (reconstruction)" if reconstructed
        else "liuhuanyong/ChainKnowledgeGraph",
        "url": RECON_URL if reconstructed else REPO_URL,
        "date": "2021-10-26",
        "kind": "dataset",
        "note": f"{file.name}: {note} No licence stated: reference data, not redistributed with chainkg.",
    })
    return sid


# ------------------------------------------------------------------------------ import
def _explain_all(r: PoolReport) -> None:
    for k, v in {
        "malformed-line": "lines that are not a JSON object: skipped",
        "code-without-suffix": "stock codes without exchange suffix: suffix added from the 6-digit prefix "
                               "(60/68/90→SH, 00/30/20→SZ, 43/83/87/88/92→BJ)",
        "bad-code": "rows whose code is not a stock code: skipped",
        "exchange-mismatch": "rows whose exchange field disagrees with the code: the code's exchange is kept",
        "date-in-exchange": "rows with a date instead of an exchange in the location field: exchange taken "
                            "from the code",
        "duplicate-code": "rows repeating a stock code already seen (renamed firms or scraping errors): merged "
                          "into one firm per code",
        "fullname-dropped": "registered names that do not fit the code's short name (scraping errors): "
                            "not kept as aliases nor used for the HQ",
        "duplicate-name": "short names shared by several rows (name is not a key)",
        "shared-name-distinct-firms": "short names shared by firms with different codes: kept apart by code",
        "matched-existing": "pool firms already in the graph (same stock code, or same name and no other "
                            "code): stock code, 上市 and names added to that node",
        "hq-from-name": "firms given an HQ region inferred from the registered name (the location field is "
                        "the exchange, not an address)",
        "hq-in-home": "of these, firms placed in the home region because their registered name begins with it",
        "hq-kept": "firms already in the graph with an HQ: their HQ was kept",
        "no-place": "firms whose registered name names no province or city: no HQ region",
        "regions-created": "regions created for provinces and cities (existing regions with the same name "
                           "are reused)",
        "industry-unknown": "industry codes referenced but not in industry.json: relationship skipped",
        "industry-from-link": "industry codes only in company_industry.json (not in industry.json): industry "
                              "created from that row, placed under its code prefix",
        "firm-from-industry-file": "firms only in company_industry.json (not in company.json): created from "
                                   "that row",
        "firm-unknown": "rows naming a stock code that is in no company file: skipped",
        "product-name-cleaned": "product names with stray spaces or line breaks: whitespace removed",
        "product-not-in-list": "product names referenced but missing from product.json: product created "
                               "from the reference, noted",
        "product-unused": "products in product.json that no firm makes and no input link names: not imported",
        "placeholder-weight": "revenue weights of 0.001 (the dataset's 'unknown'): MAKES kept, revenue_share "
                              "left empty",
        "weight-out-of-range": "revenue weights outside [0, 1]: MAKES kept, revenue_share left empty",
        "weight-zero": "revenue weights of exactly 0: kept as 0",
        "duplicate-makes": "repeated firm–product rows: one MAKES, the largest valid share kept",
        "input-subtype-skipped": "产品小类 (subtype) links: no schema relationship for them, skipped",
        "input-self-loop": "input links from a product to itself: skipped",
        "input-duplicate": "repeated input links: merged",
        "inputs-not-loaded": "product input links not loaded (--no-inputs)",
    }.items():
        r.explain(k, v)


def import_a_share(
    kg: KnowledgeGraph, folder: str | Path, *, inputs: bool = True, validate: bool = True
) -> PoolReport:
    """Merge the A-share pool in ``folder`` into ``kg``; returns what was done and cleaned.

    ``inputs=False`` leaves out the product→input links (INPUT_OF). ``validate``
    checks every record against the schema before it is added (a record that
    fails raises :class:`SchemaError`; none is expected).
    """
    import time

    t0 = time.perf_counter()
    folder = Path(folder)
    if not folder.is_dir():
        raise GraphError(f"{folder}: not a folder (expected the chainkg-a-share data folder)")
    company_file = _find(folder, "company.json", "company.jsonl")
    if company_file is None:
        raise GraphError(f"{folder}: no company.json (expected the chainkg-a-share data folder)")
    report = PoolReport(f"A-share pool from {folder}")
    _explain_all(report)
    w = Writer(kg, report, validate)
    firms = FirmIndex(kg)
    regions = RegionMapper(kg, report)
    home = kg.meta.get("home_region")
    home_regions = kg.region_closure(home) if home and kg.has(home) else set()

    # --------------------------------------------------------------- companies
    src_co = _source(w, "company", company_file, "A股上市公司 company.json (ChainKnowledgeGraph)",
                     "4,654 rows {name, fullname, code, location (the exchange), time (listing date)}.")
    rows_by_code: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    names_seen: Counter = Counter()
    for n, r in read_jsonl(company_file, report):
        raw = str(r.get("code", "")).strip()
        code = normalise_code(raw)
        if code is None:
            report.count("bad-code", example=f"line {n}: {raw!r}")
            continue
        if "." not in raw:
            report.count("code-without-suffix")
        loc = str(r.get("location") or "").strip()
        if loc in EXCHANGE_NAMES:
            if EXCHANGE_NAMES[loc] != code[-2:]:
                report.count("exchange-mismatch", example=f"line {n}: {raw} {loc}")
        elif re.match(r"^\d{4}-\d{2}-\d{2}$", loc):
            report.count("date-in-exchange", example=f"line {n}: {raw} {r.get('name')} location={loc}")
        names_seen[str(r.get("name") or "").strip()] += 1
        rows_by_code.setdefault(code, []).append((n, r))
    dup_names = {k for k, v in names_seen.items() if k and v > 1}
    report.count("duplicate-name", len(dup_names), )
    codes_of_name: dict[str, set[str]] = defaultdict(set)
    for code, rows in rows_by_code.items():
        for _, r in rows:
            codes_of_name[str(r.get("name") or "").strip()].add(code)
    for nm in sorted(dup_names):
        if len(codes_of_name[nm]) > 1:
            report.count("shared-name-distinct-firms", example=f"{nm}: {', '.join(sorted(codes_of_name[nm]))}")
    for code, rows in rows_by_code.items():
        first_line, first = rows[0]
        shorts = list(dict.fromkeys(str(r.get("name") or "").strip() for _, r in rows if r.get("name")))
        fulls = list(dict.fromkeys(str(r.get("fullname") or "").strip() for _, r in rows if r.get("fullname")))
        if len(rows) > 1:
            report.count("duplicate-code", len(rows) - 1,
                         example=f"{code} lines {', '.join(str(x) for x, _ in rows)}")
            kept = [f for f in fulls if _fits(f, shorts)]
            if len(kept) < len(fulls):
                report.count("fullname-dropped", len(fulls) - len(kept),
                             example=f"{code} {shorts[0]}: {next(f for f in fulls if f not in kept)}")
            fulls = kept
        name = shorts[0] if shorts else (fulls[0] if fulls else code)
        aliases = [a for a in dict.fromkeys([*shorts[1:], *fulls, *(_ST.sub("", s) for s in shorts)])
                   if a and a != name]
        nid, existed = firms.resolve(code, [name, *fulls])
        if existed and kg.has(nid):
            if kg.g.nodes[nid].get("source") != src_co:
                report.count("matched-existing", example=f"{code} {name} → {nid}")
            enrich_existing(kg, nid, code, [name, *aliases])
        else:
            listed = str(first.get("time") or "").strip()
            exch = {"SH": "上海证券交易所", "SZ": "深圳证券交易所", "BJ": "北京证券交易所"}[code[-2:]]
            props: dict[str, Any] = {
                "id": nid, "name": name, "stock_code": code, "lists": ["上市"],
                "provenance": "stated", "source": src_co,
                "evidence": f"company.json line {first_line}: {first.get('code')} {name} {fulls[0] if fulls else ''}"
                            + (f" (also lines {', '.join(str(x) for x, _ in rows[1:])})" if len(rows) > 1 else ""),
            }
            if aliases:
                props["aliases"] = aliases
            if re.match(r"^\d{4}-\d{2}-\d{2}$", listed):
                props["note"] = f"Listed {listed} on {exch}."
            w.node("Enterprise", props)
        # HQ from the registered name, unless the firm already has one.
        has_hq = any(kg.g.edges[nid, r, "LOCATED_IN"].get("role") == "hq" for r in kg.out(nid, "LOCATED_IN"))
        if has_hq:
            if kg.g.nodes[nid].get("source") != src_co:
                report.count("hq-kept")
            continue
        placed = next((pl for f in fulls if (pl := regions.place(f))), None)
        if placed is None:
            report.count("no-place")
            continue
        rid, where = placed
        full = next(f for f in fulls if place_of(f) != (None, None))
        w.edge("LOCATED_IN", nid, rid, {
            "role": "hq", "provenance": "inferred", "source": src_co,
            "evidence": f"registered name {full} begins with {where} (company.json line {first_line}); "
                        "the file gives no address",
        })
        report.count("hq-from-name")
        if rid in home_regions:
            report.count("hq-in-home", example=f"{code} {full}")

    # -------------------------------------------------------------- industries
    ind_ids: dict[str, str] = {}
    ind_file = _find(folder, "industry.json")
    if ind_file:
        src_ind = _source(w, "industry", ind_file, "申万行业分类2021 industry.json (ChainKnowledgeGraph)",
                          "511 Shenwan 2021 industries {code, name}.")
        for n, r in read_jsonl(ind_file, report):
            code = str(r.get("code") or "").strip()
            name = str(r.get("name") or "").strip()
            if not code or not name:
                report.count("malformed-line", example=f"{ind_file.name} line {n}")
                continue
            level = 1 if code.endswith("0000") else 2 if code.endswith("00") else 3
            iid = f"ind:sw:{code}"
            w.node("Industry", {"id": iid, "name": name, "code": code, "level": level, "scheme": "SW2021",
                                "provenance": "stated", "source": src_ind,
                                "evidence": f"industry.json line {n}: {code} {name}"})
            ind_ids[code] = iid
    for iid in kg.nodes("Industry"):
        ind_ids.setdefault(str(kg.g.nodes[iid].get("code")), iid)
    ii_file = _find(folder, "industry_industry.json")
    if ii_file:
        src_ii = _source(w, "industry_industry", ii_file, "申万行业层级 industry_industry.json (ChainKnowledgeGraph)",
                         "480 links child → parent (上级行业).")
        for n, r in read_jsonl(ii_file, report):
            a, b = str(r.get("from_code") or ""), str(r.get("to_code") or "")
            if a not in ind_ids or b not in ind_ids:
                report.count("industry-unknown", example=f"{ii_file.name} line {n}")
                continue
            shown = f"{r.get('from_industry')} 上级行业 {r.get('to_industry')}"
            w.edge("SUBINDUSTRY_OF", ind_ids[a], ind_ids[b], {
                "provenance": "stated", "source": src_ii, "evidence": f"industry_industry.json line {n}: {shown}"})

    ci_file = _find(folder, "company_industry.json")
    if ci_file:
        src_ci = _source(w, "company_industry", ci_file, "公司所属行业 company_industry.json (ChainKnowledgeGraph)",
                         "4,430 links company → Shenwan industry (所属行业).")
        for n, r in read_jsonl(ci_file, report):
            code = normalise_code(r.get("company_code"))
            ind = str(r.get("industry_code") or "").strip()
            if code is None:
                report.count("bad-code", example=f"{ci_file.name} line {n}")
                continue
            if ind not in ind_ids:
                if not re.match(r"^\d{6}$", ind) or not str(r.get("industry_name") or "").strip():
                    report.count("industry-unknown", example=f"{ci_file.name} line {n}: {ind}")
                    continue
                iname = str(r["industry_name"]).strip()
                ind_ids[ind] = w.node("Industry", {
                    "id": f"ind:sw:{ind}", "name": iname, "code": ind, "level": 3, "scheme": "SW2021",
                    "provenance": "stated", "source": src_ci, "note": "Not in industry.json.",
                    "evidence": f"company_industry.json line {n}: {ind} {iname}"})
                report.count("industry-from-link", example=f"{ind} {iname}")
                parent = ind_ids.get(ind[:4] + "00") or ind_ids.get(ind[:2] + "0000")
                if parent:
                    w.edge("SUBINDUSTRY_OF", ind_ids[ind], parent, {
                        "provenance": "inferred", "source": src_ci,
                        "evidence": f"Shenwan codes nest by prefix: {ind} under {kg.g.nodes[parent]['code']}"})
            nid = firms.by_code.get(code)
            if nid is None:
                name = str(r.get("company_name") or "").strip() or code
                nid, existed = firms.resolve(code, [name])
                if existed and kg.has(nid):
                    enrich_existing(kg, nid, code, [name])
                    report.count("matched-existing", example=f"{code} {name} → {nid}")
                else:
                    w.node("Enterprise", {
                        "id": nid, "name": name, "stock_code": code, "lists": ["上市"],
                        "provenance": "stated", "source": src_ci,
                        "evidence": f"company_industry.json line {n}: {code} {name} (not in company.json)"})
                    report.count("firm-from-industry-file", example=f"{code} {name}")
            w.edge("IN_INDUSTRY", nid, ind_ids[ind], {
                "provenance": "stated", "source": src_ci,
                "evidence": f"company_industry.json line {n}: {code} {r.get('company_name')} 所属行业 "
                            f"{r.get('industry_name')}"})

    # ---------------------------------------------------------------- products
    prod_file = _find(folder, "product.json")
    cp_file = _find(folder, "company_product.reconstructed.jsonl", "company_product.json")
    pp_file = _find(folder, "product_product.reconstructed.jsonl", "product_product.json")
    listed_products: dict[str, int] = {}
    src_prod = None
    if prod_file:
        src_prod = _source(w, "product", prod_file, "产品 product.json (ChainKnowledgeGraph)", "95,559 product names.")
        for n, r in read_jsonl(prod_file, report):
            nm = _WS.sub("", str(r.get("name") or ""))
            if nm:
                listed_products.setdefault(nm, n)
    wanted: dict[str, tuple[str, int]] = {}  # cleaned name → (file, line) of first reference

    def clean(raw: Any) -> str:
        s = str(raw or "")
        c = _WS.sub("", s)
        if c != s:
            report.count("product-name-cleaned", example=repr(s))
        return c

    makes: dict[tuple[str, str], tuple[float | None, int, float]] = {}
    src_cp = None
    if cp_file:
        src_cp = _source(w, "company_product", cp_file, "公司主营产品 company_product (ChainKnowledgeGraph)",
                         "53,785 links company → main product with rel_weight (revenue share; 0.001 = unknown).",
                         reconstructed="reconstructed" in cp_file.name)
        for n, r in read_jsonl(cp_file, report):
            code = normalise_code(r.get("company_code"))
            prod = clean(r.get("product_name"))
            if code is None or not prod:
                report.count("bad-code", example=f"{cp_file.name} line {n}")
                continue
            nid = firms.by_code.get(code)
            if nid is None:
                report.count("firm-unknown", example=f"{cp_file.name} line {n}: {code}")
                continue
            try:
                raw_w = float(r.get("rel_weight"))
            except (TypeError, ValueError):
                raw_w = PLACEHOLDER_WEIGHT
            share: float | None = raw_w
            if raw_w == PLACEHOLDER_WEIGHT:
                share = None
                report.count("placeholder-weight")
            elif not 0.0 <= raw_w <= 1.0:
                share = None
                report.count("weight-out-of-range", example=f"line {n}: {code} {prod} {raw_w:g}")
            elif raw_w == 0.0:
                report.count("weight-zero")
            wanted.setdefault(prod, (cp_file.name, n))
            key = (nid, prod)
            if key in makes:
                report.count("duplicate-makes")
                old = makes[key]
                if share is not None and (old[0] is None or share > old[0]):
                    makes[key] = (share, n, raw_w)
            else:
                makes[key] = (share, n, raw_w)

    inputs_rows: dict[tuple[str, str], tuple[int, str]] = {}
    if pp_file and not inputs:
        with open(pp_file, encoding="utf-8") as f:
            report.count("inputs-not-loaded", sum(1 for _ in f))
    elif pp_file:
        for n, r in read_jsonl(pp_file, report):
            rel = r.get("rel")
            a, b = clean(r.get("from_entity")), clean(r.get("to_entity"))
            if rel == "产品小类":
                report.count("input-subtype-skipped")
                continue
            if not a or not b or rel not in ("上游材料", "下游产品"):
                report.count("malformed-line", example=f"{pp_file.name} line {n}")
                continue
            if a == b:
                report.count("input-self-loop")
                continue
            # 上游材料: b is an input of a → b INPUT_OF a; 下游产品: b is made from a → a INPUT_OF b.
            key = (b, a) if rel == "上游材料" else (a, b)
            if key in inputs_rows:
                report.count("input-duplicate")
                continue
            inputs_rows[key] = (n, rel)
            wanted.setdefault(a, (pp_file.name, n))
            wanted.setdefault(b, (pp_file.name, n))

    src_pp = None
    if pp_file and inputs_rows:
        src_pp = _source(w, "product_product", pp_file, "产品上下游 product_product (ChainKnowledgeGraph)",
                         "110,153 links between products (上游材料, 产品小类, 下游产品).",
                         reconstructed="reconstructed" in pp_file.name)
    prod_ids: dict[str, str] = {}
    for nm, (fname, line) in wanted.items():
        pid = f"prod:{nm}"
        prod_ids[nm] = pid
        if kg.has(pid):
            continue
        if nm in listed_products and src_prod:
            props = {"id": pid, "name": nm, "provenance": "stated", "source": src_prod,
                     "evidence": f"product.json line {listed_products[nm]}: {nm}"}
        else:
            report.count("product-not-in-list", example=nm)
            src = src_cp if cp_file is not None and fname == cp_file.name else src_pp
            props = {"id": pid, "name": nm, "provenance": "stated", "source": src,
                     "evidence": f"{fname} line {line} names it", "note": "Not listed in product.json."}
        w.node("Product", props)
    if listed_products:
        report.count("product-unused", sum(1 for nm in listed_products if nm not in wanted))

    for (nid, prod), (share, n, raw_w) in makes.items():
        props: dict[str, Any] = {"provenance": "stated", "source": src_cp,
                                 "evidence": f"{cp_file.name} line {n}: {kg.g.nodes[nid].get('stock_code') or nid} "
                                             f"{prod} {raw_w:g}"}
        if share is not None:
            props["revenue_share"] = share
        w.edge("MAKES", nid, prod_ids[prod], props)

    for (a, b), (n, rel) in inputs_rows.items():
        shown = f"{b} {rel} {a}" if rel == "上游材料" else f"{a} {rel} {b}"
        w.edge("INPUT_OF", prod_ids[a], prod_ids[b], {
            "provenance": "stated", "source": src_pp, "evidence": f"{pp_file.name} line {n}: {shown}"})
    report.seconds = time.perf_counter() - t0
    return report
