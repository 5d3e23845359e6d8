"""Gap-finding queries on small hand-built graphs; every expected row is worked out by hand below.

The graph (home region 昆明市 km; 东川区 dc PART_OF km PART_OF 云南省 yn; 玉溪 yx PART_OF yn;
上海 sh PART_OF 长三角 yrd):

    chain A 电池:  A1 锂资源 → A2 正极 → A4 电芯 → A5 储能 → B2 电站 (cross-chain)
                   A3 电解液 → A4
    chain B 光伏:  B1 硅料 → B2 电站;  B3 逆变器 → A5 (cross-chain)
    chain C 空链:  C1 (nothing local, no feeds);  chain D 无模板: no segments at all

    f1 正极一号  local (dc)   A2 anchor, ANCHORS A        f1 SUPPLIES f2;  f3 SUPPLIES f1
    f2 电芯外企  HQ sh        A4, 世界500强
    f3 锂矿外企  HQ yx        A1
    f4 储能本地  local (km)   A5 supporting, 营收 30,000 万元 (3 亿元: above the 2 亿元 threshold)
    f5, f6       local (km)   B1 supporting; f5 has 50 employees, f6 营收 500 万元 (both small)
    f7 电解液外企 HQ sh       A3, 上市, INVESTS p2
    p1 local (dc) 开工 in B2, 10 亿元 agreed, 2 亿元 in place, status since 2023-12-01
    p2 local (km) 签约 in A3, 5000 万元, SIGNED_AT e1, status since 2023-01-01
    p3 in sh, 落地 in A4 (not local)
    e1 hosted by km, TARGETS 长三角
"""

from __future__ import annotations

import pytest

from chainkg.graph import GraphError
from chainkg.graph.coverage import segment_status
from chainkg.graph.queries import QUERIES
from chainkg.graph.targets import Weights
from helpers import Builder


class Engine:
    """Calls ``q.missing(graph, …)`` on one engine: the embedded one, or Neo4j holding ``graph``."""

    def __init__(self, backend=None) -> None:
        self.backend = backend
        self._loaded = None

    def __getattr__(self, name: str):
        if name not in QUERIES:
            raise AttributeError(name)

        def call(graph, *args, **kwargs):
            kwargs.update(zip(("region", "chain"), args, strict=False))
            if self.backend is None:
                return QUERIES[name].function(graph, **kwargs)
            if self._loaded is not graph:
                from test_neo4j_support import load

                load(self.backend.conn, graph)
                self._loaded = graph
            return self.backend.run(name, **kwargs)

        return call


