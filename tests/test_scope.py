"""build_scope starts from the local regions; its indexes must equal a pass over every relationship."""

from __future__ import annotations

from collections import defaultdict

import pytest

from chainkg.data import kunming
from chainkg.graph.examples import toy_chain
from chainkg.graph.kg import KnowledgeGraph
from chainkg.graph.scope import build_scope
from chainkg.graph.synthetic import national_graph, random_graph


def full_pass(kg: KnowledgeGraph, regions: frozenset[str]) -> dict:
    """The scope's indexes the slow, obvious way: every relationship of the graph, in order (the old code)."""
    g = kg.g
    nodes = g._node
    local_firms, local_projects, local_anchors = set(), set(), set()
    firms_in, anchors_in, projects_in = (defaultdict(set) for _ in range(3))
    segment_chain: dict[str, str] = {}
    edges = [(u, v, k, d) for u, nbrs in g._succ.items() for v, kd in nbrs.items() for k, d in kd.items()]
    for u, v, k, _ in edges:
        if k == "LOCATED_IN" and v in regions:
            {"Enterprise": local_firms, "Project": local_projects}.get(nodes[u]["type"], set()).add(u)
        if k == "HAS_SEGMENT":
            segment_chain[v] = u
    for u, v, k, d in edges:
        if k == "OPERATES_IN" and u in local_firms:
            firms_in[v].add(u)
            if d.get("role") == "anchor" or nodes[u].get("anchor"):
                anchors_in[v].add(u)
                local_anchors.add(u)
        if k == "ANCHORS" and u in local_firms:
            local_anchors.add(u)
        if k == "IN_SEGMENT" and u in local_projects:
            projects_in[v].add(u)
    local_anchors |= {u for u in local_firms if nodes[u].get("anchor")}
    for seg, firms in firms_in.items():
        chain = segment_chain.get(seg)
        for f in firms:
            if chain and g.has_edge(f, chain, key="ANCHORS"):
                anchors_in[seg].add(f)
    return {"local_firms": local_firms, "local_projects": local_projects, "local_anchors": local_anchors,
            "firms_in": dict(firms_in), "anchors_in": dict(anchors_in),
            "projects_in": dict(projects_in), "segment_chain": segment_chain}


GRAPHS = {
    "kunming": kunming,
    "toy": toy_chain,
    "national-3000": lambda: national_graph(3000, seed=3),
    "random": lambda: random_graph(5),
}


@pytest.mark.parametrize("name", GRAPHS)
def test_scope_equals_a_pass_over_every_relationship(name):
    kg = GRAPHS[name]()
    regions = [None, *sorted(kg.nodes("Region"))[:6]] if kg.meta.get("home_region") else sorted(kg.nodes("Region"))[:6]
    assert regions
    for region in regions:
        sc = build_scope(kg, region)
        want = full_pass(kg, sc.regions)
        got = {k: getattr(sc, k) for k in want}
        got = {k: dict(v) if isinstance(v, dict) else v for k, v in got.items()}
        # segment_chain: the last chain naming a segment wins, in node order, as before
        assert list(got.pop("segment_chain").items()) == list(want.pop("segment_chain").items())
        assert {k: ({s: f for s, f in v.items() if f} if isinstance(v, dict) else v) for k, v in got.items()} == \
            {k: ({s: f for s, f in v.items() if f} if isinstance(v, dict) else v) for k, v in want.items()}, region
        assert sc.local_firms or sc.local_projects or region is not None or name == "random"


def test_chain_anchor_by_hand():
    """A local firm that ANCHORS the chain (no anchor role, no flag) is a local anchor of the segments it works in."""
    kg = toy_chain()
    said = {"provenance": "stated", "source": "src:toy", "evidence": "test"}
    kg.merge_node("Enterprise", {"id": "e:bing", "name": "丙材料", **said})
    kg.merge_edge("LOCATED_IN", "e:bing", "r:here", {"role": "site", **said})
    kg.merge_edge("OPERATES_IN", "e:bing", "s:mat", {"role": "supporting", **said})
    kg.merge_edge("ANCHORS", "e:bing", "c:bat", dict(said))
    sc = build_scope(kg, "r:here")
    assert sc.local_firms == {"e:jia", "e:bing"}
    assert sc.local_anchors == {"e:jia", "e:bing"}
    assert {s: f for s, f in sc.anchors_in.items() if f} == {"s:cell": {"e:jia"}, "s:mat": {"e:bing"}}
    assert {s: f for s, f in sc.firms_in.items() if f} == {"s:cell": {"e:jia"}, "s:mat": {"e:bing"}}
