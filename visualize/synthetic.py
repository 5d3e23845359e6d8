"""Generated industrial-chain graphs of any size, for tests and benchmarks of the HTML views.

The graphs are valid against the schema and look like the real thing: a region tree with a
home city, chains with upstream → downstream segments, local and outside enterprises, anchors,
projects in the pipeline, leaders and events, with every provenance kind.

>>> kg = generate(120, seed=1)
>>> 110 <= len(kg) <= 130
True
>>> kg.meta["home_region"]
'region:home'
"""

from __future__ import annotations

import random
from typing import Any

from chainkg.graph.kg import KnowledgeGraph
from chainkg.schema import PIPELINE_STAGES, PROVENANCE_KINDS

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


def generate(n_nodes: int = 2000, *, seed: int = 0, xss: bool = True) -> KnowledgeGraph:
    """A schema-valid graph of about ``n_nodes`` nodes (one Source node included).

    With ``xss`` one enterprise of the first chain is named :data:`XSS_NAME`, the first chain's note
    is that text too, and one evidence holds a ``</script>``. Every fourth segment has no local firm.

    >>> kg = generate(60, seed=2)
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