@pytest.fixture(params=["networkx", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def q(request):
    """Every hand-worked expectation below holds on both engines."""
    if request.param == "networkx":
        yield Engine()
        return
    from test_neo4j_support import require_neo4j

    from chainkg.graph.neo4j import Neo4jBackend

    backend = Neo4jBackend(require_neo4j())
    yield Engine(backend)
    backend.close()


@pytest.fixture
def kg():
    b = Builder(home="km")
    b.region("yn", "云南省", "province").region("km", "昆明市", "city", "yn").region("dc", "东川区", "district", "km")
    b.region("yx", "玉溪市", "city", "yn").region("yrd", "长三角", "macro_region").region("sh", "上海市", "city", "yrd")
    b.chain("A", "电池").chain("B", "光伏").chain("C", "空链", verified=False).chain("D", "无模板", verified=False)
    b.segment("A1", "锂资源", "A", 1, "upstream", feeds=["A2"]).segment("A2", "正极", "A", 2, feeds=["A4"])
    b.segment("A3", "电解液", "A", 3, feeds=["A4"]).segment("A4", "电芯", "A", 4, feeds=["A5"])
    b.segment("A5", "储能", "A", 5, "downstream", feeds=["B2"])
    b.segment("B1", "硅料", "B", 1, "upstream", feeds=["B2"]).segment("B2", "电站", "B", 2, "downstream")
    b.segment("B3", "逆变器", "B", 3, feeds=["A5"]).segment("C1", "空环节", "C", 1).feeds()
    b.firm("f1", "正极一号", "dc", segment="A2", seg_role="anchor").edge("ANCHORS", "f1", "A")
    b.firm("f2", "电芯外企", "sh", role="hq", segment="A4", lists=["世界500强"])
    b.firm("f3", "锂矿外企", "yx", role="hq", segment="A1")
    b.firm("f4", "储能本地", "km", segment="A5", seg_role="supporting", revenue=30000)
    b.firm("f5", "硅料本地", "km", segment="B1", seg_role="supporting", employees=50)
    b.firm("f6", "硅料二号", "km", segment="B1", seg_role="supporting", revenue=500)
    b.firm("f7", "电解液外企", "sh", role="hq", segment="A3", lists=["上市"])
    b.edge("SUPPLIES", "f1", "f2", product="正极材料").edge("SUPPLIES", "f3", "f1", product="碳酸锂")
    b.node("Event", "e1", name="长三角推介会").edge("HOSTED_BY", "e1", "km").edge("TARGETS", "e1", "yrd")
    b.node("Project", "p1", name="电站项目", status="开工", agreed_amount=10, funds_in_place=2, amount_unit="亿元",
           status_date="2023-12-01")
    b.edge("LOCATED_IN", "p1", "dc").edge("IN_SEGMENT", "p1", "B2")
    b.node("Project", "p2", name="电解液项目", status="签约", agreed_amount=5000, amount_unit="万元",
           status_date="2023-01-01")
    b.edge("LOCATED_IN", "p2", "km").edge("IN_SEGMENT", "p2", "A3").edge("SIGNED_AT", "p2", "e1")
    b.edge("INVESTS", "f7", "p2")
    b.node("Project", "p3", name="外地电芯", status="落地")
    b.edge("LOCATED_IN", "p3", "sh").edge("IN_SEGMENT", "p3", "A4")
    return b.kg


def test_segment_status_and_coverage_matrix(q, kg):
    assert segment_status(kg) == {
        "A1": "missing", "A2": "weak", "A3": "missing", "A4": "missing", "A5": "covered",
        "B1": "weak", "B2": "weak", "B3": "missing", "C1": "missing",
    }
    rows = q.coverage(kg)
    # Verified chains first, by name (光 U+5149 < 电 U+7535), then unverified; chain D has no template.
    assert [r.segment_id for r in rows] == ["B1", "B2", "B3", "A1", "A2", "A3", "A4", "A5", "C1"]
    by_id = {r.segment_id: r for r in rows}
    assert by_id["B1"].local_enterprises == 2 and by_id["B1"].enterprises == ["硅料二号", "硅料本地"]
    assert by_id["A2"].anchors == 1
    assert by_id["A3"].projects == {"签约": 1} and by_id["A3"].agreed_amount_yi == 0.5
    assert by_id["B2"].projects == {"开工": 1} and by_id["B2"].agreed_amount_yi == 10
    assert by_id["A4"].projects == {}  # p3 is in 上海, not local


def test_missing_ranked_by_how_much_local_chain_touches_them(q, kg):
    rows = q.missing(kg)
    assert [(r.segment_id, r.score) for r in rows] == [("A1", 2), ("A4", 2), ("B3", 1), ("A3", 0), ("C1", 0)]
    a1 = rows[0]
    assert a1.covered_downstream == ["正极"] and a1.anchors_needing == ["正极一号"] and a1.covered_upstream == []
    a4 = rows[1]
    assert a4.covered_upstream == ["正极"] and a4.covered_downstream == ["储能"] and a4.anchors_needing == []
    assert rows[2].covered_downstream == ["储能"]  # cross-chain: 逆变器 (光伏) feeds 储能 (电池)
    assert rows[3].pipeline == ["电解液项目 (签约)"]  # signed but not landed: still missing
    assert "not yet landed: 电解液项目 (签约)" in rows[3].reason
    assert "no covered neighbour" in rows[4].reason


def test_weak_rules(q, kg):
    rows = q.weak(kg)
    # A2: its anchor 正极一号 buys 碳酸锂 from 锂矿外企 in 玉溪. A5: 储能本地 is small by role but its
    # 3 亿元 revenue is over the threshold. B1: two supporting firms, 50 people and 500 万元. B2: a project only.
    # All fire one rule, so chain order decides: 光伏 (U+5149) before 电池 (U+7535).
    assert [(r.segment_id, r.rules) for r in rows] == [
        ("B1", ["small-firms-only"]),
        ("B2", ["no-enterprise"]),
        ("A2", ["outside-suppliers"]),
    ]
    assert rows[0].reason.startswith("2 local enterprises, all small: 硅料二号、硅料本地")
    assert "正极一号 ← 锂矿外企" in rows[2].reason
    # Raise the revenue bar above 3 亿元 and 储能本地 no longer counts as substantial.
    assert [(r.segment_id, r.rules) for r in q.weak(kg, min_revenue=50000)][-1] == ("A5", ["small-firms-only"])


def test_supply_gaps_of_local_anchors(q, kg):
    # 正极一号 (anchor, A2) needs A1 锂资源 (FEEDS A1 → A2); nobody local makes it, and its one known
    # supplier 锂矿外企 (A1) has its HQ in 玉溪市.
    rows = q.supply(kg)
    assert [(r.segment_id, r.rule, r.anchors, r.suppliers, r.regions) for r in rows] == [
        ("A1", "single-supplier", ["正极一号"], ["锂矿外企"], ["玉溪市"])]
    assert rows[0].reason == ("no local firm makes it; needed by local anchors 正极一号 (for 正极); "
                              "one known supplier: 锂矿外企 (玉溪市)")
    # For 云南省, 锂矿外企 is local: 锂资源 is covered and nothing is missing from the anchors' supply.
    assert q.supply(kg, "云南省") == []
    assert q.supply(kg, chain="光伏") == []  # 光伏 has no anchor


def test_capability_gaps_are_support_segments(q, kg):
    b = Builder(kg=kg, home="km")
    b.segment("A6", "检测认证", "A", 6, "support", feeds=["A2", "A4"]).feeds()
    # A6 serves covered A2 (anchor 正极一号 there) and uncovered A4: score 1 + 1.
    rows = q.capability(kg)
    assert [(r.segment_id, r.score, r.serves, r.anchors_served) for r in rows] == [("A6", 2, ["正极"], ["正极一号"])]
    assert "A6" not in [r.segment_id for r in q.missing(kg)]


def test_extend_one_and_two_hops_across_chains(q, kg):
    rows = q.extend(kg)
    assert [(r.segment_id, r.direction, r.hops, r.relatedness, r.via) for r in rows] == [
        ("B3", "upstream", 1, 1.0, ["储能"]),
        ("A1", "upstream", 1, 1.0, ["正极"]),
        ("A4", "both", 1, 0.6667, ["储能", "正极"]),
    ]
    assert "across chains from 电池" in rows[0].reason
    rows2 = q.extend(kg, k=2)
    assert [(r.segment_id, r.hops, r.direction, r.via, r.relatedness) for r in rows2][-1] == \
        ("A3", 2, "upstream", ["储能"], 0.0)
    # Chain filter keeps candidates in the chain and candidates reached from it (B3 via 储能 of 电池).
    assert [r.segment_id for r in q.extend(kg, chain="电池")] == ["B3", "A1", "A4"]
    assert [r.segment_id for r in q.extend(kg, chain="光伏")] == ["B3"]
    with pytest.raises(ValueError):
        q.extend(kg, k=0)


def test_dependencies_of_local_anchors(q, kg):
    rows = q.dependencies(kg)
    assert [(r.segment, r.enterprise, r.relation, r.anchor, r.product, r.hq) for r in rows] == [
        ("锂资源", "锂矿外企", "supplier", "正极一号", "碳酸锂", "玉溪市"),
        ("电芯", "电芯外企", "customer", "正极一号", "正极材料", "上海市"),
    ]
    assert q.dependencies(kg, chain="光伏") == []


def test_targets_scores_and_weights(q, kg):
    rows = q.targets(kg)
    assert [(r.enterprise_id, r.segment_id, r.gap, r.score) for r in rows] == [
        ("f2", "A4", "missing", 9.0), ("f7", "A3", "missing", 6.0), ("f3", "A1", "missing", 5.0)]
    assert rows[0].parts == {"gap": 3.0, "ties": 2.0, "lists": 3.0, "region": 1.0, "pipeline": 0.0}
    assert rows[1].parts == {"gap": 3.0, "ties": 0.0, "lists": 1.0, "region": 1.0, "pipeline": 1.0}
    assert rows[2].parts == {"gap": 3.0, "ties": 2.0, "lists": 0.0, "region": 0.0, "pipeline": 0.0}
    assert "HQ in courted region 上海市" in rows[0].why
    assert {r.placement for r in rows} == {"template"}  # how each firm was placed in its segment
    no_ties = q.targets(kg, weights=Weights().with_overrides({"tie": 0, "lists.世界500强": 10}))
    assert [(r.enterprise_id, r.score) for r in no_ties] == [("f2", 14.0), ("f7", 6.0), ("f3", 3.0)]
    with pytest.raises(GraphError, match="unknown weight"):
        Weights().with_overrides({"size": 1})


def test_region_nested_two_levels_deep(q, kg):
    # For 云南省, 东川区 (two levels down) and 玉溪 are local: 锂矿外企 covers 锂资源.
    status = segment_status(kg, "云南省")
    assert status["A1"] == "covered"  # one firm, but a key one: not weak
    # 正极一号 buys from 锂矿外企, which is local for 云南省: A2 has no outside supplier any more.
    assert status["A2"] == "covered"
    assert [r.segment_id for r in q.missing(kg, "云南省")][:1] == ["A4"]
    # For 东川区 only 正极一号 and the 电站 project are local.
    assert {s for s, v in segment_status(kg, "东川区").items() if v != "missing"} == {"A2", "B2"}


def test_pipeline_counts_amounts_conversion_and_stalled(q, kg):
    r = q.pipeline(kg, as_of="2024-01-15")
    assert [(g.key, g.projects, g.agreed_amount_yi, g.funds_in_place_yi) for g in r.by_status] == [
        ("签约", 1, 0.5, 0.0), ("开工", 1, 10.0, 2.0)]
    assert (r.totals.projects, r.totals.agreed_amount_yi, r.totals.funds_in_place_yi) == (2, 10.5, 2.0)
    assert [(c.rate, c.reached, c.of, c.value) for c in r.conversion] == [
        ("签约率 (签约/在谈)", 2, 2, 1.0), ("落地率 (落地/签约)", 1, 2, 0.5),
        ("开工率 (开工/落地)", 1, 1, 1.0), ("投产率 (投产/开工)", 0, 1, 0.0)]
    assert sorted((g.key, g.projects) for g in r.by_event) == [("(none)", 1), ("长三角推介会", 1)]
    assert sorted((g.key, g.projects) for g in r.by_region) == [("东川区", 1), ("昆明市", 1)]
    assert sorted((g.key, g.projects) for g in r.by_chain) == [("光伏", 1), ("电池", 1)]
    assert [(s.id, s.days) for s in r.stalled] == [("p2", 379)]
    assert q.pipeline(kg, chain="光伏").totals.projects == 1


def test_empty_chain_and_unknown_names(q, kg):
    assert q.coverage(kg, chain="无模板") == []
    assert q.missing(kg, chain="无模板") == [] and q.weak(kg, chain="无模板") == []
    assert [r.segment_id for r in q.missing(kg, chain="空链")] == ["C1"]
    with pytest.raises(GraphError, match="unknown region '火星'"):
        q.missing(kg, region="火星")
    with pytest.raises(GraphError, match="unknown chain '航天'"):
        q.coverage(kg, chain="航天")
    with pytest.raises(GraphError, match="unknown region"):
        q.missing(kg, region="A1")  # an id of the wrong type is not a region


def test_traditional_names_select_chain_and_region(q, kg):
    assert [r.segment_id for r in q.missing(kg, region="東川區", chain="電池")] == \
        [r.segment_id for r in q.missing(kg, region="东川区", chain="电池")]


@pytest.fixture
def choke():
    """S1 → S3, S2 → S3, S3 → S4 → S5; anchor g (local) in S5.
    Supply: h1 (S1) → m (S3) → g; h2 (S2) → m; h3 (S1) → g."""
    return choke_graph()


def choke_graph(middle: str = "m"):
    """The :func:`choke` graph, with ``middle`` as the id of the firm m."""
    b = Builder(home="km")
    b.region("km", "昆明市").region("out", "外地")
    b.chain("X", "链X")
    for i, feeds in ((1, ["S3"]), (2, ["S3"]), (3, ["S4"]), (4, ["S5"]), (5, [])):
        b.segment(f"S{i}", f"环节{i}", "X", i, feeds=feeds)
    b.feeds()
    b.firm("g", "链主", "km", segment="S5", seg_role="anchor")
    b.firm("h1", "甲", "out", segment="S1").firm("h2", "乙", "out", segment="S2").firm("h3", "丙", "out", segment="S1")
    b.firm(middle, "中间商", "out", segment="S3")
    for a, c in (("h1", middle), ("h2", middle), (middle, "g"), ("h3", "g")):
        b.edge("SUPPLIES", a, c)
    return b.kg


def test_chokepoints_dominators_ranked_by_directed_betweenness(q, choke):
    rows = q.chokepoints(choke)
    assert [(r.kind, r.id, r.betweenness, r.inputs) for r in rows] == [
        # S3 lies on the shortest paths S1→S4, S1→S5, S2→S4, S2→S5: 4 of (5-1)(5-2)=12 ordered pairs.
        ("enterprise", "m", round(2 / 12, 6), ["环节2", "环节3"]),
        ("enterprise", "h2", 0.0, ["环节2"]),
        ("segment", "S3", round(4 / 12, 6), ["环节1", "环节2"]),
        ("segment", "S4", round(3 / 12, 6), ["环节1", "环节2"]),
    ]
    # 环节1 reaches 链主 through 甲→中间商 and directly through 丙: no single enterprise cuts it.
    assert all("环节1" not in r.inputs for r in rows if r.kind == "enterprise")
    assert all(r.anchors == ["链主"] for r in rows)
    assert rows[0].local is False and rows[2].local is False


def test_targets_limit_keeps_the_best_rows(q, kg):
    assert q.targets(kg, limit=2) == q.targets(kg)[:2]


def test_chokepoints_without_betweenness_on_big_graphs(q, choke, monkeypatch):
    # Above the node cap, betweenness is not computed; rows rank by anchors and inputs cut off.
    monkeypatch.setattr("chainkg.graph.chokepoints.BETWEENNESS_MAX_NODES", 2)
    rows = q.chokepoints(choke)
    assert [(r.kind, r.id, r.betweenness) for r in rows] == [
        ("enterprise", "m", None), ("enterprise", "h2", None), ("segment", "S3", None), ("segment", "S4", None)]


def test_targets_offset_pages_through_the_rows(q, kg):
    every = q.targets(kg)
    assert q.targets(kg, offset=1) == every[1:]
    assert q.targets(kg, offset=1, limit=1) == every[1:2]
    assert q.targets(kg, offset=len(every) + 5) == []


def test_target_row_as_dict_is_every_field_in_order(q, kg):
    """``as_dict`` is the named tuple's fields in order, with ``parts`` a copy (changing it leaves the row)."""
    from chainkg.graph.targets import TargetRow

    rows = q.targets(kg)
    assert rows
    for r in rows:
        d = r.as_dict()
        assert list(d) == list(TargetRow._fields) and d == dict(zip(TargetRow._fields, r, strict=True))
        assert d["parts"] is not r.parts


@pytest.fixture
def ties():
    """Where the per-firm facts of 招商目标 are gathered once and shared by a firm's rows (worked by hand).

    Chain A 电池: A1 锂矿 → A2 正极 → A3 电芯. Local (东川区 dc PART_OF 昆明市 km): 甲链主 g (anchor in A3),
    乙链主 g2 (anchor: the ``anchor`` flag, in A3), 本地配套 n (A3, supporting). A1 and A2 are missing; A3 is
    weak (甲链主 buys from an outside firm). Event e1, hosted in km, TARGETS 长三角 yrd ⊃ 上海 sh.

    x 外企甲: HQ sh (courted), site in bj; in A1 (inferred: its evidence is shown) and A2 (stated: not shown);
    SUPPLIES g and g
    SUPPLIES it back (one anchor, counted once), g2 SUPPLIES it (a second anchor), it SUPPLIES n (not an
    anchor); lists 上市 and 世界500强 (in that order); INVESTS the local p1 and p2 in sh (not local).
    y 外企乙: two HQs, bj and sh (the HQ shown is bj, the smaller id; sh is courted); in A2.
    v 外企丙: HQ bj, in A1, SUPPLIES n only (a tie, but not to an anchor). w 外企丁: HQ bj, in A3.
    """
    b = Builder(home="km")
    b.region("km", "昆明市").region("dc", "东川区", "district", "km").region("yrd", "长三角", "macro_region")
    b.region("sh", "上海市", "city", "yrd").region("bj", "北京市")
    b.chain("A", "电池")
    b.segment("A1", "锂矿", "A", 1, "upstream", feeds=["A2"]).segment("A2", "正极", "A", 2, feeds=["A3"])
    b.segment("A3", "电芯", "A", 3).feeds()
    b.firm("g", "甲链主", "dc", segment="A3", seg_role="anchor")
    b.firm("g2", "乙链主", "km", segment="A3", seg_role="key", anchor=True)
    b.firm("n", "本地配套", "km", segment="A3", seg_role="supporting")
    b.firm("x", "外企甲", "sh", role="hq", lists=["上市", "世界500强"]).edge("LOCATED_IN", "x", "bj", role="site")
    b.edge("OPERATES_IN", "x", "A1", provenance="inferred", evidence="规则: 锂")
    b.edge("OPERATES_IN", "x", "A2", provenance="stated", evidence="年报: 正极材料")
    b.firm("y", "外企乙", "bj", role="hq", segment="A2").edge("LOCATED_IN", "y", "sh", role="hq")
    b.firm("v", "外企丙", "bj", role="hq", segment="A1").firm("w", "外企丁", "bj", role="hq", segment="A3")
    for a, c in (("x", "g"), ("g", "x"), ("g2", "x"), ("x", "n"), ("v", "n")):
        b.edge("SUPPLIES", a, c)
    b.node("Event", "e1", name="长三角推介会").edge("HOSTED_BY", "e1", "km").edge("TARGETS", "e1", "yrd")
    b.node("Project", "p1", name="本地项目", status="签约").edge("LOCATED_IN", "p1", "km").edge("INVESTS", "x", "p1")
    b.node("Project", "p2", name="外地项目", status="签约").edge("LOCATED_IN", "p2", "sh").edge("INVESTS", "x", "p2")
    return b.kg


def test_targets_per_firm_facts_by_hand(q, ties):
    rows = q.targets(ties)
    # x: gap 3 + ties 2 anchors × 2 + lists 1 + 3 + region 1 + pipeline 1 = 13, in A1 and A2;
    # y: 3 + region 1 (its HQ sh) = 4; v: 3 (its tie is to a non-anchor); w: weak gap 2 only.
    assert [(r.enterprise_id, r.segment_id, r.gap, r.score) for r in rows] == [
        ("x", "A1", "missing", 13.0), ("x", "A2", "missing", 13.0), ("y", "A2", "missing", 4.0),
        ("v", "A1", "missing", 3.0), ("w", "A3", "weak", 2.0)]
    x1, x2, y, v, w = rows
    assert x1.parts == {"gap": 3.0, "ties": 4.0, "lists": 4.0, "region": 1.0, "pipeline": 1.0}
    assert x1.why == ("works in 补链 gap 锂矿; tied to local anchors 乙链主、甲链主; on 上市、世界500强; "
                      "HQ in courted region 上海市; already invests in 本地项目; placed by inference: 规则: 锂")
    assert x2.why == x1.why.replace("锂矿", "正极").removesuffix("; placed by inference: 规则: 锂")
    assert (x1.placement, x2.placement, x1.hq) == ("inferred", "stated", "上海市")
    assert (y.hq, y.why) == ("北京市", "works in 补链 gap 正极; HQ in courted region 上海市")
    assert (v.parts["ties"], v.why) == (0.0, "works in 补链 gap 锂矿")
    assert (w.hq, w.why) == ("北京市", "works in 强链 gap 电芯")
    assert q.targets(ties, offset=1, limit=2) == rows[1:3]


@pytest.mark.parametrize("hq_index_from", [0, 10**9], ids=["hq-index", "hq-per-firm"])
def test_target_rows_are_target_row(ties, kg, hq_index_from, monkeypatch):
    """The fast assembly gives the rows of :func:`target_row`, built here from facts read off the graph —
    with each firm's HQ read from the regions' side (as for many rows) and from the firm's own side."""
    import chainkg.graph.targets as targets_module
    from chainkg.graph.gaps import extend, missing, weak

    monkeypatch.setattr(targets_module, "_HQ_INDEX_FROM", hq_index_from)
    from chainkg.graph.scope import build_scope
    from chainkg.graph.targets import TargetFacts, courted_regions, gap_kinds, target_key, target_row, targets

    for graph in (ties, kg):
        for w in (Weights(), Weights().with_overrides({"gap": 0.5, "region": 2, "pipeline": -1, "lists.上市": 2.5})):
            sc = build_scope(graph)
            courted = courted_regions(graph, sc.regions)
            expected = []
            for seg, kind in gap_kinds(missing(graph), weak(graph), extend(graph)).items():
                info = sc.segment_info(seg)
                for f in sorted(graph.into(seg, "OPERATES_IN")):
                    if f in sc.local_firms:
                        continue
                    hqs = sorted(r for r in graph.out(f, "LOCATED_IN")
                                 if graph.g.edges[f, r, "LOCATED_IN"].get("role") == "hq")
                    placed = graph.g.edges[f, seg, "OPERATES_IN"]
                    expected.append(target_row(TargetFacts(
                        segment=info, gap=kind, enterprise=graph.name(f), enterprise_id=f,
                        ties=[graph.name(a) for a in sc.local_anchors
                              if graph.has_edge(a, f, "SUPPLIES") or graph.has_edge(f, a, "SUPPLIES")],
                        lists=list(graph.get(f).get("lists") or ()),
                        courted_hq=[graph.name(r) for r in hqs if r in courted],
                        invests=[graph.name(p) for p in graph.out(f, "INVESTS") if p in sc.local_projects],
                        hq=graph.name(hqs[0]) if hqs else None,
                        placement=placed.get("provenance", ""), placement_evidence=placed.get("evidence"),
                    ), w))
            expected.sort(key=lambda r: target_key(r.score, sc.segment_info(r.segment_id), r.enterprise,
                                                   r.enterprise_id))
            assert targets(graph, weights=w) == expected
            assert targets(graph, weights=w, offset=1, limit=3) == expected[1:4]  # a page: its firms' HQs only


@pytest.mark.parametrize("firms, seed", [(600, 5), (250, 11)])
def test_every_page_of_targets_is_that_slice_of_all_rows(firms, seed):
    """A page is found without naming every candidate (only those that can reach it): every (offset, limit)
    gives the same rows as slicing all of them — where equal scores in one segment are ordered by name."""
    from chainkg.graph.synthetic import national_graph
    from chainkg.graph.targets import targets

    kg = national_graph(firms, seed=seed)
    rows = targets(kg)
    ties = {(r.score, r.segment_id) for r in rows}
    assert len(rows) > 60 and len(ties) < len(rows) / 2  # most rows share a score and segment with others
    for offset in (0, 1, 7, len(rows) // 2, len(rows) - 1, len(rows)):
        for limit in (1, 2, 5, 13, 50, len(rows)):
            assert targets(kg, offset=offset, limit=limit) == rows[offset:offset + limit], (offset, limit)


def test_chokepoints_see_only_the_supply_ties_that_reach_anchors(q, choke):
    """Supply ties that reach no local anchor change nothing: not the rows, not the betweenness (normalised over
    the 5 firms that reach 链主; counting o1, o2 and 链主's customer c would make it 7 or 8)."""
    b = Builder(kg=choke)
    b.firm("o1", "无关甲", "out", segment="S1").firm("o2", "无关乙", "out", segment="S3").firm("c", "客户", "out")
    b.edge("SUPPLIES", "o1", "o2").edge("SUPPLIES", "g", "c")
    rows = q.chokepoints(choke)
    assert [(r.kind, r.id, r.betweenness, r.inputs) for r in rows][:2] == [
        ("enterprise", "m", round(2 / 12, 6), ["环节2", "环节3"]), ("enterprise", "h2", 0.0, ["环节2"])]
