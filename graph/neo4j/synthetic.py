"""Seeded synthetic graphs: small awkward ones for engine-parity tests, a big one for the push benchmark.

Both are deterministic for a seed. :func:`random_graph` goes through schema
validation and varies everything the queries look at (nested and overlapping
regions, cross-chain and cyclic FEEDS, anchors both ways, supplies, projects
with every status, unit and date form, events that court regions) and uses
names with quotes, backticks, newlines, braces, emoji and Traditional Chinese.
:func:`bench_graph` skips validation to build ≥ 100k nodes quickly.
"""

from __future__ import annotations

import random

from chainkg.graph.kg import KnowledgeGraph
from chainkg.schema import AMOUNT_UNITS, LISTS, PIPELINE_STAGES, STAGES

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
             aliases=[f"公司別名{i}"] if rng.random() < 0.2 else None)
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
    for n in g:
        if g.nodes[n]["type"] in ("Region", "Chain"):
            kg._index(n)
    return kg
