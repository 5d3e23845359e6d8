"""A deterministic generator of national-scale chain graphs, for benchmarks and scale tests.

``chainkg generate --firms N --seed S -o FILE`` builds a graph with the shape of the real thing:

* chains (12 + N/20,000, at most 60) with 8–20 segments each, upstream → midstream → downstream,
  FEEDS forming a DAG inside each chain plus cross-chain FEEDS;
* a region tree country → provinces → prefecture-level cities → districts (the real province and
  city names of :mod:`chainkg.loaders.a_share`), macro-regions (京津冀, 长三角, 粤港澳大湾区) and one
  home city, 昆明市, with its real districts;
* N enterprises with an HQ drawn from a Zipf law over cities (the home city holds ~1.5 %), 1–3
  OPERATES_IN each (chain popularity is Zipf too), a few listed firms with stock codes;
* SUPPLIES by preferential attachment (each new firm supplies 1–5 earlier firms chosen in proportion
  to the customers they already have, mostly inside its chain), so in-degrees are heavy-tailed;
* local anchors (the local firms with most suppliers), projects in the pipeline with statuses,
  amounts and dates, promotion events that court macro-regions, two statistics.

Every record is schema-valid and marked ``provenance: inferred`` with the reason
``synthetic (chainkg generate, seed S)``. The same arguments give the same graph, node and edge
order included, so the saved workspace is byte-identical.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from chainkg.graph.kg import KnowledgeGraph
from chainkg.schema import PIPELINE_STAGES

from .a_share import CITIES, MUNICIPALITIES, PROVINCES

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


def generate(firms: int, *, seed: int = 0, chains: int | None = None) -> KnowledgeGraph:
    """A schema-valid national graph with ``firms`` enterprises (see the module docstring).

    >>> kg = generate(300, seed=1)
    >>> kg.meta["home_region"], sum(1 for _ in kg.nodes("Enterprise"))
    ('region:cn:云南:昆明', 300)
    """
    if firms < 10:
        raise ValueError("generate needs at least 10 firms")
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
    for n in g:
        kg._index(n)
    return kg
