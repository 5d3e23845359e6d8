"""Every synthetic graph chainkg makes, in one module: deterministic for a seed, valid against the schema.

* :func:`random_graph` — small awkward graphs for engine-parity tests (nested and overlapping regions,
  cross-chain and cyclic FEEDS, names with quotes, newlines, emoji and Traditional Chinese);
* :func:`bench_graph` — a big one for the Neo4j push benchmark;
* :func:`viz_graph` — graphs of any size that look like a city's chains, for the HTML view tests and
  benchmarks (with an XSS name to prove escaping);
* :func:`national_graph` — national-scale graphs for ``chainkg generate`` and the scale benchmarks:
  a real province/city tree, Zipf-distributed HQs and chain popularity, preferential-attachment SUPPLIES.

>>> national_graph(300, seed=1) == national_graph(300, seed=1)
True
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from chainkg.errors import InvalidArgument
from chainkg.schema import AMOUNT_UNITS, LISTS, PIPELINE_STAGES, PROVENANCE_KINDS, STAGES

from .kg import KnowledgeGraph

# ======================================================================= engine-parity and push-benchmark graphs
WORDS = ("锂", "电", "光伏", "硅", "稀贵", "金属", "新材料", "生物", "医药", "装备", "数字", "绿色", "食品",
         "铝", "储能", "正极", "负极", "隔膜", "芯片", "园区")
ODD = ('引号"名', "单'引", "反`引号", "换\n行", "{花括号}", "表情🔋", "雲南電池", "臺灣科技", "a\\b", "$param",
       "MATCH (n) DETACH DELETE n", "１２３全角", "  空 格 ", "Ünïcödé", "🚀火箭")


def _name(rng: random.Random, prefix: str, i: int, odd: float = 0.15) -> str:
    if rng.random() < odd:
        return f"{rng.choice(ODD)}{i}"
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(1, 2))) + prefix + str(i)


def _date(rng: random.Random) -> str | None:
    y = rng.randint(2019, 2024)
    form = rng.random()
    if form < 0.15:
        return None
    if form < 0.3:
        return str(y)
    if form < 0.5:
        return f"{y}-{rng.randint(1, 12):02d}"
    return f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def random_graph(seed: int) -> KnowledgeGraph:
    """A small, valid, deliberately awkward graph (tens to a few hundred nodes)."""
    rng = random.Random(seed)
    kg = KnowledgeGraph({"name": f"random {seed} “{rng.choice(ODD)}”", "seed": seed, "nested": {"k": [1, "二"]}})
    kg.merge_node("Source", {"id": "src", "title": "synthetic", "kind": "dataset"})

    def provenance() -> dict[str, str]:
        kind = rng.choice(("stated", "template", "inferred"))
        return {"provenance": kind, "source": "src", "evidence": f"依据 {rng.choice(ODD)}"}

    def node(t: str, i: str, **props):
        props = {k: v for k, v in props.items() if v is not None}
        kg.merge_node(t, {"id": i, **provenance(), **props})

    def edge(t: str, a: str, b: str, **props):
        props = {k: v for k, v in props.items() if v is not None}
        kg.merge_edge(t, a, b, {**provenance(), **props})

    # Regions: a country, provinces, cities, districts, macro-regions overlapping provinces.
    node("Region", "r:cn", name="中国", level="country")
    cities: list[str] = []
    regions = ["r:cn"]
    for i in range(rng.randint(2, 3)):
        prov = f"r:p{i}"
        node("Region", prov, name=_name(rng, "省", i, 0.1), level="province", aliases=[f"省{i}別名"])
        edge("PART_OF", prov, "r:cn")
        regions.append(prov)
        for j in range(rng.randint(1, 3)):
            city = f"r:c{i}{j}"
            node("Region", city, name=_name(rng, "市", i * 10 + j, 0.2), level="city")
            edge("PART_OF", city, prov)
            cities.append(city)
            regions.append(city)
            for m in range(rng.randint(0, 2)):
                d = f"r:d{i}{j}{m}"
                node("Region", d, name=_name(rng, "区", i * 100 + j * 10 + m, 0.2), level="district")
                edge("PART_OF", d, city)
                regions.append(d)
    for i in range(rng.randint(1, 2)):
        macro = f"r:m{i}"
        node("Region", macro, name=f"经济圈{i}", level="macro_region", aliases=[f"經濟圈{i}"])
        regions.append(macro)
        for c in rng.sample(cities, k=min(len(cities), rng.randint(1, 2))):
            edge("PART_OF", c, macro)
    kg.meta["home_region"] = rng.choice(cities)

    # Chains and their templates.
    chains = []
    segments: list[str] = []
    for i in range(rng.randint(2, 5)):
        c = f"c{i}"
        node("Chain", c, name=_name(rng, "链", i, 0.2), verified=rng.random() < 0.6,
             aliases=[f"鏈{i}"] if rng.random() < 0.5 else None, tier=rng.choice(("8", "N", None)))
        chains.append(c)
        if i > 0 and rng.random() < 0.15:
            continue  # a chain with no template
        for j in range(rng.randint(2, 7)):
            s = f"s{i}_{j}"
            node("Segment", s, name=_name(rng, "环节", i * 10 + j, 0.2), chain=c, stage=rng.choice(STAGES),
                 order=rng.choice((j, j, j, None, 1)))
            edge("HAS_SEGMENT", c, s)
            segments.append(s)
    for _ in range(int(len(segments) * rng.uniform(0.8, 1.8))):
        a, b = rng.sample(segments, 2)
        if segments.index(a) > segments.index(b) and rng.random() < 0.85:
            a, b = b, a  # mostly downstream, a few cycles
        edge("FEEDS", a, b, product=rng.choice((None, "材料", "零件")))
    if segments and rng.random() < 0.3:
        s = rng.choice(segments)
        edge("FEEDS", s, s)

    # Enterprises.
    firms = []
    for i in range(rng.randint(10, 35)):
        f = f"f{i}"
        node("Enterprise", f, name=_name(rng, "公司", i), lists=rng.sample(LISTS, k=rng.choice((0, 0, 1, 2))) or None,
             aliases=[f"公司別名{i}"] if rng.random() < 0.2 else None,
             anchor=rng.choice((None, None, None, True, False)), above_scale=rng.choice((None, True, False)),
             revenue=rng.choice((None, None, 0, 800.5, 20000, 150000)), employees=rng.choice((None, 12, 300, 2500)),
             registered_capital=rng.choice((None, 50, 5000, 80000)))
        firms.append(f)
        for r in rng.sample(regions, k=rng.choice((0, 1, 1, 1, 2))):
            edge("LOCATED_IN", f, r, role=rng.choice(("hq", "hq", "site", "office", None)))
        for s in rng.sample(segments, k=min(len(segments), rng.choice((0, 1, 1, 2, 3)))):
            edge("OPERATES_IN", f, s, role=rng.choice(("anchor", "key", "supporting", None, None)),
                 confidence=rng.choice((None, 0.5, 0.9)))
        if rng.random() < 0.2:
            edge("ANCHORS", f, rng.choice(chains))
    for _ in range(int(len(firms) * rng.uniform(0.5, 1.5))):
        a, b = rng.sample(firms, 2)
        edge("SUPPLIES", a, b, product=rng.choice((None, "电芯", "硅片", "材料")))

    # Events.
    events = []
    for i in range(rng.randint(1, 3)):
        e = f"e{i}"
        node("Event", e, name=_name(rng, "推介会", i), date=_date(rng))
        events.append(e)
        edge("HOSTED_BY", e, rng.choice(regions))
        for r in rng.sample(regions, k=rng.randint(0, 2)):
            edge("TARGETS", e, r)

    # Projects.
    for i in range(rng.randint(4, 15)):
        pid = f"p{i}"
        unit = rng.choice((*AMOUNT_UNITS, None))
        node("Project", pid, name=_name(rng, "项目", i), status=rng.choice(PIPELINE_STAGES),
             agreed_amount=rng.choice((None, rng.randint(1, 500) / 4)) if unit else None,
             funds_in_place=rng.choice((None, rng.randint(0, 100) / 8)) if unit else None,
             amount_unit=unit, status_date=_date(rng), signed_date=_date(rng))
        for r in rng.sample(regions, k=rng.choice((0, 1, 1, 2))):
            edge("LOCATED_IN", pid, r, role="project")
        for s in rng.sample(segments, k=min(len(segments), rng.choice((0, 1, 1, 2)))):
            edge("IN_SEGMENT", pid, s)
        if rng.random() < 0.4:
            edge("IN_CHAIN", pid, rng.choice(chains))
        if rng.random() < 0.4:
            edge("SIGNED_AT", pid, rng.choice(events))
        for f in rng.sample(firms, k=rng.choice((0, 1, 1, 2))):
            edge("INVESTS", f, pid)
    return kg


def bench_graph(seed: int = 7, firms: int = 70_000) -> KnowledgeGraph:
    """A big graph for the push benchmark (about 1.7 nodes and 9 relationships per firm; unvalidated)."""
    rng = random.Random(seed)
    kg = KnowledgeGraph({"name": f"benchmark {seed}", "home_region": "r:c0_0"})
    g = kg.g
    prov = {"provenance": "template", "source": "src"}

    def node(t: str, i: str, **props):
        g.add_node(i, type=t, **prov, **props)

    def edge(t: str, a: str, b: str, **props):
        g.add_edge(a, b, key=t, type=t, **prov, **props)

    g.add_node("src", type="Source", title="synthetic benchmark")
    node("Region", "r:cn", name="中国", level="country")
    cities, districts = [], []
    for i in range(31):
        node("Region", f"r:p{i}", name=f"省{i}", level="province")
        edge("PART_OF", f"r:p{i}", "r:cn")
        for j in range(12):
            c = f"r:c{i}_{j}"
            node("Region", c, name=f"市{i}_{j}", level="city")
            edge("PART_OF", c, f"r:p{i}")
            cities.append(c)
            for m in range(8):
                d = f"r:d{i}_{j}_{m}"
                node("Region", d, name=f"区{i}_{j}_{m}", level="district")
                edge("PART_OF", d, c)
                districts.append(d)
    home_districts = [d for d in districts if d.startswith("r:d0_0_")]
    chains, segments = [], []
    for i in range(40):
        c = f"c{i}"
        node("Chain", c, name=f"产业链{i}", verified=i < 8)
        chains.append(c)
        for j in range(30):
            s = f"s{i}_{j}"
            node("Segment", s, name=f"环节{i}_{j}", chain=c, stage=STAGES[j % 3], order=j)
            edge("HAS_SEGMENT", c, s)
            segments.append(s)
            if j:
                edge("FEEDS", f"s{i}_{rng.randrange(j)}", s)
            if j > 1 and rng.random() < 0.5:
                edge("FEEDS", f"s{i}_{rng.randrange(j)}", s)
            if rng.random() < 0.03:
                edge("FEEDS", s, f"s{rng.randrange(40)}_{rng.randrange(30)}")
    industries = [f"ind{i}" for i in range(600)]
    for i, ind in enumerate(industries):
        node("Industry", ind, name=f"行业{i}", code=f"{i:04d}", level=1 + i % 3, scheme="SW2021")
        if i >= 30:
            edge("SUBINDUSTRY_OF", ind, industries[i % 30])
    products = [f"prod{i}" for i in range(3000)]
    for i, pr in enumerate(products):
        node("Product", pr, name=f"产品{i}")
        if i:
            edge("INPUT_OF", products[rng.randrange(i)], pr)
    firm_ids = []
    for i in range(firms):
        f = f"f{i}"
        lists = rng.sample(LISTS, k=1) if rng.random() < 0.1 else None
        node("Enterprise", f, name=f"企业{i}", **({"lists": lists} if lists else {}))
        firm_ids.append(f)
        local = rng.random() < 0.02
        edge("LOCATED_IN", f, rng.choice(home_districts) if local else rng.choice(districts),
             role="hq" if rng.random() < 0.7 else "site")
        if rng.random() < 0.3:
            edge("LOCATED_IN", f, rng.choice(cities), role="site")
        for s in rng.sample(segments, k=rng.choice((1, 1, 2, 3))):
            edge("OPERATES_IN", f, s, role="anchor" if rng.random() < 0.03 else "key")
        edge("IN_INDUSTRY", f, rng.choice(industries))
        for pr in rng.sample(products, k=rng.choice((1, 2, 3))):
            edge("MAKES", f, pr)
        if rng.random() < 0.01:
            edge("ANCHORS", f, rng.choice(chains))
    # Sparse supply ties among a pool of firms that includes every local anchor. Kept small: both
    # engines compute directed betweenness (quadratic in the SUPPLIES graph's nodes) and one dominator
    # tree per (anchor, input segment) with networkx.
    anchors = [f for f in firm_ids if any(k == "ANCHORS" or d.get("role") == "anchor"
                                          for _, _, k, d in g.out_edges(f, keys=True, data=True))]
    local = {u for u, v, k in g.edges(keys=True) if k == "LOCATED_IN" and v in set(home_districts)}
    pool = sorted({*rng.sample(firm_ids, 2000), *(a for a in anchors if a in local)})
    for _ in range(1200):
        a, b = rng.sample(pool, 2)
        edge("SUPPLIES", a, b, product="材料")
    events = []
    for i in range(800):
        e = f"e{i}"
        node("Event", e, name=f"推介会{i}", date="2023-05-01")
        events.append(e)
        edge("HOSTED_BY", e, rng.choice([*cities[:3], rng.choice(cities)]))
        edge("TARGETS", e, f"r:p{rng.randrange(31)}")
    for i in range(20_000):
        p = f"p{i}"
        node("Project", p, name=f"项目{i}", status=rng.choice(PIPELINE_STAGES),
             agreed_amount=float(rng.randint(1, 1000)), funds_in_place=float(rng.randint(0, 100)),
             amount_unit=rng.choice(("亿元", "万元", "亿美元")), status_date=f"{rng.randint(2019, 2024)}-06")
        edge("LOCATED_IN", p, rng.choice(home_districts) if rng.random() < 0.05 else rng.choice(districts),
             role="project")
        edge("IN_SEGMENT", p, rng.choice(segments))
        edge("IN_CHAIN", p, rng.choice(chains))
        for f in rng.sample(firm_ids, k=rng.choice((1, 2))):
            edge("INVESTS", f, p)
        if rng.random() < 0.3:
            edge("SIGNED_AT", p, rng.choice(events))
    for i in range(4000):
        st = f"stat{i}"
        node("Statistic", st, name=f"指标{i}", value=float(i), unit="亿元")
        edge("DESCRIBES", st, rng.choice(cities))
    kg.reindex(n for n in g if g.nodes[n]["type"] in ("Region", "Chain"))
    return kg


# ======================================================================= HTML view graphs
#: The firm name used to check that data text can never run as HTML or script.
XSS_NAME = "<img src=x onerror=alert(1)>"

_PLACES = ("滇", "云", "昆", "春", "金", "碧", "翠", "玉", "澜", "峰", "华", "东", "西", "南", "北", "盘")
_CORES = ("锂", "硅", "光", "能", "电", "材", "芯", "药", "康", "农", "智", "创", "源", "通", "达", "恒")
_TRADES = ("新材料", "新能源", "电池", "光伏", "生物医药", "精密制造", "电子科技", "储能", "化工", "装备")
_FORMS = ("有限公司", "股份有限公司", "集团", "科技有限公司")
_CHAINS = (
    ("新能源电池", "新能源電池"), ("绿色硅光伏", "綠色矽光伏"), ("生物医药", "生物醫藥"),
    ("高原特色农业", "高原特色農業"),
    ("先进装备制造", "先進裝備製造"), ("电子信息", "電子信息"), ("新材料", None), ("数字经济", "數字經濟"),
    ("文旅康养", "文旅康養"), ("现代物流", "現代物流"), ("有色金属", "有色金屬"), ("绿色食品", "綠色食品"),
)
_SEGMENTS = {
    "upstream": ("矿产资源", "基础化工", "原材料提纯", "设备零部件"),
    "midstream": ("正极材料", "负极材料", "电解液", "隔膜", "电芯制造", "模组封装"),
    "downstream": ("整车应用", "储能系统", "终端销售"),
    "support": ("检测认证", "研发平台"),
    "cycle": ("回收利用",),
}
_DISTRICTS = ("五华区", "盘龙区", "官渡区", "西山区", "呈贡区", "晋宁区", "东川区", "安宁市", "嵩明县", "宜良县")
_OUTSIDE = ("上海市", "深圳市", "宁波市", "成都市", "重庆市", "合肥市", "西安市", "长沙市")


def _p(rng: random.Random, weights: tuple[int, int, int] = (5, 3, 2)) -> dict[str, Any]:
    kind = rng.choices(PROVENANCE_KINDS, weights=weights)[0]
    return {"provenance": kind, "source": "src:gen", "evidence": f"生成的{kind}依据"}


def viz_graph(n_nodes: int = 2000, *, seed: int = 0, xss: bool = True) -> KnowledgeGraph:
    """A schema-valid graph of about ``n_nodes`` nodes (one Source node included).

    With ``xss`` one enterprise of the first chain is named :data:`XSS_NAME`, the first chain's note
    is that text too, and one evidence holds a ``</script>``. Every fourth segment has no local firm.

    >>> kg = viz_graph(60, seed=2)
    >>> kg.find(XSS_NAME) != []
    True
    >>> kg.resolve("新能源電池", "Chain")
    'chain:0'
    """
    rng = random.Random(seed)
    kg = KnowledgeGraph({"name": f"生成图 generated {n_nodes}", "home_region": "region:home"})
    kg.merge_node("Source", {"id": "src:gen", "title": "生成数据 generated", "kind": "dataset"})

    def node(t: str, props: dict[str, Any]) -> str:
        return kg.merge_node(t, {**props, **_p(rng)}, validate=False)

    def edge(r: str, a: str, b: str, props: dict[str, Any] | None = None) -> None:
        kg.merge_edge(r, a, b, {**(props or {}), **_p(rng)}, validate=False)

    node("Region", {"id": "region:yn", "name": "云南省", "aliases": ["雲南省"], "level": "province"})
    node("Region", {"id": "region:home", "name": "昆明市", "level": "city"})
    edge("PART_OF", "region:home", "region:yn")
    local = ["region:home"]
    for i, d in enumerate(_DISTRICTS):
        local.append(node("Region", {"id": f"region:d{i}", "name": d, "level": "district"}))
        edge("PART_OF", local[-1], "region:home")
    outside = [node("Region", {"id": f"region:o{i}", "name": c, "level": "city"}) for i, c in enumerate(_OUTSIDE)]

    n_chains = max(2, min(len(_CHAINS), n_nodes // 250 + 2))
    segments: list[list[str]] = []
    chains = []
    for c in range(n_chains):
        name, trad = _CHAINS[c]
        cid = node("Chain", {"id": f"chain:{c}", "name": name, "aliases": [trad] if trad else [],
                             "tier": "8" if c < 8 else "N", "verified": c < 5})
        chains.append(cid)
        lid = node("Leader", {"id": f"leader:{c}", "name": f"{name}链长", "title": "市领导"})
        edge("LEADS", lid, cid)
        segs = []
        order = 0
        for stage, names in _SEGMENTS.items():
            for s in names:
                if stage in ("support", "cycle") and rng.random() < 0.5:
                    continue
                order += 1
                sid = node("Segment", {"id": f"seg:{c}:{order}", "name": s if c == 0 else f"{name[:2]}{s}",
                                       "chain": cid, "stage": stage, "order": order, "code": f"S{order}"})
                edge("HAS_SEGMENT", cid, sid)
                if segs and stage in ("midstream", "downstream"):
                    edge("FEEDS", segs[-1], sid)
                segs.append(sid)
        segments.append(segs)
    if n_chains > 1:  # one cross-chain flow
        edge("FEEDS", segments[1][0], segments[0][4])

    budget = max(0, n_nodes - len(kg))
    n_events = max(1, budget // 60)
    n_projects = max(2, budget // 7)
    n_firms = max(3, budget - n_events - n_projects)
    events = []
    for i in range(n_events):
        events.append(node("Event", {"id": f"event:{i}", "name": f"第{i + 1}届产业链招商推介会", "kind": "推介会",
                                     "date": f"2023-{i % 12 + 1:02d}"}))
        edge("HOSTED_BY", events[-1], "region:home")
        edge("TARGETS", events[-1], rng.choice(outside))
    firms = []
    for i in range(n_firms):
        name = f"{rng.choice(_PLACES)}{rng.choice(_CORES)}{rng.choice(_TRADES)}{i}{rng.choice(_FORMS)}"
        if xss and i == 1:
            name = XSS_NAME
        props: dict[str, Any] = {"id": f"ent:{i}", "name": name}
        if i % 9 == 0:
            props["lists"] = ["上市"]
            props["stock_code"] = f"{600000 + i}.SH"
        fid = node("Enterprise", props)
        firms.append(fid)
        c = 0 if i == 1 else rng.randrange(n_chains)
        role = "anchor" if i % 40 == 0 else rng.choice(("key", "supporting", "supporting"))
        seg = rng.choice(segments[c])
        edge("OPERATES_IN", fid, seg, {"role": role})
        if role == "anchor":
            edge("ANCHORS", fid, chains[c])
        if rng.random() < 0.15:
            edge("OPERATES_IN", fid, rng.choice(segments[rng.randrange(n_chains)]), {"role": "supporting"})
        gap = int(seg.rsplit(":", 1)[1]) % 4 == 3  # every fourth segment has no local firm
        edge("LOCATED_IN", fid, rng.choice(outside if gap or rng.random() >= 0.55 else local), {"role": "site"})
        if i > 0 and rng.random() < 0.1:
            edge("SUPPLIES", fid, firms[rng.randrange(i)], {"product": "零部件"})
    for i in range(n_projects):
        c = rng.randrange(n_chains)
        pid = node("Project", {"id": f"proj:{i}", "name": f"{_CHAINS[c][0]}项目{i + 1}期",
                               "status": rng.choice(PIPELINE_STAGES), "agreed_amount": float(rng.randint(1, 200)),
                               "amount_unit": "亿元"})
        if rng.random() < 0.7:
            edge("IN_SEGMENT", pid, rng.choice(segments[c]))
        else:
            edge("IN_CHAIN", pid, chains[c])
        edge("INVESTS", rng.choice(firms), pid)
        edge("LOCATED_IN", pid, rng.choice(local), {"role": "project"})
        if rng.random() < 0.3:
            edge("SIGNED_AT", pid, rng.choice(events))
    if xss:
        kg.g.nodes["ent:0"]["evidence"] = "</script><script>window.__pwned=1</script>"
        kg.g.nodes["chain:0"]["note"] = XSS_NAME
    return kg


# ======================================================================= national-scale graphs
SOURCE = "src:chainkg-generate"
HOME_DISTRICTS = ("五华区", "盘龙区", "官渡区", "西山区", "呈贡区", "晋宁区", "东川区", "安宁市", "嵩明县", "宜良县")
CHAIN_NAMES = (
    "新能源电池", "绿色硅光伏", "生物医药", "稀贵金属新材料", "电子信息制造", "绿色食品", "先进装备制造",
    "新材料", "数字经济", "现代物流", "文旅康养", "高原特色农业", "石化化工", "汽车及零部件", "航空航天",
    "节能环保", "氢能", "集成电路", "人工智能", "新型显示", "纺织服装", "家居建材", "有色金属", "钢铁",
    "食品饮料", "医疗器械", "现代种业", "智能网联汽车", "储能", "工业互联网", "轨道交通装备", "海洋经济",
)
STAGE_WORDS = {
    "upstream": ("资源", "原料", "基础材料", "关键部件", "专用设备"),
    "midstream": ("材料", "零部件", "制造", "组装", "系统集成", "模组"),
    "downstream": ("整机", "应用", "服务", "运营", "销售"),
    "support": ("检测认证", "研发平台"),
    "cycle": ("回收利用",),
}
CORES = "华锂硅光能电材芯药康农智创源通达恒新中信海天宏远鑫瑞德"
TRADES = ("新材料", "新能源", "电池", "光伏", "生物医药", "精密制造", "电子科技", "储能", "化工", "装备", "食品",
          "信息技术", "汽车部件", "环保科技")
FORMS = ("有限公司", "股份有限公司", "集团有限公司", "科技有限公司")
MACRO = {
    "京津冀": ("北京", "天津", "河北"),
    "长三角": ("上海", "江苏", "浙江", "安徽"),
    "粤港澳大湾区": ("广东:广州", "广东:深圳", "广东:珠海", "广东:佛山", "广东:惠州", "广东:东莞", "广东:中山",
                  "广东:江门", "广东:肇庆", "香港", "澳门"),
}
STATUS_WEIGHTS = (20, 25, 20, 12, 12, 8, 3)  # 谋划 在谈 签约 落地 开工 投产 增资
LISTED_PREFIXES = ("600", "601", "603", "605", "000", "002", "300", "688")


def _cum(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def national_graph(firms: int, *, seed: int = 0, chains: int | None = None) -> KnowledgeGraph:
    """A schema-valid national graph with ``firms`` enterprises (see the module docstring).

    >>> kg = national_graph(300, seed=1)
    >>> kg.meta["home_region"], sum(1 for _ in kg.nodes("Enterprise"))
    ('region:cn:云南:昆明', 300)
    """
    if firms < 10:
        raise InvalidArgument("generate needs at least 10 firms")
    from chainkg.loaders.a_share import CITIES, MUNICIPALITIES, PROVINCES
    rng = random.Random(seed)
    reason = f"synthetic (chainkg generate, seed {seed})"
    n_chains = chains or min(60, 12 + firms // 20000)
    home = "region:cn:云南:昆明"
    kg = KnowledgeGraph({
        "name": f"generated national graph ({firms} firms, seed {seed})",
        "home_region": home,
        "description": f"Synthetic data for benchmarks: {reason}.",
        "generator": {"firms": firms, "seed": seed, "chains": n_chains},
    })
    g = kg.g
    prov = {"provenance": "inferred", "source": SOURCE, "evidence": reason}

    def node(nid: str, t: str, **props: Any) -> str:
        g.add_node(nid, type=t, **props, **prov)
        return nid

    def edge(rel: str, a: str, b: str, **props: Any) -> None:
        g.add_edge(a, b, key=rel, type=rel, **props, **prov)

    g.add_node(SOURCE, type="Source", title="chainkg generate: synthetic national graph", kind="dataset",
               publisher="chainkg project", note=f"Generated with seed {seed}; not real data.")

    # ------------------------------------------------------------------ regions
    country = node("region:cn", "Region", name="中国", level="country", aliases=["全国"])
    cities: list[str] = []
    prov_ids: dict[str, str] = {}
    for m in MUNICIPALITIES:
        cid = node(f"region:cn:{m}", "Region", name=m if m in ("香港", "澳门") else m + "市", level="city",
                   aliases=[m])
        edge("PART_OF", cid, country)
        cities.append(cid)
    for p, full in PROVINCES.items():
        pid = node(f"region:cn:{p}", "Region", name=full, level="province", aliases=[p])
        prov_ids[p] = pid
        edge("PART_OF", pid, country)
        for c in CITIES[p].split():
            cid = node(f"region:cn:{p}:{c}", "Region", name=c + "市", level="city", aliases=[c])
            edge("PART_OF", cid, pid)
            cities.append(cid)
    for macro, members in MACRO.items():
        mid = node(f"region:cn:macro:{macro}", "Region", name=macro, level="macro_region")
        edge("PART_OF", mid, country)
        for mem in members:
            edge("PART_OF", f"region:cn:{mem}", mid)
    districts: dict[str, list[str]] = {}
    suffixes = ("东区", "西区", "南区", "北区", "中区", "新区", "高新区", "开发区")
    for cid in cities:
        if cid == home:
            names = HOME_DISTRICTS
        else:
            names = tuple(g.nodes[cid]["aliases"][0] + s for s in suffixes[: 2 + rng.randrange(5)])
        ds = []
        for i, dn in enumerate(names):
            level = "county" if dn.endswith(("县", "市")) else "district"
            did = node(f"{cid}:d{i}", "Region", name=dn, level=level)
            edge("PART_OF", did, cid)
            ds.append(did)
        districts[cid] = ds
    others = [c for c in cities if c != home]
    rng.shuffle(others)
    city_weights = [1.0 / (rank + 1) for rank in range(len(others))]
    total = sum(city_weights)
    local_share = 0.015
    city_list = [home, *others]
    city_cum = _cum([local_share * total / (1 - local_share), *city_weights])

    # ------------------------------------------------------------------- chains
    chain_ids, segs_of, stage_of = [], [], {}
    for c in range(n_chains):
        base = CHAIN_NAMES[c % len(CHAIN_NAMES)]
        name = base if c < len(CHAIN_NAMES) else f"{base}{c // len(CHAIN_NAMES) + 1}"
        cid = node(f"chain:{c}", "Chain", name=name, tier="8" if c < 8 else "N", verified=c < 8)
        chain_ids.append(cid)
        lid = node(f"leader:{c}", "Leader", name=f"{name}产业链链长", title="市领导")
        edge("LEADS", lid, cid)
        n_seg = 8 + rng.randrange(13)
        n_up, n_down = max(2, round(n_seg * 0.3)), max(2, round(n_seg * 0.25))
        segs = []
        for k in range(n_seg):
            if k < n_up:
                stage = "upstream"
            elif k >= n_seg - n_down:
                stage = "downstream"
            else:
                stage = "midstream"
            if k == n_seg - 1 and rng.random() < 0.3:
                stage = "cycle"
            word = rng.choice(STAGE_WORDS[stage])
            sid = node(f"seg:{c}:{k + 1}", "Segment", name=f"{name[:4]}{word}{k + 1}", chain=cid, stage=stage,
                       order=k + 1, code=f"S{k + 1}")
            edge("HAS_SEGMENT", cid, sid)
            if k > 0 and stage != "cycle":
                for src in sorted(set(rng.sample(segs, min(len(segs), 1 + (rng.random() < 0.4))))):
                    edge("FEEDS", src, sid)
            elif stage == "cycle":
                edge("FEEDS", segs[-1], sid)
            segs.append(sid)
            stage_of[sid] = stage
        segs_of.append(segs)
    for _ in range(n_chains * 2):  # cross-chain flows: an upstream/midstream output feeding another chain
        a, b = rng.sample(range(n_chains), 2)
        src = rng.choice([s for s in segs_of[a] if stage_of[s] in ("upstream", "midstream")])
        dst = rng.choice([s for s in segs_of[b] if stage_of[s] in ("midstream", "downstream")])
        if not g.has_edge(dst, src, key="FEEDS"):
            edge("FEEDS", src, dst, product=g.nodes[src]["name"])
    chain_cum = _cum([1.0 / (r + 1) ** 0.8 for r in range(n_chains)])

    # -------------------------------------------------------------------- firms
    firm_ids: list[str] = []
    firm_chain: list[int] = []
    firm_seg: list[str] = []
    local: list[str] = []
    n_listed = 0
    for i in range(firms):
        city = rng.choices(city_list, cum_weights=city_cum)[0]
        cname = g.nodes[city]["aliases"][0]
        name = f"{cname}{rng.choice(CORES)}{rng.choice(CORES)}{rng.choice(TRADES)}{rng.choice(FORMS)}"
        props: dict[str, Any] = {"name": name}
        if rng.random() < 0.02:
            pre = LISTED_PREFIXES[n_listed % len(LISTED_PREFIXES)]
            code = f"{pre}{n_listed // len(LISTED_PREFIXES):03d}"
            props["stock_code"] = f"{code}.{'SH' if pre[0] == '6' else 'SZ'}"
            props["lists"] = ["上市"]
            n_listed += 1
        fid = node(f"ent:{i}", "Enterprise", **props)
        firm_ids.append(fid)
        where = rng.choice(districts[city]) if rng.random() < 0.7 else city
        edge("LOCATED_IN", fid, where, role="hq")
        if city == home:
            local.append(fid)
        c = rng.choices(range(n_chains), cum_weights=chain_cum)[0]
        segs = segs_of[c]
        k = min(int(rng.paretovariate(1.2)) - 1, len(segs) - 1)
        seg = segs[(k + c) % len(segs)]
        firm_chain.append(c)
        firm_seg.append(seg)
        edge("OPERATES_IN", fid, seg, role=rng.choice(("key", "supporting", "supporting")))
        if rng.random() < 0.35:
            j = segs.index(seg)
            other = segs[j + 1] if j + 1 < len(segs) else segs[j - 1]
            edge("OPERATES_IN", fid, other, role="supporting")
        if rng.random() < 0.1:
            c2 = rng.randrange(n_chains)
            s2 = rng.choice(segs_of[c2])
            if not g.has_edge(fid, s2, key="OPERATES_IN"):
                edge("OPERATES_IN", fid, s2, role="supporting")

    # ----------------------------------------------------- supplies (heavy tail)
    pool_all: list[int] = []
    pool_chain: list[list[int]] = [[] for _ in range(n_chains)]
    indeg = [0] * firms
    for i in range(firms):
        c = firm_chain[i]
        if i > 0:
            m = min(i, 1 + int(rng.expovariate(1 / 1.6)))
            chosen: list[int] = []
            for _ in range(m):
                pool = pool_chain[c] if pool_chain[c] and rng.random() < 0.75 else pool_all
                j = rng.choice(pool)
                if j != i and j not in chosen:
                    chosen.append(j)
            for j in chosen:
                edge("SUPPLIES", firm_ids[i], firm_ids[j], product=g.nodes[firm_seg[i]]["name"])
                indeg[j] += 1
                pool_all.append(j)
                pool_chain[firm_chain[j]].append(j)
        pool_all.append(i)
        pool_chain[c].append(i)

    # ---------------------------------------------------------------- anchors
    local_idx = sorted((int(f.split(":")[1]) for f in local), key=lambda j: (-indeg[j], j))
    for j in local_idx[: max(3, len(local_idx) // 25)]:
        fid = firm_ids[j]
        g.edges[fid, firm_seg[j], "OPERATES_IN"]["role"] = "anchor"
        edge("ANCHORS", fid, chain_ids[firm_chain[j]])
    top = sorted(range(firms), key=lambda j: (-indeg[j], j))[: max(5, firms // 500)]
    for rank, j in enumerate(top):
        g.nodes[firm_ids[j]]["lists"] = [*(g.nodes[firm_ids[j]].get("lists") or []),
                                         "世界500强" if rank < len(top) // 5 else "中国500强"]

    # ------------------------------------------------------------------ events
    n_events = max(3, firms // 2000)
    courted = [f"region:cn:macro:{m}" for m in MACRO] + others[:20]
    events = []
    for e in range(n_events):
        y, mo = 2020 + e % 5, 1 + rng.randrange(12)
        kind = rng.choice(("推介会", "对接会", "座谈会"))
        eid = node(f"event:{e}", "Event", name=f"第{e + 1}届产业链招商{kind}", kind=kind, date=f"{y}-{mo:02d}",
                   host="昆明市")
        edge("HOSTED_BY", eid, home)
        edge("TARGETS", eid, rng.choice(courted))
        edge("LOCATED_IN", eid, rng.choice(districts[home]), role="site")
        events.append(eid)

    # ---------------------------------------------------------------- projects
    units = ("亿元", "亿元", "亿元", "亿元", "万元", "亿美元")
    for p in range(max(5, firms // 20)):
        j = rng.randrange(firms)
        c = firm_chain[j]
        status = rng.choices(PIPELINE_STAGES, weights=STATUS_WEIGHTS)[0]
        unit = rng.choice(units)
        amount = round(rng.lognormvariate(1.5, 1.2), 2) * (10000 if unit == "万元" else 1)
        y = 2019 + rng.randrange(6)
        signed = f"{y}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
        props = {"name": f"{g.nodes[firm_seg[j]]['name']}项目{p + 1}", "status": status,
                 "agreed_amount": amount, "amount_unit": unit, "status_date": signed}
        if PIPELINE_STAGES.index(status) >= 2:
            props["signed_date"] = signed
            props["funds_in_place"] = round(amount * rng.random(), 2)
        if PIPELINE_STAGES.index(status) >= 4:
            props["start_date"] = f"{y + 1}-{1 + rng.randrange(12):02d}"
            props["status_date"] = props["start_date"]
        pid = node(f"proj:{p}", "Project", **props)
        if rng.random() < 0.8:
            edge("IN_SEGMENT", pid, rng.choice(segs_of[c]))
        else:
            edge("IN_CHAIN", pid, chain_ids[c])
        edge("INVESTS", firm_ids[j], pid)
        here = rng.random() < 0.75
        edge("LOCATED_IN", pid, rng.choice(districts[home]) if here else rng.choice(others), role="project")
        if here and rng.random() < 0.3:
            edge("SIGNED_AT", pid, rng.choice(events))

    node("stat:funds", "Statistic", name="省外产业到位资金", value=round(rng.uniform(500, 1500), 2), unit="亿元",
         period="2023")
    edge("DESCRIBES", "stat:funds", home)
    node("stat:projects", "Statistic", name="在库招商项目", value=float(max(5, firms // 20)), unit="个", period="2023")
    edge("DESCRIBES", "stat:projects", home)
    kg.reindex()
    return kg
