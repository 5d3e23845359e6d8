"""Chokepoints (卡脖子 candidates): segments and enterprises whose removal cuts local anchors off from an input."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx

from .kg import KnowledgeGraph
from .scope import Scope, build_scope

_ROOT = ("__chainkg_root__",)


@dataclass(frozen=True)
class ChokepointRow:
    kind: str  # "segment" | "enterprise"
    name: str
    id: str
    chain: str
    local: bool
    betweenness: float
    anchors: list[str]
    inputs: list[str]
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _dominators_between(g: nx.DiGraph, sources: set[str], target: str) -> set[str]:
    """Nodes other than the sources' virtual root and ``target`` that lie on every path from the sources."""
    if target in sources:
        return set()
    h = nx.DiGraph(g)
    h.add_node(_ROOT)
    for s in sources:
        h.add_edge(_ROOT, s)
    idom = nx.immediate_dominators(h, _ROOT)
    if target not in idom:
        return set()
    out = set()
    n = idom[target]
    while n != _ROOT:
        out.add(n)
        n = idom[n]
    return out


def _feed_graph(kg: KnowledgeGraph) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(kg.nodes("Segment"))
    g.add_edges_from((e.source, e.target) for e in kg.edges("FEEDS"))
    return g


def _supply_graph(kg: KnowledgeGraph) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_edges_from((e.source, e.target) for e in kg.edges("SUPPLIES"))
    return g


def _segment_chokepoints(sc: Scope, anchors: set[str]) -> dict[str, tuple[set[str], set[str]]]:
    """segment → (anchors cut off, input segments lost) on the FEEDS graph.

    An input of an anchor is a source segment (nothing feeds it) upstream of a
    segment the anchor works in. A segment d other than the input is a
    chokepoint when every FEEDS path from the input to the anchor's segment
    passes through d.
    """
    kg = sc.kg
    g = _feed_graph(kg)
    hits: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for a in sorted(anchors):
        for t in sorted(kg.out(a, "OPERATES_IN")):
            if t not in g:
                continue
            ancestors = nx.ancestors(g, t)
            sub = g.subgraph(ancestors | {t})
            for s in sorted(n for n in ancestors if g.in_degree(n) == 0):
                for d in _dominators_between(sub, {s}, t) - {s}:
                    hits[d][0].add(a)
                    hits[d][1].add(s)
    return hits


def _enterprise_chokepoints(sc: Scope, anchors: set[str]) -> dict[str, tuple[set[str], set[str]]]:
    """enterprise → (anchors cut off, input segments lost) on the SUPPLIES graph.

    An input of an anchor is a segment X some of whose enterprises supply it,
    directly or through other firms. An enterprise e is a chokepoint when every
    supply path from every X-enterprise to the anchor passes through e
    (including when e is the only X-enterprise that reaches it).
    """
    kg = sc.kg
    g = _supply_graph(kg)
    hits: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for a in sorted(anchors):
        if a not in g:
            continue
        ancestors = nx.ancestors(g, a)
        sub = g.subgraph(ancestors | {a})
        by_input: dict[str, set[str]] = defaultdict(set)
        for f in ancestors:
            for seg in kg.out(f, "OPERATES_IN"):
                by_input[seg].add(f)
        for seg, firms in sorted(by_input.items()):
            for d in _dominators_between(sub, firms, a):
                hits[d][0].add(a)
                hits[d][1].add(seg)
    return hits


def chokepoints(kg: KnowledgeGraph, region: str | None = None, chain: str | None = None) -> list[ChokepointRow]:
    """Segments and enterprises whose removal cuts a local anchor off from all of one of its inputs.

    Rule: on the FEEDS graph of all templates (segments) and on the SUPPLIES
    graph (enterprises), a node is a chokepoint for a local anchor when it
    dominates the anchor with respect to an input (see the helpers' docs).
    Ranked by directed betweenness centrality on that graph (normalised),
    then by the number of anchors affected, then name. With a chain: anchors of
    that chain (ANCHORS it, or work in its segments).

    >>> from chainkg.data import kunming
    >>> rows = chokepoints(kunming())
    >>> rows == sorted(rows, key=lambda r: (r.kind, -r.betweenness, -len(r.anchors), r.name, r.id))
    True
    """
    sc = build_scope(kg, region, chain)
    anchors = set(sc.local_anchors)
    if sc.chain:
        segs = set(kg.segments_of(sc.chain))
        anchors = {a for a in anchors if kg.has_edge(a, sc.chain, "ANCHORS") or segs & set(kg.out(a, "OPERATES_IN"))}
    rows = []
    for kind, hits, graph in (
        ("segment", _segment_chokepoints(sc, anchors), _feed_graph(kg)),
        ("enterprise", _enterprise_chokepoints(sc, anchors), _supply_graph(kg)),
    ):
        if not hits:
            continue
        bc = nx.betweenness_centrality(graph, normalized=True)
        for n, (cut, inputs) in hits.items():
            if kind == "segment":
                chain_id = sc.segment_chain.get(n)
                local = sc.covered(n)
            else:
                segs = kg.out(n, "OPERATES_IN")
                chain_id = sc.segment_chain.get(segs[0]) if segs else None
                local = n in sc.local_firms
            anchors_named = sorted(kg.name(a) for a in cut)
            inputs_named = sorted(kg.name(i) for i in inputs)
            where = "covered locally" if kind == "segment" and local else (
                "local" if local else ("not covered locally" if kind == "segment" else "outside the region"))
            reason = (f"every path from {'、'.join(inputs_named)} to {'、'.join(anchors_named)} passes through it; "
                      f"{where}")
            rows.append(
                ChokepointRow(
                    kind=kind,
                    name=kg.name(n),
                    id=n,
                    chain=kg.name(chain_id) if chain_id else "",
                    local=local,
                    betweenness=round(bc.get(n, 0.0), 6),
                    anchors=anchors_named,
                    inputs=inputs_named,
                    reason=reason,
                )
            )
    rows.sort(key=lambda r: (r.kind, -r.betweenness, -len(r.anchors), r.name, r.id))
    return rows
