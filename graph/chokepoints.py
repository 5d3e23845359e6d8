"""Chokepoints (卡脖子 candidates): segments and enterprises whose removal cuts local anchors off from an input."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from chainkg.i18n import Message

from .digraph import Digraph, betweenness_centrality
from .dominators import immediate_dominators
from .kg import KnowledgeGraph
from .rowdict import row_dict
from .scope import build_scope

#: Above this many nodes, exact directed betweenness (O(V·E)) is not computed: rows then carry
#: ``betweenness=None`` and rank by the number of anchors and inputs they cut off.
BETWEENNESS_MAX_NODES = 5000

Hits = dict[str, tuple[set[str], set[str]]]


@dataclass(frozen=True)
class ChokepointRow:
    kind: str  # "segment" | "enterprise"
    name: str
    id: str
    chain: str
    local: bool
    betweenness: float | None
    anchors: list[str]
    inputs: list[str]
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return row_dict(self)


def _dominator_path(idom: dict[str, str], node: str, root: str) -> list[str]:
    """``node`` and its dominators up to (not including) ``root``, nearest first."""
    out = []
    while node != root:
        out.append(node)
        node = idom[node]
    return out


def _common_dominators(idom: dict[str, str], nodes: list[str], root: str) -> list[str]:
    """Nodes that dominate every one of ``nodes`` (themselves included) in the tree ``idom``."""
    path = _dominator_path(idom, nodes[0], root)
    for n in nodes[1:]:
        on = set(path)
        while n != root and n not in on:
            n = idom[n]
        if n == root:
            return []
        path = path[path.index(n):]
    return path


def segment_hits(feed: Digraph, anchor_segments: dict[str, list[str]]) -> Hits:
    """segment → (anchors cut off, input segments lost) on the FEEDS graph.

    An input of an anchor is a source segment (nothing feeds it) upstream of a
    segment the anchor works in. A segment other than the input is a
    chokepoint when every FEEDS path from the input to the anchor's segment
    passes through it. Computed with one dominator tree per anchor segment on
    the reversed graph (a post-dominator tree).
    """
    hits: Hits = defaultdict(lambda: (set(), set()))
    for a in sorted(anchor_segments):
        for t in sorted(anchor_segments[a]):
            if t not in feed:
                continue
            idom = immediate_dominators(feed._pred, feed._succ, t)  # on the reversed graph
            for s in sorted(n for n in idom if n != t and feed.in_degree(n) == 0):
                for d in _dominator_path(idom, s, t)[1:]:
                    hits[d][0].add(a)
                    hits[d][1].add(s)
    return hits


def enterprise_hits(supply: Digraph, firm_segments: Mapping[str, Iterable[str]], anchors: set[str]) -> Hits:
    """enterprise → (anchors cut off, input segments lost) on the SUPPLIES graph.

    An input of an anchor is a segment X some of whose enterprises supply it,
    directly or through other firms. An enterprise is a chokepoint when every
    supply path from every X-enterprise to the anchor passes through it
    (including when it is the only X-enterprise that reaches the anchor).
    """
    hits: Hits = defaultdict(lambda: (set(), set()))
    for a in sorted(anchors):
        if a not in supply:
            continue
        idom = immediate_dominators(supply._pred, supply._succ, a)  # on the reversed graph
        by_input: dict[str, list[str]] = defaultdict(list)
        for f in idom:
            if f != a:
                for seg in firm_segments.get(f, ()):
                    by_input[seg].append(f)
        for seg, firms in sorted(by_input.items()):
            for d in _common_dominators(idom, sorted(firms), a):
                hits[d][0].add(a)
                hits[d][1].add(seg)
    return hits


def betweenness(graph: Digraph) -> dict[str, float] | None:
    """Normalised directed betweenness (networkx's floats), or None when the graph is too big to compute it exactly."""
    if graph.number_of_nodes() > BETWEENNESS_MAX_NODES:
        return None
    return betweenness_centrality(graph)


def row_order(r: ChokepointRow) -> tuple:
    """Kind, then betweenness (high first), then anchors and inputs cut off, then name."""
    return (r.kind, -(r.betweenness or 0.0), -len(r.anchors), -len(r.inputs), r.name, r.id)


class _Segments(Mapping[str, list[str]]):
    """A firm's segments, looked up only for the firms the dominator trees reach."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg

    def __getitem__(self, firm: str) -> list[str]:
        return self.kg.out(firm, "OPERATES_IN") if self.kg.has(firm) else []

    def __iter__(self) -> Iterator[str]:
        return iter(self.kg.nodes("Enterprise"))

    def __len__(self) -> int:
        return sum(1 for _ in self.kg.nodes("Enterprise"))


def _feed_graph(kg: KnowledgeGraph) -> Digraph:
    """Every segment, with the FEEDS between them (read from the segments' adjacency only)."""
    g = Digraph()
    segments = list(kg.nodes("Segment"))
    g.add_nodes_from(segments)
    succ = kg.g._succ
    g.add_edges_from((u, v) for u in segments for v, keys in succ[u].items() if "FEEDS" in keys)
    return g


def relevant_supply_graph(supply_pred, anchors: set[str]) -> Digraph:
    """The part of the SUPPLIES graph that reaches local anchors: the anchors that take part in any
    supply tie, everything that supplies them directly or indirectly, and the ties among these.

    ``supply_pred(n)`` gives the direct suppliers of ``n`` and whether ``n`` has any tie at all, so
    both engines (adjacency dicts here, a fetched graph for Neo4j) build the same graph.
    """
    seen: set[str] = set()
    stack = []
    for a in sorted(anchors):
        _, tied = supply_pred(a)
        if tied:
            seen.add(a)
            stack.append(a)
    edges = []
    while stack:
        n = stack.pop()
        for u in supply_pred(n)[0]:
            edges.append((u, n))
            if u not in seen:
                seen.add(u)
                stack.append(u)
    g = Digraph()
    g.add_nodes_from(sorted(seen))
    g.add_edges_from(sorted(edges))
    return g


def _supply_graph(kg: KnowledgeGraph, anchors: set[str]) -> Digraph:
    pred, succ = kg.g._pred, kg.g._succ

    def supply_pred(n: str) -> tuple[list[str], bool]:
        suppliers = [u for u, keys in pred[n].items() if "SUPPLIES" in keys]
        return suppliers, bool(suppliers) or any("SUPPLIES" in keys for keys in succ[n].values())

    return relevant_supply_graph(supply_pred, anchors)


def chokepoint_row(kind: str, name: str, node_id: str, chain: str, local: bool, betweenness: float | None,
                   anchors: list[str], inputs: list[str]) -> ChokepointRow:
    """One chokepoint row from its facts (names unsorted); the reason says what it cuts off and where it is."""
    anchors, inputs = sorted(anchors), sorted(inputs)
    if kind == "segment":
        where = "covered_locally" if local else "not_covered_locally"
    else:
        where = "is_local" if local else "is_outside"
    return ChokepointRow(
        kind=kind, name=name, id=node_id, chain=chain, local=local,
        betweenness=round(betweenness, 6) if betweenness is not None else None,
        anchors=anchors, inputs=inputs,
        reason=Message([("every_path", {"inputs": inputs, "anchors": anchors}), (where, {})]),
    )


def chokepoints(kg: KnowledgeGraph, region: str | None = None, chain: str | None = None) -> list[ChokepointRow]:
    """Segments and enterprises whose removal cuts a local anchor off from all of one of its inputs.

    Rule: on the FEEDS graph of all templates (segments) and on the part of the
    SUPPLIES graph that reaches the local anchors (enterprises), a node is a
    chokepoint for a local anchor when it dominates the anchor with respect to
    an input (see the helpers' docs).
    Ranked by directed betweenness centrality on that graph (normalised; not
    computed above :data:`BETWEENNESS_MAX_NODES` nodes, where it is None), then
    by the number of anchors and inputs cut off, then name. With a chain:
    anchors of that chain (ANCHORS it, or work in its segments).

    Parameters
    ----------
    kg : KnowledgeGraph
    region, chain : str, optional
        As for :func:`chainkg.graph.gaps.missing`.

    Returns
    -------
    list of ChokepointRow

    Raises
    ------
    NotFoundError, GraphError
        As for :func:`chainkg.graph.gaps.missing`.

    Examples
    --------
    In the toy chain 材料 lies on every FEEDS path from 矿 and from 回收 to the anchor's 电芯 — and on 4 of
    the 12 ordered pairs' shortest paths (矿/回收 → 电芯/整车), so its betweenness is 4/12; 乙材料 is the
    anchor's only supplier:

    >>> from chainkg.graph.examples import toy_chain
    >>> for r in chokepoints(toy_chain()):
    ...     print(r.kind, r.name, r.betweenness, r.inputs)
    enterprise 乙材料 0.0 ['材料']
    segment 材料 0.333333 ['回收', '矿']
    """
    sc = build_scope(kg, region, chain)
    anchors = set(sc.local_anchors)
    if sc.chain:
        segs = set(kg.segments_of(sc.chain))
        anchors = {a for a in anchors if kg.has_edge(a, sc.chain, "ANCHORS") or segs & set(kg.out(a, "OPERATES_IN"))}
    feed, supply = _feed_graph(kg), _supply_graph(kg, anchors)
    firm_segments = _Segments(kg)
    rows = []
    for kind, hits, graph in (
        ("segment", segment_hits(feed, {a: kg.out(a, "OPERATES_IN") for a in anchors}), feed),
        ("enterprise", enterprise_hits(supply, firm_segments, anchors), supply),
    ):
        if not hits:
            continue
        bc = betweenness(graph)
        for n, (cut, inputs) in hits.items():
            if kind == "segment":
                chain_id = sc.segment_chain.get(n)
                local = sc.covered(n)
            else:
                segs = kg.out(n, "OPERATES_IN")
                chain_id = sc.segment_chain.get(segs[0]) if segs else None
                local = n in sc.local_firms
            rows.append(chokepoint_row(kind, kg.name(n), n, kg.name(chain_id) if chain_id else "", local,
                                       bc.get(n, 0.0) if bc is not None else None,
                                       [kg.name(a) for a in cut], [kg.name(i) for i in inputs]))
    rows.sort(key=row_order)
    return rows
